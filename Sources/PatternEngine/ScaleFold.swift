/// Multiplications of a saw's sustained samples the kernel may fold into fewer, with the same bits.
///
/// The saw's sample far from its edge is `x = Float(Int32(phase)) · 2^-31` (exact: a power-of-two scaling),
/// then `y = x · c0`, then `y · gain` per channel. Where a product of the constants is exact, multiplying by
/// it rounds the same real number once, as the chain did:
/// - `scale = c0 · 2^-31` when that is a normal float: `Float(phase) · scale` is `y`.
/// - `gains.phase = gain · c0 · 2^-31` when `c0` is a power of two (so `x · c0` was exact, too) and both
///   products are normal: `Float(phase) · gains.phase` is `y · gain`.
/// - `gains.sample = gain · c0` under the same condition, for the samples near an edge: a corrected saw sample
///   s = x − blep is 0 or at least 2^-31 in magnitude (x is a multiple of 2^-31; the blep a multiple of 2^-24, as
///   its last operation adds ±1 to a value of magnitude at most 1) and at most
///   2, so `s · c0` is exact too (c0 · 2^-31 is normal, c0 ≤ 2^64) and `s · gains.sample` is `(s · c0) · gain`.
struct ScaleFold {
  /// `c0 · 2^-31`, when exact.
  var scale: Float?
  /// Per channel (left, right): `gain · c0 · 2^-31` for the integer phase and `gain · c0` for a corrected
  /// sample, when all four are exact.
  var gains: (phase: (Float, Float), sample: (Float, Float))?

  init<Shape: WaveShape>(_ shape: Shape.Type, c0: Float, gainLeft: Float, gainRight: Float) {
    guard Shape.isScaledPhase, c0 > 0, c0.isFinite else { return }
    let s = c0 * DSPMath.phaseScale
    // Exact and normal (x · c0 for the smallest nonzero x, 2^-31, must not be subnormal either).
    guard s.isNormal, Double(s) == Double(c0) * Double(DSPMath.phaseScale) else { return }
    scale = s
    guard c0.significandBitPattern == 0, c0 <= 0x1p64, gainLeft > 0, gainRight > 0,
      let phase = ScaleFold.exactProducts(gainLeft, gainRight, s),
      let sample = ScaleFold.exactProducts(gainLeft, gainRight, c0)
    else { return }
    gains = (phase, sample)
  }

  /// `(left · factor, right · factor)` when both products are normal and exact.
  private static func exactProducts(_ left: Float, _ right: Float, _ factor: Float) -> (Float, Float)? {
    let l = left * factor
    let r = right * factor
    guard l.isNormal, r.isNormal, Double(l) == Double(left) * Double(factor),
      Double(r) == Double(right) * Double(factor)
    else { return nil }
    return (l, r)
  }
}
