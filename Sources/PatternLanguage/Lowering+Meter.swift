extension Lowering {
  /// The song's meter map with every placement of a section that has its own meter: that meter from the
  /// section's start, and at its end the meter in force around it (the enclosing section's, or the song's
  /// opening meter), with a bar line there. Needs the section lengths (`SongForm`). Nil, with an error at
  /// `range` (the top-level `arrange`), when the arrangement places more sections than expansion may visit.
  func arrangedMeterMap(at range: SourceRange?) -> MeterMap? {
    var walk = MeterWalk(sections: program.sections, map: program.meterMap, limit: limits.maxExpansionSteps)
    if walk.place(program.arrangement, from: .zero, enclosing: program.meterMap.opening) { return walk.map }
    diagnostics.append(
      .error(
        "the arrangement places sections more than \(limits.maxExpansionSteps) times",
        at: range ?? SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1)), hint: "lower the x counts"))
    return nil
  }
}

/// Walks an arrangement the way `Expander` places it, recording meters only. Subtrees without a section in
/// its own meter are stepped over whole (`count × length`), so a long arrangement costs nothing here.
private struct MeterWalk {
  let sections: [LoweredSection]
  var map: MeterMap
  let limit: Int
  private var visits = 0
  /// Per section: whether it, or a section arranged inside it, has a meter (nil: not known yet).
  private var metered: [Bool?]

  init(sections: [LoweredSection], map: MeterMap, limit: Int) {
    self.sections = sections
    self.map = map
    self.limit = limit
    metered = Array(repeating: nil, count: sections.count)
  }

  /// False when the walk passed `limit` placements.
  mutating func place(_ slots: [ArrangeSlot], from start: BeatTime, enclosing: Meter) -> Bool {
    var t = start
    for slot in slots {
      let section = sections[slot.section]
      guard hasMeter(slot.section) else {
        t = t + BeatTime(Int64(slot.count)) * section.length
        continue
      }
      for _ in 0..<slot.count {
        visits += 1
        if visits > limit { return false }
        if let own = section.meter { map.set(own, at: t) }
        guard place(section.arrangement, from: t, enclosing: section.meter ?? enclosing) else { return false }
        if section.meter != nil { map.set(enclosing, at: t + section.length) }
        t = t + section.length
      }
    }
    return true
  }

  /// Song form is checked first, so this recursion has no cycle and is at most `maxFormDepth` deep.
  private mutating func hasMeter(_ i: Int) -> Bool {
    if let known = metered[i] { return known }
    var found = sections[i].meter != nil
    for slot in sections[i].arrangement where !found { found = hasMeter(slot.section) }
    metered[i] = found
    return found
  }
}
