/// One preset or instrument zone with its generators gathered (SF2.04 §9.4 zone rules applied).
struct Zone: Sendable {
  var gens: GeneratorSet
  /// Instrument index (preset zone) or sample index (instrument zone); nil for a global zone.
  var target: Int?
  /// The zone's records in `pmod`/`imod` (read, not applied).
  var modulators: Range<Int>
}

/// A preset's or instrument's zones: an optional global zone and the local zones that reach a target.
struct ZoneList: Sendable {
  var global: Zone?
  var locals: [Zone]
  /// Zones dropped by the spec's rules (a non-first zone without its instrument/sampleID generator).
  var discarded: Int
}

extension PresetData {
  /// Zones of preset `p` (0 ≤ p < presets.count − 1, the terminal record has none).
  func presetZones(_ p: Int) -> ZoneList {
    guard p >= 0, p + 1 < presets.count else { return ZoneList(global: nil, locals: [], discarded: 0) }
    return Self.zones(
      bags: presetBags, from: presets[p].bagIndex, to: presets[p + 1].bagIndex,
      gens: presetGens, modCount: presetMods.count, terminal: Gen.instrument, presetLevel: true)
  }

  /// Zones of instrument `i` (0 ≤ i < instruments.count − 1).
  func instrumentZones(_ i: Int) -> ZoneList {
    guard i >= 0, i + 1 < instruments.count else { return ZoneList(global: nil, locals: [], discarded: 0) }
    return Self.zones(
      bags: instrumentBags, from: instruments[i].bagIndex, to: instruments[i + 1].bagIndex,
      gens: instrumentGens, modCount: instrumentMods.count, terminal: Gen.sampleID,
      presetLevel: false)
  }

  /// Gathers zones `from ..< to` of `bags`. Indices were validated at parse time; they are clamped again
  /// here so a logic slip elsewhere can never index out of range.
  private static func zones(
    bags: [ZoneBag], from: Int, to: Int, gens: [GenRecord], modCount: Int, terminal: Int, presetLevel: Bool
  ) -> ZoneList {
    var list = ZoneList(global: nil, locals: [], discarded: 0)
    let lo = max(0, from), hi = min(to, bags.count - 1)
    guard lo < hi else { return list }
    for z in lo..<hi {
      let g0 = max(0, min(bags[z].genIndex, gens.count)), g1 = max(g0, min(bags[z + 1].genIndex, gens.count))
      let m0 = min(bags[z].modIndex, modCount), m1 = max(m0, min(bags[z + 1].modIndex, modCount))
      var set = GeneratorSet()
      var target: Int? = nil
      for rec in gens[g0..<g1] {
        if rec.oper == terminal {
          // The instrument/sampleID generator closes the zone; anything after it is ignored (§7.5, §7.9).
          target = Int(rec.amount)
          break
        }
        guard rec.oper < Gen.count, rec.oper != Gen.instrument, rec.oper != Gen.sampleID else { continue }
        if presetLevel && Gen.instrumentOnly[rec.oper] { continue }
        let ranged = rec.oper == Gen.keyRange || rec.oper == Gen.velRange
        set.set(rec.oper, ranged ? Int(rec.amount) : Int(Int16(bitPattern: rec.amount)))
      }
      let zone = Zone(gens: set, target: target, modulators: m0..<m1)
      if target != nil {
        list.locals.append(zone)
      } else if z == lo {
        list.global = zone  // only the first zone may be global (§7.3, §7.7)
      } else {
        list.discarded += 1
      }
    }
    return list
  }
}
