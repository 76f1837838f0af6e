/// The few transcendental functions automation needs, written with + − × ÷ only (no libm), so a curve has the
/// same bits on every machine. Accurate to ~1e-12 relative, far below what a parameter can show.
public enum AutomationMath {
  /// 2^x.
  public static func exp2(_ x: Double) -> Double {
    guard x.isFinite else { return x > 0 ? .infinity : 0 }
    let clamped = min(max(x, -1000), 1000)
    let whole = clamped.rounded(.down)
    let f = (clamped - whole) * 0.693_147_180_559_945_3  // ln 2 · frac, in [0, 0.694)
    // e^f by its Taylor series (converges fast on this interval).
    var term = 1.0
    var sum = 1.0
    for k in 1...18 {
      term *= f / Double(k)
      sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(whole), significand: 1)
  }

  /// log2(x), x > 0.
  public static func log2(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
    // x = m · 2^e with m in [1, 2); then ln m = 2·atanh((m − 1)/(m + 1)).
    let e = Double(x.exponent)
    let m = x.significand
    let z = (m - 1) / (m + 1)
    let z2 = z * z
    var term = z
    var sum = 0.0
    var k = 1.0
    while k < 60 {
      sum += term / k
      term *= z2
      k += 2
    }
    return e + 2 * sum / 0.693_147_180_559_945_3
  }

  /// sin(2π·p) for p in [0, 1).
  public static func sin2pi(_ p: Double) -> Double {
    // Fold to [-1/4, 1/4] cycles, then the Taylor series of sin.
    var q = p
    if q > 0.5 { q -= 1 }  // (-0.5, 0.5]
    if q > 0.25 { q = 0.5 - q } else if q < -0.25 { q = -0.5 - q }
    let x = 2 * Double.pi * q
    let x2 = x * x
    var term = x
    var sum = x
    for k in stride(from: 2.0, through: 26, by: 2) {
      term *= -x2 / (k * (k + 1))
      sum += term
    }
    return sum
  }
}
