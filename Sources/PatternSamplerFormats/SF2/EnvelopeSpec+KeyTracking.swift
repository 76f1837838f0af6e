extension EnvelopeSpec {
  /// Hold time in seconds for MIDI key `key`, with SF2 keynumTo…Hold key tracking applied.
  public func hold(forKey key: Int) -> Double {
    hold * Timecents.factor(holdKeyTrackTimecents * Double(60 - key))
  }

  /// Decay time in seconds for MIDI key `key`, with SF2 keynumTo…Decay key tracking applied.
  public func decay(forKey key: Int) -> Double {
    decay * Timecents.factor(decayKeyTrackTimecents * Double(60 - key))
  }
}

/// SF2 unit conversions (SF2.04 §8.1.1).
enum Timecents {
  /// 2^(tc/1200): a time ratio for a timecents difference.
  static func factor(_ tc: Double) -> Double { pow2(tc / 1200) }

  /// Delay and hold segments: 2^(tc/1200) seconds; the spec minimum −12000 (≈ 1 ms) means "none" → 0.
  static func delaySeconds(_ tc: Int) -> Double { tc <= -12000 ? 0 : factor(Double(tc)) }

  /// Attack, decay and release ramps: 2^(tc/1200) seconds, at least 1 ms (the spec minimum, and a
  /// click-free floor; 2^(−12000/1200) = 0.98 ms is rounded to 0.001 s).
  static func rampSeconds(_ tc: Int) -> Double { max(0.001, factor(Double(tc))) }

  /// Absolute cents → Hz: 8.176 × 2^(c/1200) (LFO frequencies, filter cutoff).
  static func hertz(absoluteCents c: Int) -> Double { 8.176 * factor(Double(c)) }

  /// 2^x without Foundation (exp2 is not in the Swift standard library).
  static func pow2(_ x: Double) -> Double {
    guard x.isFinite else { return x > 0 ? .infinity : 0 }
    let clamped = min(max(x, -1000), 1000)
    let whole = clamped.rounded(.down)
    let frac = clamped - whole
    // exp(frac·ln2) by its Taylor series: frac ∈ [0, 1) so 20 terms are exact to double precision.
    var term = 1.0, sum = 1.0
    let y = frac * 0.693_147_180_559_945_3
    for n in 1...20 {
      term *= y / Double(n)
      sum += term
    }
    return Double(sign: .plus, exponent: Int(whole), significand: sum)
  }
}
