/// The master stage: gain, a soft limiter that never lets a sample reach full scale, and quantisation to
/// integers with TPDF dither from a counter-based PRNG (a pure function of seed, frame and channel, so
/// block and chunk boundaries cannot change a bit).
public enum Master {
  /// Level where the limiter's knee starts (−1 dBFS); below it the signal passes untouched.
  public static let threshold: Float = 0.891_250_9

  /// The largest `Float` below 1.
  static let largestBelowOne: Float = 1 - 1.0 / 16_777_216

  /// Soft limiter: identity up to `threshold`, then a smooth curve approaching (never reaching) ±1.
  /// Continuous with slope 1 at the knee.
  @inline(__always)
  public static func limit(_ x: Float) -> Float {
    let a = x < 0 ? -x : x
    if a <= threshold { return x }
    let z = (a - threshold) * (1 / (1 - threshold))
    // The curve approaches 1; for huge inputs float rounding would reach it, so cap just below.
    let y = min(threshold + (1 - threshold) * (z / (1 + z)), largestBelowOne)
    return x < 0 ? -y : y
  }

  /// Triangular dither in (−1, 1) LSB for one sample.
  @inline(__always)
  static func dither(seed: UInt64, frame: Int64, channel: Int) -> Double {
    let h = NoiseHash.mix(seed ^ 0xD1_7E_D1_7E ^ NoiseHash.mix(UInt64(bitPattern: frame) &* 8 &+ UInt64(channel)))
    let a = Double(UInt32(truncatingIfNeeded: h)) * (1 / 4_294_967_296.0)
    let b = Double(UInt32(truncatingIfNeeded: h >> 32)) * (1 / 4_294_967_296.0)
    return a - b
  }

  /// Quantises interleaved samples (already limited) starting at `firstFrame` to 16-bit.
  public static func quantize16(
    _ input: UnsafeBufferPointer<Float>, channels: Int, firstFrame: Int64, seed: UInt64,
    into out: UnsafeMutableBufferPointer<Int16>
  ) {
    for i in 0..<input.count {
      let frame = firstFrame + Int64(i / channels)
      let v = (Double(input[i]) * 32767 + dither(seed: seed, frame: frame, channel: i % channels)).rounded()
      out[i] = Int16(max(-32768, min(32767, v)))
    }
  }

  /// Quantises to 24-bit, returned in the top 24 bits of each `Int32` (libsndfile's convention).
  public static func quantize24(
    _ input: UnsafeBufferPointer<Float>, channels: Int, firstFrame: Int64, seed: UInt64,
    into out: UnsafeMutableBufferPointer<Int32>
  ) {
    for i in 0..<input.count {
      let frame = firstFrame + Int64(i / channels)
      let v = (Double(input[i]) * 8_388_607 + dither(seed: seed, frame: frame, channel: i % channels)).rounded()
      out[i] = Int32(max(-8_388_608, min(8_388_607, v))) << 8
    }
  }
}
