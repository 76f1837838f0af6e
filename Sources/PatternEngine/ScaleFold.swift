/// Multiplications of a saw's sustained samples the kernel may fold into fewer, with the same bits.
///
/// The saw's sample far from its edge is `x = Float(Int32(phase)) · 2^-31` (exact: a power-of-two scaling),
/// then `y = x · c0`, then `y · gain` per channel. Where a product of the constants is exact, multiplying by
/// it rounds the same real number once, as the chain did:
/// - `scale = c0 · 2^-31` when that is a normal float: `Float(phase) · scale` is `y`.
/// - `gains = gain · c0 · 2^-31` when `c0` is a power of two (so `x · c0` was exact, too) and both products are
///   normal: `Float(phase) · gains` is `y · gain`.
struct ScaleFold {
  /// `c0 · 2^-31`, when exact.
  var scale: Float?
  /// `(left, right) gain · c0 · 2^-31`, when exact.
  var gains: (Float, Float)?

  init<Shape: WaveShape>(_ shape: Shape.Type, c0: Float, gainLeft: Float, gainRight: Float) {
    guard Shape.isScaledPhase, c0 > 0, c0.isFinite else { return }
    let s = c0 * DSPMath.phaseScale
    // Exact and normal (x · c0 for the smallest nonzero x, 2^-31, must not be subnormal either).
    guard s.isNormal, Double(s) == Double(c0) * Double(DSPMath.phaseScale) else { return }
    scale = s
    guard c0.significandBitPattern == 0, gainLeft > 0, gainRight > 0 else { return }
    let l = gainLeft * s
    let r = gainRight * s
    guard l.isNormal, r.isNormal, Double(l) == Double(gainLeft) * Double(s), Double(r) == Double(gainRight) * Double(s)
    else { return }
    gains = (l, r)
  }
}
