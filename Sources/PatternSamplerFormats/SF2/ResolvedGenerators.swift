/// The final generator values of one (preset zone × instrument zone) pair (SF2.04 §9.4 … §9.5).
///
/// Instrument values (local over global over the spec default) are the base; preset values (local over
/// global) are ADDED to them, except the instrument-only generators; key and velocity ranges intersect;
/// every sum is then clamped to the spec's range.
struct ResolvedGenerators: Sendable {
  private(set) var values = [Int](repeating: 0, count: Gen.count)
  var keyLow = 0, keyHigh = 127
  var velLow = 0, velHigh = 127

  init(instrument: GeneratorSet, preset: GeneratorSet) {
    for g in 0..<Gen.count where g != Gen.keyRange && g != Gen.velRange {
      var v = instrument.value(g) ?? Gen.defaults[g]
      if !Gen.instrumentOnly[g], let p = preset.value(g) { v += p }
      if let limit = Gen.limits[g] { v = min(max(v, limit.lowerBound), limit.upperBound) }
      values[g] = v
    }
    let ik = instrument.range(Gen.keyRange), pk = preset.range(Gen.keyRange)
    keyLow = max(ik.lo, pk.lo)
    keyHigh = min(ik.hi, pk.hi, 127)
    let iv = instrument.range(Gen.velRange), pv = preset.range(Gen.velRange)
    velLow = max(iv.lo, pv.lo)
    velHigh = min(iv.hi, pv.hi, 127)
  }

  /// False when the intersected key or velocity range is empty: the pair never sounds.
  var isPlayable: Bool { keyLow <= keyHigh && velLow <= velHigh }

  subscript(_ g: Int) -> Int { g >= 0 && g < Gen.count ? values[g] : 0 }

  /// A fine + coarse (× 32768 points) address offset pair, in sample points.
  func address(fine: Int, coarse: Int) -> Int { self[fine] + 32768 * self[coarse] }
}
