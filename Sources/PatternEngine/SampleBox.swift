/// A sampler voice's `SamplePlayback` (`ScheduledVoice.sample`), shared by reference: immutable, so setting
/// a voice's sample makes a new box and copies of the voice never see each other's changes.
final class SampleBox: Sendable {
  let playback: SamplePlayback

  init(_ playback: SamplePlayback) { self.playback = playback }
}
