import PatternLanguage

/// Deterministic math for the render loop. No libm transcendental is called per sample (glibc's results may
/// change between versions); these polynomials are plain IEEE `+ - *`, which Swift never contracts into FMA,
/// so scalar and SIMD paths give the same bits on every build.
package enum DSPMath {
  /// 2^-31: maps an `Int32` phase to [-1, 1).
  static let phaseScale: Float = 1.0 / 2_147_483_648.0

  /// sin(2π·phase/2^32): the phase read as a signed fraction x of a half turn, folded into [-1/2, 1/2] where
  /// the odd polynomial is accurate (the sine oscillator and the chorus LFO).
  @inline(__always)
  static func sine(phase: UInt32) -> Float {
    var y = Float(Int32(bitPattern: phase)) * phaseScale
    if y > 0.5 { y = 1 - y }
    if y < -0.5 { y = -1 - y }
    return sinePoly(y)
  }

  /// sin(πx) for x in [-1/2, 1/2] (Taylor to x^9).
  @inline(__always)
  static func sinePoly(_ x: Float) -> Float {
    let x2 = x * x
    var p = x2 * 0.082_145_89 + -0.599_264_5
    p = x2 * p + 2.550_164
    p = x2 * p + -5.167_712_8
    p = x2 * p + 3.141_592_65
    return x * p
  }

  /// 2^x for x ≤ 0, relative error below 2e-7; inputs below -126 give 2^-126.
  @inline(__always)
  static func exp2(_ x: Float) -> Float {
    let xc = x < -126 ? -126 : x
    var n = Int32(xc)  // truncates toward zero
    if Float(n) > xc { n -= 1 }
    let f = xc - Float(n)  // 0 ≤ f < 1
    // 2^f, degree-6 Taylor in f·ln2.
    let y = f * 0.693_147_2
    var p = y * 0.001_388_889 + 0.008_333_334
    p = y * p + 0.041_666_668
    p = y * p + 0.166_666_67
    p = y * p + 0.5
    p = y * p + 1
    p = y * p + 1
    return p * Float(bitPattern: UInt32(truncatingIfNeeded: n + 127) << 23)
  }

  /// `exp2` on eight lanes with the same operations per lane as the scalar version (floor instead of
  /// truncate-and-adjust gives the same integer for every x).
  ///
  /// The input is clamped first; selecting on the *result* (e.g. "0 where x < -126") makes LLVM sink the
  /// whole polynomial behind per-lane branches, which scalarises it (measured: 8× slower).
  @inline(__always)
  static func exp2(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let xc = x.replacing(with: -126, where: x .< -126)
    let n = xc.rounded(.down)
    let f = xc - n
    let y = f * 0.693_147_2
    var p: SIMD8<Float> = y * 0.001_388_889 + 0.008_333_334
    p = y * p + 0.041_666_668
    p = y * p + 0.166_666_67
    p = y * p + 0.5
    p = y * p + 1
    p = y * p + 1
    // 2^n without a float→int conversion (generic and per-lane in Swift's SIMD): adding 1.5·2^23 puts the
    // integer n in the low mantissa bits, from where it is shifted into the exponent field.
    let biased = unsafeBitCast(n + 12_582_912, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127
    return p * unsafeBitCast(biased &<< 23, to: SIMD8<Float>.self)
  }

  /// sin(2π·c) on eight lanes, for cycle counts c ≥ 0 held in `Float` (short drum glides).
  @inline(__always)
  static func sineOfCycles(_ c: SIMD8<Float>) -> SIMD8<Float> {
    var y = (c - c.rounded(.down)) * 2  // [0, 2): the angle πy
    y.replace(with: y - 2, where: y .>= 1)  // [-1, 1)
    y.replace(with: 1 - y, where: y .> 0.5)
    y.replace(with: -1 - y, where: y .< -0.5)
    return sinePoly8(y)
  }

  /// The lanes' sum from the first to the last, one addition after another: the bits of the standard library's
  /// `SIMD.sum()` (which starts from −0, and −0 + x is x), inline. The generic `sum()` was an out-of-line call
  /// per frame in the piano voices (its `vzeroupper` and the spills around it).
  @inline(always)
  static func sumInOrder(_ v: SIMD8<Float>) -> Float {
    var r = v[0]
    r += v[1]
    r += v[2]
    r += v[3]
    r += v[4]
    r += v[5]
    r += v[6]
    r += v[7]
    return r
  }

  /// `sinePoly` on eight lanes (same operations).
  @inline(__always)
  static func sinePoly8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let x2 = x * x
    var p: SIMD8<Float> = x2 * 0.082_145_89 + -0.599_264_5
    p = x2 * p + 2.550_164
    p = x2 * p + -5.167_712_8
    p = x2 * p + 3.141_592_65
    return x * p
  }

  /// sin and cos of an angle in radians, to double precision, for per-event values (pan gains, filter
  /// coefficients): Taylor series after reduction to [-π/4, π/4].
  static func sinCos(_ angle: Double) -> (sin: Double, cos: Double) {
    let halfPi = 1.570_796_326_794_896_619_23
    let q = (angle / halfPi).rounded()
    let r = angle - q * halfPi
    var s = 0.0
    var c = 0.0
    var term = r
    var k = 1.0
    // sin(r)
    for _ in 0..<12 {
      s += term
      term *= -r * r / ((k + 1) * (k + 2))
      k += 2
    }
    term = 1
    k = 0
    for _ in 0..<12 {
      c += term
      term *= -r * r / ((k + 1) * (k + 2))
      k += 2
    }
    switch ((Int(q) % 4) + 4) % 4 {
    case 0: return (s, c)
    case 1: return (c, -s)
    case 2: return (-s, -c)
    default: return (-c, s)
    }
  }

  /// tan(x) for per-event filter coefficients.
  static func tan(_ x: Double) -> Double {
    let (s, c) = sinCos(x)
    return s / c
  }

  /// 2^x in double precision (per event, e.g. note → frequency).
  static func exp2Double(_ x: Double) -> Double {
    let n = x.rounded(.down)
    let y = (x - n) * 0.693_147_180_559_945_309_4
    var term = 1.0
    var sum = 1.0
    for k in 1...22 {
      term *= y / Double(k)
      sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
  }

  /// Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz).
  package static func frequencyHz(midi: Double) -> Double { 440 * exp2Double((midi - 69) / 12) }

  /// Constant-power pan gains for a position −1 (left) … 1 (right): L² + R² = 1, both √½ in the centre.
  package static func panGains(_ pan: Double) -> (left: Float, right: Float) {
    let p = Swift.max(-1, Swift.min(1, pan))
    let (s, c) = sinCos((p + 1) * 0.785_398_163_397_448_309_6)
    return (Float(c), Float(s))
  }

  /// Decibels → linear gain.
  package static func gain(decibels: Double) -> Double { exp2Double(decibels / 20 * 3.321_928_094_887_362_3) }
}

/// Counter-based noise: each value is a pure function of (key, index), so noise never depends on how the
/// render is split into blocks or threads. The per-sample hash is 32-bit (two rounds of the "lowbias32"
/// integer hash, keyed) so eight lanes vectorise; keys are mixed from 64-bit parts with SplitMix64.
package enum NoiseHash {
  /// A well-mixed 64-bit hash (SplitMix64's finaliser), for keys and dither.
  @inline(__always)
  package static func mix(_ z: UInt64) -> UInt64 { StreamKey.mix(z) }

  @inline(__always)
  static func lowbias32(_ v: UInt32) -> UInt32 {
    var x = v
    x ^= x >> 16
    x &*= 0x7FEB_352D
    x ^= x >> 15
    x &*= 0x846C_A68B
    x ^= x >> 16
    return x
  }

  @inline(__always)
  static func lowbias32(_ v: SIMD8<UInt32>) -> SIMD8<UInt32> {
    var x = v
    x ^= x &>> 16
    x &*= 0x7FEB_352D
    x ^= x &>> 15
    x &*= 0x846C_A68B
    x ^= x &>> 16
    return x
  }

  /// Uniform in [-1, 1) for sample `index` of the stream `key`.
  @inline(__always)
  package static func uniform(key: UInt64, index: Int64) -> Float {
    let x = lowbias32(
      lowbias32(UInt32(truncatingIfNeeded: index) ^ UInt32(truncatingIfNeeded: key))
        ^ UInt32(truncatingIfNeeded: key >> 32))
    return toUniform(x)
  }

  /// The top 23 bits of a hash as a float in [-1, 1): bits into the mantissa of [1, 2), then 2x − 3.
  @inline(__always)
  static func toUniform(_ x: UInt32) -> Float { Float(bitPattern: (x >> 9) | 0x3F80_0000) * 2 - 3 }

  @inline(__always)
  static func toUniform(_ x: SIMD8<UInt32>) -> SIMD8<Float> {
    unsafeBitCast((x &>> 9) | 0x3F80_0000, to: SIMD8<Float>.self) * 2 - 3
  }

  /// A key for a stream from several parts (seed, track, statement, purpose …).
  package static func key(_ parts: UInt64...) -> UInt64 {
    parts.reduce(0x5EED_0F5A_17E5_0000) { mix($0 ^ $1) }
  }
}
