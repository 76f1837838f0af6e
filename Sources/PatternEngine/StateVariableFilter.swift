/// A state-variable filter in the topology-preserving form (Zavalishin, "The Art of VA Filter Design"):
/// stable at any cutoff, resonant, with low/band/high outputs. Coefficients are computed once per voice
/// (the `tan` is our own, not libm's); the two state values carry from sample to sample in time order.
struct StateVariableFilter: Sendable {
  var a1: Float = 0
  var a2: Float = 0
  var a3: Float = 0
  var k: Float = 0
  var ic1: Float = 0
  var ic2: Float = 0
  /// What `retune` last computed the coefficients from (cutoff Hz, q, sample rate; NaN: nothing yet).
  private var tuned = SIMD3<Double>(repeating: .nan)

  /// - Parameters:
  ///   - cutoffHz: Corner frequency, clamped below 0.45 × sampleRate.
  ///   - q: Resonance (0.5 = none, higher rings).
  init(cutoffHz: Double, q: Double, sampleRate: Double) {
    let fc = Swift.min(Swift.max(cutoffHz, 10), sampleRate * 0.45)
    let g = DSPMath.tan(Double.pi * fc / sampleRate)
    let k = 1 / Swift.max(q, 0.1)
    let a1 = 1 / (1 + g * (g + k))
    self.a1 = Float(a1)
    self.a2 = Float(g * a1)
    self.a3 = Float(g * g * a1)
    self.k = Float(k)
  }

  init() {}

  /// New coefficients for `cutoffHz` and `q`; the state carries on (control-rate retuning).
  mutating func retune(cutoffHz: Double, q: Double, sampleRate: Double) {
    // A cutoff that has not moved (a sustained filter envelope, no automation) keeps its coefficients: the
    // same inputs give the same ones, without the `tan` (measured: 3 % of an album's synthesis).
    let inputs = SIMD3(cutoffHz, q, sampleRate)
    guard inputs != tuned else { return }
    tuned = inputs
    let fresh = StateVariableFilter(cutoffHz: cutoffHz, q: q, sampleRate: sampleRate)
    (a1, a2, a3, k) = (fresh.a1, fresh.a2, fresh.a3, fresh.k)
  }

  /// Processes one sample; returns (low, band, high).
  @inline(__always)
  mutating func process(_ v0: Float) -> (low: Float, band: Float, high: Float) {
    let v3 = v0 - ic2
    let v1 = a1 * ic1 + a2 * v3
    let v2 = ic2 + a2 * ic1 + a3 * v3
    ic1 = 2 * v1 - ic1
    ic2 = 2 * v2 - ic2
    return (v2, v1, v0 - k * v1 - v2)
  }
}
