/// One ring slot of a lane's output: its left and right samples, and which grains of
/// `LaneOutput.grainFrames` frames hold any sound.
///
/// A lane clears a grain only when a voice first writes into it; a grain no voice touched holds stale
/// samples and must be read as silence. `accumulate` does that, so a lane that is silent for most of a
/// chunk costs nothing to clear or to mix. Skipping a silent grain gives the same bits as adding its
/// zeros: the mix starts at +0 and x + g·(±0) = x for every x the sum can hold (+0 + −0 is +0).
struct LaneOutput {
  /// Frames per grain (a chunk's grains start at its first frame).
  static let grainFrames = 1024

  let left: UnsafePointer<Float>
  let right: UnsafePointer<Float>
  /// `grains[k]`: whether frames `[k·grainFrames, (k + 1)·grainFrames)` of this slot were written.
  let grains: UnsafePointer<Bool>

  /// Adds frames `[start, start + count)` times `gain` into `left`/`right` (frame `start` goes to index 0),
  /// skipping silent grains.
  /// - Parameter fresh: `left`/`right` hold nothing yet (the first lane summed there): each frame gets
  ///   `+0 + x · gain`, a silent grain +0, the bits of adding into cleared memory without clearing it first.
  func accumulate(
    from start: Int, count: Int, gain: Float, left outLeft: UnsafeMutablePointer<Float>,
    right outRight: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    var f = start
    let end = start + count
    while f < end {
      let grain = f / LaneOutput.grainFrames
      let stop = min(end, (grain + 1) * LaneOutput.grainFrames)
      if grains[grain] {
        Mixer.accumulate(left + f, gain: gain, into: outLeft + (f - start), count: stop - f, fresh: fresh)
        Mixer.accumulate(right + f, gain: gain, into: outRight + (f - start), count: stop - f, fresh: fresh)
      } else if fresh {
        (outLeft + (f - start)).update(repeating: 0, count: stop - f)
        (outRight + (f - start)).update(repeating: 0, count: stop - f)
      }
      f = stop
    }
  }
}
