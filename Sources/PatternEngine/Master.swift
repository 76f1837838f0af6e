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

  /// Applies the master gain and the limiter to a stereo block and interleaves it, tracking the peak and
  /// the sum of squares (after the limiter).
  ///
  /// A SIMD8 pass applies the gain, which is all the limiter does below its threshold; only if some sample
  /// of the block passed the threshold does a scalar pass redo the block through `limit`. Both give the same
  /// bits for every sample. (No `any(mask)` per vector: it calls an out-of-line `SIMD.min()`.)
  static func limitAndInterleave(
    left: UnsafePointer<Float>, right: UnsafePointer<Float>, gain: Float, frames: Int,
    into out: UnsafeMutablePointer<Float>, peak: inout Float, sumOfSquares: inout Float
  ) {
    var i = 0
    var peak8 = SIMD8<Float>(repeating: 0)
    var squares8 = SIMD8<Float>()
    while i + 8 <= frames {
      let l = UnsafeRawPointer(left + i).loadUnaligned(as: SIMD8<Float>.self) * gain
      let r = UnsafeRawPointer(right + i).loadUnaligned(as: SIMD8<Float>.self) * gain
      let al = l.replacing(with: -l, where: l .< 0)
      let ar = r.replacing(with: -r, where: r .< 0)
      let m = al.replacing(with: ar, where: ar .> al)
      peak8.replace(with: m, where: m .> peak8)
      squares8 += l * l + r * r
      for j in 0..<8 {
        out[2 * (i + j)] = l[j]
        out[2 * (i + j) + 1] = r[j]
      }
      i += 8
    }
    var p = peak8.max()
    var sq = squares8.sum()
    for j in i..<frames {
      let l = left[j] * gain
      let r = right[j] * gain
      out[2 * j] = l
      out[2 * j + 1] = r
      p = max(p, abs(l), abs(r))
      sq += l * l + r * r
    }
    if p > threshold {
      // Some sample needs limiting: redo the block through the limiter (identity below the threshold).
      p = 0
      sq = 0
      for j in 0..<frames {
        let l = limit(left[j] * gain)
        let r = limit(right[j] * gain)
        out[2 * j] = l
        out[2 * j + 1] = r
        p = max(p, abs(l), abs(r))
        sq += l * l + r * r
      }
    }
    peak = max(peak, p)
    sumOfSquares += sq
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
