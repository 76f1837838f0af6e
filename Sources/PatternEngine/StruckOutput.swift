/// The last step of eight frames of a struck voice (`PianoVoice`, `GrandVoice`): each frame's row summed in
/// order — `DSPMath.sumInOrder`'s additions, (((v0 + v1) + v2) … + v7), taken as vertical additions of the
/// transposed rows, one vector addition per term for all eight frames — plus the hammer's thump while it lasts,
/// times the amplitude.
enum StruckOutput {
  /// Writes frames `0 ..< count` (≤ 8) of `out` from `rows` (lane j of row f: frame f's j-th partial sum; rows
  /// past `count` are ignored). Frame f is the voice's frame `firstFrame + f`; `thump(k)` is the hammer's sample
  /// at voice frame k, called in order for the frames before `thumpFrames` only.
  @inline(__always)
  static func write(
    _ rows: DSPMath.Columns8, count n: Int, firstFrame k0: Int64, thumpFrames: Int64, amplitude: Float,
    into out: UnsafeMutablePointer<Float>, thump: (Int64) -> Float
  ) {
    let t = DSPMath.transpose(rows.0, rows.1, rows.2, rows.3, rows.4, rows.5, rows.6, rows.7)
    let sums = ((((((t.0 + t.1) + t.2) + t.3) + t.4) + t.5) + t.6) + t.7
    if n == 8 && k0 >= thumpFrames {
      // No hammer: (sum + 0) · amplitude, as below (+0 turns a −0 sum into +0 there too).
      UnsafeMutableRawPointer(out).storeBytes(of: (sums + 0) * amplitude, as: SIMD8<Float>.self)
      return
    }
    for f in 0..<n {
      let k = k0 + Int64(f)
      out[f] = (sums[f] + (k < thumpFrames ? thump(k) : 0)) * amplitude
    }
  }
}
