/// Counts the `pmod`/`imod` records a preset uses, for the one "modulators ignored" warning.
///
/// Records that redefine one of the two default modulators the regions model (velocity → attenuation,
/// velocity → filter cutoff) are counted separately: by the spec (§9.5.1) their amount replaces the
/// default's, which the reader does not do — many fonts use it to switch velocity → filter off (amount 0).
struct ModulatorTally: Sendable {
  private(set) var total = 0
  private(set) var redefiningVelocityToFilter = 0
  private(set) var redefiningVelocityToAttenuation = 0

  mutating func add(_ range: Range<Int>, of records: [ModRecord]) {
    let lo = max(0, min(range.lowerBound, records.count)), hi = max(lo, min(range.upperBound, records.count))
    for m in records[lo..<hi] {
      // An all-zero record is the terminal record or an empty slot, not a modulator.
      guard m.source != 0 || m.destination != 0 || m.amountSource != 0 else { continue }
      total += 1
      if m.isDefaultVelocityToFilter { redefiningVelocityToFilter += 1 }
      if m.isDefaultVelocityToAttenuation { redefiningVelocityToAttenuation += 1 }
    }
  }

  /// "N non-default modulators ignored (pmod/imod)…", nil when there are none.
  var warning: String? {
    guard total > 0 else { return nil }
    var text = "\(total) non-default modulators ignored (pmod/imod)"
    if redefiningVelocityToFilter > 0 {
      text += "; \(redefiningVelocityToFilter) redefine the default velocity → filter cutoff modulator"
    }
    if redefiningVelocityToAttenuation > 0 {
      text += "; \(redefiningVelocityToAttenuation) redefine the default velocity → attenuation modulator"
    }
    return text
  }
}

extension ModRecord {
  /// The amount of the last record in `range` that redefines the default velocity → filter modulator: by the
  /// spec (§9.5.1) it replaces the default's −2400 cents at instrument level and adds at preset level (many
  /// fonts set it to 0 to switch velocity filtering off; FluidSynth honours that).
  static func velocityToFilterAmount(_ range: Range<Int>, of records: [ModRecord]) -> Int? {
    let lo = max(0, min(range.lowerBound, records.count)), hi = max(lo, min(range.upperBound, records.count))
    return records[lo..<hi].last(where: \.isDefaultVelocityToFilter).map { Int($0.amount) }
  }

  /// Same sources, destination and transform as the default velocity → filter modulator (§8.4.2): source
  /// 0x0102 (velocity, linear, negative), destination initialFilterFc, amount source 0x0D02 (the spec's
  /// velocity switch) or 0x0C02 (FluidSynth's).
  var isDefaultVelocityToFilter: Bool {
    source == 0x0102 && destination == 8 && (amountSource == 0x0D02 || amountSource == 0x0C02) && transform == 0
  }

  /// Same as the default velocity → attenuation modulator (§8.4.1): source 0x0502 (velocity, concave,
  /// negative), destination initialAttenuation, no amount source.
  var isDefaultVelocityToAttenuation: Bool {
    source == 0x0502 && destination == 48 && amountSource == 0 && transform == 0
  }
}
