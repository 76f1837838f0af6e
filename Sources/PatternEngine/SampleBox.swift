/// A sampler voice's `SamplePlayback` (`ScheduledVoice.sample`), shared by reference: immutable, so setting
/// a voice's sample makes a new box and copies of the voice never see each other's changes.
final class SampleBox: Sendable {
  let playback: SamplePlayback
  /// Whether `playback` has a modulation, and one with a filter: stored, so `SamplerVoice.render` tests a Bool
  /// per frame (derived there from the optional, the test became an outlined enum-tag call per frame, a third of
  /// a sampled note's time).
  let modulated: Bool
  let filtered: Bool

  init(_ playback: SamplePlayback) {
    self.playback = playback
    modulated = playback.modulation != nil
    filtered = playback.modulation?.cutoffHz != nil
  }
}
