/// `meter N/D;`, `meter N/D at TIME;` and a section's `meter N/D;`: checked meters and the song's meter map.
extension Resolver {
  /// A written meter: 1 … 64 beats per bar, a note value of 1, 2, 4, 8, 16 or 32 (MIDI writes it as a power
  /// of two). Nil, with the error, otherwise.
  static func checkMeter(_ decl: MeterDecl, _ diagnostics: inout [Diagnostic]) -> Meter? {
    let n = decl.numerator.value
    let d = decl.denominator.value
    if n < BeatTime(1) || n > BeatTime(64) {
      diagnostics.append(
        .error("a bar must have 1 … 64 beats", at: decl.numerator.range, hint: "meter 3/4; or meter 7/8;"))
      return nil
    }
    if ![1, 2, 4, 8, 16, 32].contains(d.numerator) || d.denominator != 1 {
      diagnostics.append(
        .error("the meter's note value must be 1, 2, 4, 8, 16 or 32", at: decl.denominator.range, hint: "meter 6/8;"))
      return nil
    }
    return Meter(numerator: Int(n.numerator), denominator: Int(d.numerator))
  }

  /// The meter of a section (`section bridge { meter 3/4; … }`), nil when it sets none. It holds for the whole
  /// section, so `at` is an error there, as is a second `meter`.
  static func sectionMeter(_ section: SectionDecl, _ diagnostics: inout [Diagnostic]) -> Meter? {
    guard let decl = section.meters.first else { return nil }
    for extra in section.meters.dropFirst() {
      diagnostics.append(
        .error(
          "meter is set twice in section '\(section.name.text)'", at: extra.range,
          hint: "a section has one meter; split it where the meter changes",
          notes: [.init(message: "first set here", range: decl.range)]))
    }
    if let at = decl.at {
      diagnostics.append(
        .error(
          "a section's meter holds for the whole section; it cannot change with 'at'", at: at.range,
          hint: "write meter \(decl.numerator.text)/\(decl.denominator.text); in the section, or split the section "
            + "where the meter changes"))
      return nil
    }
    return checkMeter(decl, &diagnostics)
  }

  /// The song's meter map from its top-level `meter` directives: the opening meter (written without `at`, 4/4
  /// when none), then each change in the order written. A change's `bar:beat` counts bars in the meters before
  /// it, so `meter 3/4 at 9:1;` starts 3/4 at bar 9 of the earlier meter. One error per wrong change.
  func resolveMeters(_ file: PatternFile, _ diagnostics: inout [Diagnostic]) -> MeterMap {
    let openings = file.meters.filter { $0.at == nil }
    var map = MeterMap()
    if let first = openings.first, let meter = Self.checkMeter(first, &diagnostics) {
      map = MeterMap(meter)
    }
    for extra in openings.dropFirst() {
      diagnostics.append(
        .error(
          "meter is set twice", at: extra.range, hint: "change it later with: meter 3/4 at 9:1;",
          notes: [.init(message: "first set here", range: openings[0].range)]))
    }
    let changes = file.meters.filter { $0.at != nil }
    guard let firstChange = changes.first else { return map }
    // Sections with their own meter decide the bars while they play: a top-level change could fall inside one
    // and count bars the arrangement moves, so a song uses one way or the other.
    if let sectionMeter = file.sections.lazy.flatMap(\.meters).first {
      diagnostics.append(
        .error(
          "this song's sections set their own meter, so the meter cannot also change with 'at'",
          at: firstChange.range,
          hint: "set the meter in the section that plays there: section NAME { meter 3/4; … }",
          notes: [.init(message: "a section's meter", range: sectionMeter.range)]))
      return map
    }
    var last: (beat: BeatTime, decl: MeterDecl?) = (.zero, openings.first)
    for decl in changes {
      guard let meter = Self.checkMeter(decl, &diagnostics), let beat = changeBeat(decl.at!, map, &diagnostics)
      else { continue }
      if beat == last.beat, let previous = last.decl {
        diagnostics.append(
          .error(
            "meter is set twice at bar \(map.position(of: beat).bar)", at: decl.range,
            hint: "remove one, or move it to another bar",
            notes: [.init(message: "first set here", range: previous.range)]
          ))
        continue
      }
      if beat < last.beat, let previous = last.decl {
        let bar = map.position(of: last.beat).bar
        diagnostics.append(
          .error(
            "meter changes are written in time order: this one (bar \(map.position(of: beat).bar)) comes before the "
              + "change at bar \(bar)", at: decl.range, hint: "move this line above the change at bar \(bar)",
            notes: [.init(message: "the change at bar \(bar)", range: previous.range)]))
        continue
      }
      map.set(meter, at: beat)
      last = (beat, decl)
    }
    return map
  }

  /// Where a change given by `at` happens: a bar's first beat (`9:1`), or a beat on a bar line of the meters so
  /// far. Nil, with one error, otherwise.
  private func changeBeat(_ at: TimeExpr, _ map: MeterMap, _ diagnostics: inout [Diagnostic]) -> BeatTime? {
    let times = TimeResolver(meters: map, limits: limits)
    switch at {
    case .barBeat(let bar, let beat, _) where beat.value != .one:
      diagnostics.append(
        .error(
          "a meter change starts a bar, so its beat is 1", at: beat.range, hint: "at \(bar.text):1"))
      return nil
    case .beats(let n):
      let (bar, within) = map.position(of: n.value)
      guard within == .one else {
        let before = map.start(ofBar: bar)
        let after = map.start(ofBar: bar + 1)
        diagnostics.append(
          .error(
            "beat \(n.text) is not on a bar line of meter \(map.meter(at: n.value)): the nearest are beat "
              + "\(before.shortText) (bar \(bar)) and beat \(after.shortText) (bar \(bar + 1))", at: n.range,
            hint: "at \(bar):1 or at \(bar + 1):1"))
        return nil
      }
      return n.value
    default:
      return times.single(at, &diagnostics)
    }
  }
}
