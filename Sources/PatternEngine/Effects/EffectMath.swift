extension DSPMath {
  /// log2(x) for x > 0 (below 2^-126 it is clamped), absolute error below 1e-6: the exponent from the bits, the
  /// mantissa by the atanh series around 1. Plain IEEE operations only.
  @inline(__always)
  static func log2(_ x: Float) -> Float {
    let v = max(x, 1.175_494_4e-38)
    let bits = v.bitPattern
    var e = Int32(bitPattern: (bits >> 23) & 0xFF) - 127
    var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // [1, 2)
    if m > 1.414_213_5 {
      m *= 0.5
      e += 1
    }
    let t = (m - 1) / (m + 1)  // |t| < 0.172
    let t2 = t * t
    var p = t2 * (1 / 9) + (1 / 7)
    p = t2 * p + (1 / 5)
    p = t2 * p + (1 / 3)
    p = t2 * p + 1
    // ln(m) = 2t·p; log2 = ln / ln 2.
    return Float(e) + t * p * 2.885_390_1
  }

  /// 10^(dB/20) per sample (via `exp2`, so only for dB ≤ 0 … small positive values: exp2 needs x ≤ 0, so the
  /// positive part is split off as an exact power of two).
  @inline(__always)
  static func gainFromDecibels(_ db: Float) -> Float {
    let x = db * 0.166_096_4  // log2(10)/20
    let whole = (x <= 0 ? 0 : x).rounded(.up)
    return exp2(x - whole) * Float(bitPattern: UInt32(truncatingIfNeeded: Int32(whole) + 127) << 23)
  }

  /// `log2` on eight lanes, the same operations per lane (so a block and a frame-by-frame pass agree).
  @inline(__always)
  static func log2(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let v = x.replacing(with: 1.175_494_4e-38, where: x .< 1.175_494_4e-38)
    let bits = unsafeBitCast(v, to: SIMD8<UInt32>.self)
    var e = unsafeBitCast((bits &>> 23) & 0xFF, to: SIMD8<Int32>.self) &- 127
    var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD8<Float>.self)
    let big = m .> 1.414_213_5
    m.replace(with: m * 0.5, where: big)
    e.replace(with: e &+ 1, where: big)
    let t = (m - 1) / (m + 1)
    let t2 = t * t
    var p: SIMD8<Float> = t2 * (1 / 9) + (1 / 7)
    p = t2 * p + (1 / 5)
    p = t2 * p + (1 / 3)
    p = t2 * p + 1
    return float(e) + t * p * 2.885_390_1
  }

  /// Small whole numbers (|n| < 2^22) as floats, exactly, without Swift's per-lane conversion call.
  @inline(__always)
  static func float(_ n: SIMD8<Int32>) -> SIMD8<Float> {
    unsafeBitCast(n &+ 0x4B40_0000, to: SIMD8<Float>.self) - 12_582_912
  }

  /// `gainFromDecibels` on eight lanes: the same operations as the scalar version's (a non-positive exponent
  /// goes through `exp2(x − 0) × 2^0`, which is `exp2(x)` bit for bit).
  @inline(__always)
  static func gainFromDecibels(_ db: SIMD8<Float>) -> SIMD8<Float> {
    let x = db * 0.166_096_4
    let whole = x.replacing(with: 0, where: x .<= 0).rounded(.up)
    let n = unsafeBitCast(whole + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((n &+ 127) &<< 23, to: SIMD8<Float>.self)
    return exp2(x - whole) * scale
  }

  /// log10 for set-up values (tails, reports; not per sample): the exponent by halving, the mantissa by the
  /// atanh series, in double precision.
  package static func log10(_ x: Double) -> Double {
    precondition(x > 0)
    var v = x
    var e = 0.0
    while v >= 2 {
      v /= 2
      e += 1
    }
    while v < 1 {
      v *= 2
      e -= 1
    }
    // ln(v) by the atanh series, v in [1, 2).
    let t = (v - 1) / (v + 1)
    var sum = 0.0
    var term = t
    var k = 1.0
    for _ in 0..<30 {
      sum += term / k
      term *= t * t
      k += 2
    }
    let ln = 2 * sum + e * 0.693_147_180_559_945_309_4
    return ln / 2.302_585_092_994_045_684
  }
}
