/// An instrument's local zones with the global zone already applied, plus what the resolver asks of them
/// repeatedly (computed once per instrument so resolving stays linear in the number of zones).
struct InstrumentZones: Sendable {
  struct Local: Sendable {
    /// Local generators over the global zone's (not yet combined with any preset).
    var gens: GeneratorSet
    var sample: Int
    /// The amount of a modulator redefining the default velocity → filter cutoff (local over global), if any.
    var velocityToFilter: Int? = nil
  }

  var locals: [Local] = []
  /// The `imod` records of the global and local zones.
  var modulators: [Range<Int>] = []
  var discarded = 0
  /// Keys covered by at least one local zone.
  var keys = KeySet()

  init(_ list: ZoneList, mods: [ModRecord] = []) {
    let global = list.global?.gens ?? GeneratorSet()
    let globalVelocityToFilter = list.global.flatMap { ModRecord.velocityToFilterAmount($0.modulators, of: mods) }
    modulators = list.global.map { [$0.modulators] } ?? []
    discarded = list.discarded
    for zone in list.locals {
      let gens = global.overlaid(by: zone.gens)
      let sample = zone.target ?? -1
      let velocityToFilter = ModRecord.velocityToFilterAmount(zone.modulators, of: mods) ?? globalVelocityToFilter
      locals.append(Local(gens: gens, sample: sample, velocityToFilter: velocityToFilter))
      modulators.append(zone.modulators)
      let k = gens.range(Gen.keyRange)
      keys.insert(k.lo, k.hi)
    }
  }
}

/// A set of MIDI keys 0 … 127 as a 128-bit mask.
struct KeySet: Hashable, Sendable {
  var low: UInt64 = 0, high: UInt64 = 0

  /// Adds keys `lo … hi` (clamped to 0 … 127; nothing when lo > hi).
  mutating func insert(_ lo: Int, _ hi: Int) {
    let a = max(lo, 0), b = min(hi, 127)
    guard a <= b else { return }
    let m = Self.mask(a, b)
    low |= m.low
    high |= m.high
  }

  func intersection(_ lo: Int, _ hi: Int) -> KeySet {
    let a = max(lo, 0), b = min(hi, 127)
    guard a <= b else { return KeySet() }
    let m = Self.mask(a, b)
    return KeySet(low: low & m.low, high: high & m.high)
  }

  mutating func formUnion(_ other: KeySet) {
    low |= other.low
    high |= other.high
  }

  /// Lowest … highest key in the set, nil when empty.
  var span: ClosedRange<Int>? {
    let lo = low != 0 ? low.trailingZeroBitCount : high != 0 ? 64 + high.trailingZeroBitCount : nil
    let hi = high != 0 ? 127 - high.leadingZeroBitCount : low != 0 ? 63 - low.leadingZeroBitCount : nil
    guard let lo, let hi else { return nil }
    return lo...hi
  }

  /// Bits a … b set (0 ≤ a ≤ b ≤ 127).
  private static func mask(_ a: Int, _ b: Int) -> (low: UInt64, high: UInt64) {
    func bits(_ from: Int, _ to: Int) -> UInt64 {  // bits from … to of one word, 0 ≤ from ≤ to ≤ 63
      let width = to - from + 1
      return (width == 64 ? ~0 : ((1 << UInt64(width)) - 1)) << UInt64(from)
    }
    let low: UInt64 = a <= 63 ? bits(a, min(b, 63)) : 0
    let high: UInt64 = b >= 64 ? bits(max(a, 64) - 64, b - 64) : 0
    return (low, high)
  }
}
