/// An exponential fall drawn as `pieces` straight pieces of equal length, so every kernel keeps evaluating
/// one closed-form ramp per piece (exact, block-size invariant, no transcendental per sample). Each piece
/// ends at `ratio` times the level it began at; the last one ends on the target (the sustain level, or
/// silence), so the curve is continuous and finite.
struct FallCurve: Sendable, Hashable {
  /// Number of pieces (≥ 1).
  var pieces: Int64
  /// Amplitude ratio per piece (0 … 1).
  var ratio: Float
  /// For a decay: fall in decibels straight down to the sustain level (SF2, SFZ) instead of approaching
  /// it (an analogue ADSR's `S + (1 − S)·e^(−t/τ)`).
  var decibelLinear = false

  /// 10 pieces of −6 dB: an analogue-style fall, −54 dB at 90 % of its time, silence at its end.
  static let standard = FallCurve(pieces: 10, ratio: 0.5)
  /// A straight line (choke fades).
  static let linear = FallCurve(pieces: 1, ratio: 0)

  /// The piece of a fall of `length` frames that holds offset `k`: the curve indices its straight line
  /// runs between (`first` → `last`) and its frames `[from, to)` relative to the fall's start (boundaries at
  /// `length · i / pieces`, whole frames). A fall shorter than `pieces` frames is one straight line.
  func piece(at k: Int64, length: Int64) -> (first: Int64, last: Int64, from: Int64, to: Int64) {
    guard length >= pieces else { return (0, pieces, 0, length) }
    var i = min(pieces - 1, k * pieces / length)
    while i + 1 < pieces && length * (i + 1) / pieces <= k { i += 1 }
    return (i, i + 1, length * i / pieces, length * (i + 1) / pieces)
  }

  /// The level at the start of piece `i`: `base + span · ratio^i`, and `target` at the end of the last.
  func level(_ i: Int64, base: Float, span: Float, target: Float) -> Float {
    if i >= pieces { return target }
    var g: Float = 1
    for _ in 0..<i { g *= ratio }
    return base + span * g
  }
}
