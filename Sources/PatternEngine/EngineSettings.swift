/// What the engine needs to turn a score into float chunks. The facade's `RenderSettings` holds one of these
/// (so nothing is copied field by field); the engine's tests build it directly.
///
/// Randomness: every noise stream (noise voices, plucks, piano hammers, drum variants) is keyed by the song's
/// own `seed N;` (`Score.seed`), the track, the statement and the note; the dither of integer formats is keyed
/// by `Master.ditherSeed` and the sample index only. Nothing here seeds anything.
package struct EngineSettings: Hashable, Sendable {
  /// Frames per second.
  package var sampleRate: Int
  /// Frames per dispatch of the voice loop, 1 … 65536. Never changes the output.
  package var blockSize: Int
  /// The block size renders use unless told otherwise. Each voice costs a fixed overhead per block (its
  /// envelope piece, its kernel's setup), so long blocks are faster: measured on W1 (64 saws), synthesis took
  /// 32.8 ms at 512 frames, 26.3 at 1,024, 22.5 at 2,048, 18.0 at 4,096; W2 34.5 → 23.5 ms. Once the kernel's
  /// own loop got faster, the per-block cost weighed more: W1's one-thread synthesis rate is ~7,000 M
  /// voice-samples/s at 4,096 and ~8,100 at 8,192 (median of 5 runs each), W2's wall 80.3 → 73.9 ms
  /// (alternating), W3 and the album's songs unchanged. With a lane's two output lines half a page apart
  /// (`StereoLines`) and oscillator tiles as long as a block, 16,384 is faster again: W1's one-thread rate 7,705
  /// → 8,042 (medians of 10 alternating runs), the example album 1.56 → 1.52 s (medians of 6); a chunk is
  /// 16,384 frames either way. The per-lane buffers a block sizes (the mono scratch, a filter group's samples)
  /// and the voice slots' padding of two blocks grow with it, within the noise of a whole render's peak memory:
  /// W1 20.9 → 20.7 MB, W2 35.4 → 36.1, W3 35.3 → 36.0, the album 121.9 → 118.6 (one run each).
  /// (`RenderSettings.defaultBlockSize` is the same number for the facade's users.)
  package static let defaultBlockSize = 16384
  /// Worker threads for the lanes, ≥ 1. Never changes the output.
  package var threads: Int
  /// Master gain in dB before the limiter.
  package var masterGainDecibels: Double
  /// Render only this track (index into `Score.tracks`); the others are silent.
  package var soloTrack: Int? = nil
  /// Skip the master stage (gain and limiter): the plain sum of the tracks.
  package var bypassMaster = false
  /// At least this many frames (silence after the last voice).
  package var minimumFrames: Int64 = 0
  /// Keep each track's pre-master signal per chunk too (stems in the same pass as the mix).
  package var tapTracks = false
  /// A true-peak limiter at this ceiling (dBTP) at the end of the master chain, after the master gain
  /// (`render --loudness`, album normalisation); nil: none.
  package var masterCeiling: Double? = nil
  /// Render the pre-master sum only (album units): the master chain, `masterCeiling`, gain and limiter are
  /// left to a `MasterChain` run later over it; the output is longer by that chain's latency (with a
  /// true-peak limiter), so the chain can run with or without the limiter. Stems line up with the output.
  package var preMaster = false
  /// Limits that turn a score into diagnostics instead of a render.
  package var limits = EngineLimits()
  /// Schedule only to check the limits (`check`, `/api/parse`): samples need not be decoded or converted to
  /// the render rate; their lengths come from their headers.
  package var limitsOnly = false

  package init(
    sampleRate: Int = 48_000, blockSize: Int = EngineSettings.defaultBlockSize, threads: Int = 2,
    masterGainDecibels: Double = 0
  ) {
    self.sampleRate = sampleRate
    self.blockSize = blockSize
    self.threads = threads
    self.masterGainDecibels = masterGainDecibels
  }
}
