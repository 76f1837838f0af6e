/// Deterministic math for the render loop. No libm transcendental is called per sample (glibc's results may
/// change between versions); these polynomials are plain IEEE `+ - *`, which Swift never contracts into FMA,
/// so scalar and SIMD paths give the same bits on every build.
public enum DSPMath {
  /// 2^-31: maps an `Int32` phase to [-1, 1).
  static let phaseScale: Float = 1.0 / 2_147_483_648.0

  /// sin(2π·phase/2^32) from a fixed-point phase, accurate to about 4e-6 (−108 dB).
  @inline(__always)
  static func sine(_ phase: UInt32) -> Float {
    // x in [-1, 1) stands for the angle πx; fold into [-1/2, 1/2] where the odd polynomial is accurate.
    var x = Float(Int32(bitPattern: phase)) * phaseScale
    if x > 0.5 { x = 1 - x }
    if x < -0.5 { x = -1 - x }
    return sinePoly(x)
  }

  /// sin(πx) for x in [-1/2, 1/2] (Taylor to x^9).
  @inline(__always)
  static func sinePoly(_ x: Float) -> Float {
    let x2 = x * x
    return x * (3.141_592_65 + x2 * (-5.167_712_8 + x2 * (2.550_164 + x2 * (-0.599_264_5 + x2 * 0.082_145_89))))
  }

  /// 2^x for x ≤ 0, relative error below 2e-7; 0 below -126.
  @inline(__always)
  static func exp2(_ x: Float) -> Float {
    if x < -126 { return 0 }
    var n = Int32(x)  // truncates toward zero
    if Float(n) > x { n -= 1 }
    let f = x - Float(n)  // 0 ≤ f < 1
    // 2^f, degree-6 Taylor in f·ln2.
    let y = f * 0.693_147_2
    let p = 1 + y * (1 + y * (0.5 + y * (0.166_666_67 + y * (0.041_666_668 + y * (0.008_333_334 + y * 0.001_388_889)))))
    return p * Float(bitPattern: UInt32(truncatingIfNeeded: n + 127) << 23)
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
  public static func frequencyHz(midi: Double) -> Double { 440 * exp2Double((midi - 69) / 12) }

  /// Constant-power pan gains for a position −1 (left) … 1 (right): L² + R² = 1, both √½ in the centre.
  public static func panGains(_ pan: Double) -> (left: Float, right: Float) {
    let p = Swift.max(-1, Swift.min(1, pan))
    let (s, c) = sinCos((p + 1) * 0.785_398_163_397_448_309_6)
    return (Float(c), Float(s))
  }

  /// Decibels → linear gain.
  public static func gain(decibels: Double) -> Double { exp2Double(decibels / 20 * 3.321_928_094_887_362_3) }
}

/// Counter-based noise: each value is a pure function of (key, index), so noise never depends on how the
/// render is split into blocks or threads.
public enum NoiseHash {
  /// A well-mixed 64-bit hash (SplitMix64's finaliser).
  @inline(__always)
  public static func mix(_ z: UInt64) -> UInt64 {
    var z = z &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [-1, 1) for sample `index` of the stream `key`.
  @inline(__always)
  public static func uniform(key: UInt64, index: Int64) -> Float {
    let h = mix(key ^ mix(UInt64(bitPattern: index)))
    return Float(Int32(truncatingIfNeeded: h >> 32)) * DSPMath.phaseScale
  }

  /// A key for a stream from several parts (seed, track, statement, purpose …).
  public static func key(_ parts: UInt64...) -> UInt64 {
    parts.reduce(0x5EED_0F5A_17E5_0000) { mix($0 ^ $1) }
  }
}
