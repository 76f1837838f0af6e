/// Lowering of the expressive additions: `scale` directives, degrees without a scale, arpeggios and a
/// `play`'s transformations.
extension Lowering {
  // MARK: - Scales

  /// `scale …;` directives of one scope as points sorted by beat; a bad tonic, name or time, or two scales at
  /// one beat, is an error (that directive is dropped).
  func scalePoints(_ decls: [ScaleDecl]) -> [ScalePoint] {
    var points: [(point: ScalePoint, decl: ScaleDecl)] = []
    for decl in decls {
      guard let tonic = tonicMIDI(decl.tonic) else { continue }
      guard let intervals = Scale.intervals(decl.name.text) else {
        diagnostics.append(
          .error(
            "unknown scale '\(decl.name.text)'", at: decl.name.range,
            hint: Suggestions.hint(for: decl.name.text, in: Scale.names)
              ?? "scales: " + Scale.names.joined(separator: ", ")))
        continue
      }
      var beat = BeatTime.zero
      if let at = decl.at {
        guard let b = times.single(at, &diagnostics) else { continue }
        beat = b
      }
      if let first = points.first(where: { $0.point.beat == beat }) {
        diagnostics.append(
          .error(
            "the scale is set twice at beat \(beat)", at: decl.range,
            hint: "change it later with: scale \(decl.tonic.text):\(decl.name.text) at BEAT;",
            notes: [.init(message: "first set here", range: first.decl.range)]))
        continue
      }
      let scale = Scale(name: decl.name.text, tonicMIDI: tonic, intervals: intervals)
      points.append((ScalePoint(beat: beat, scale: scale), decl))
    }
    return points.map(\.point).sorted { $0.beat < $1.beat }
  }

  /// `D` (D4), `F#`, `Bb3`: the tonic's MIDI note, its octave 4 unless written; nil (reported) otherwise.
  private func tonicMIDI(_ tonic: Name) -> Int? {
    let text = tonic.text
    let hasOctave = text.last?.isNumber == true
    if let midi = Pitch.midiNumber(hasOctave ? text : text + "4") { return midi }
    let capitalized = text.prefix(1).uppercased() + text.dropFirst()
    let hint =
      Pitch.midiNumber(hasOctave ? capitalized : capitalized + "4") != nil
      ? "note letters are capitals: \(capitalized)"
      : "a tonic is a note letter with an optional # or b and octave: D, F#, Bb3"
    diagnostics.append(.error("'\(text)' is not a tonic", at: tonic.range, hint: hint))
    return nil
  }

  /// Degrees in a file that sets no scale: the first is an error, later ones notes on it (one mistake, one
  /// error).
  func reportDegreesWithoutScale(in note: NoteExpr) {
    for degree in Self.degrees(in: note) {
      foldNoScale(
        at: degree.range, message: "'\(degree.text)' is a scale degree, and the song sets no scale",
        hint: "set one at the top: scale C:major; (degrees then count from C4)")
    }
  }

  /// Reports "no scale" once; later uses become notes on that error (three, then a count).
  func foldNoScale(at range: SourceRange, message: String, hint: String) {
    guard let (i, uses) = noScaleError else {
      diagnostics.append(.error(message, at: range, hint: hint))
      noScaleError = (diagnostics.count - 1, 0)
      return
    }
    noScaleError = (i, uses + 1)
    diagnostics[i].fold(
      occurrence: uses, note: "a degree or steps= here too", counting: { "and \($0) more uses without a scale" },
      at: range)
  }

  /// The degrees written in a note expression.
  static func degrees(in note: NoteExpr) -> [DegreeLiteral] {
    switch note {
    case .degree(let d): return [d]
    case .single, .namedChord, .rest: return []
    case .chord(let elements, _), .choose(let elements, _): return elements.flatMap(degrees(in:))
    case .arp(let a): return degrees(in: a.chord)
    case .mini(let m):
      return m.leaves.compactMap { leaf in
        guard leaf.number == nil, leaf.text.hasPrefix("^"),
          case .success(let d) = DegreeLiteral.parse(leaf.text, at: leaf.range)
        else { return nil }
        return d
      }
    }
  }

  // MARK: - Arpeggios

  /// `arp(chord, mode, octaves=N)`: the chord checked as notes the instrument plays (no `choose`, no drum
  /// kit) and the order it is played in.
  func lowerArp(_ spec: ArpSpec, _ checker: NoteChecker) -> (pick: NotePick, plan: ArpPlan)? {
    if case .hits = checker.instrument.playable {
      diagnostics.append(
        .error(
          "\(checker.name) is a drum kit; an arp plays pitches", at: spec.range,
          hint: "for a drum pattern use euclid(…) or repeat"))
      return nil
    }
    if let choose = Self.firstChoose(spec.chord) {
      diagnostics.append(
        .error(
          "an arp plays every note of its chord; choose(…) cannot be inside", at: choose,
          hint: "write the chord: arp([C4 E4 G4], up), or use mode random"))
      return nil
    }
    guard let pick = checker.pick(spec.chord, &diagnostics) else { return nil }
    var octaves = 1
    if let n = spec.octaves {
      guard (1...4).contains(n.value.numerator), n.value.denominator == 1 else {
        diagnostics.append(
          .error("octaves must be 1 … 4", at: n.range, hint: "octaves=2 plays the chord and an octave up"))
        return nil
      }
      octaves = Int(n.value.numerator)
    }
    return (pick, ArpPlan(mode: ArpPlan.Mode(rawValue: spec.mode.text) ?? .up, octaves: octaves))
  }

  private static func firstChoose(_ note: NoteExpr) -> SourceRange? {
    switch note {
    case .choose(_, let range): return range
    case .chord(let elements, _): return elements.lazy.compactMap(firstChoose).first
    default: return nil
    }
  }

  // MARK: - Plays

  /// A play's attributes, bare transformations and `every=` clauses as a shape and its changes; nil when any
  /// is wrong (reported).
  func playShape(_ p: PlayStatement) -> (PlayShape, [(period: Int, change: PlayShape.Change)])? {
    guard let values = AttributeValues(p.attributes, .play, &diagnostics) else { return nil }
    var shape = PlayShape()
    for change in Self.changes(values) { shape.apply(change) }
    for flag in p.flags { shape.apply(flag.text == "invert" ? .invert : .reverse) }
    var every: [(period: Int, change: PlayShape.Change)] = []
    var valid = true
    for clause in p.every {
      let period = clause.period.value.numerator
      guard period >= 1, period <= limits.maxRepeat else {
        diagnostics.append(
          .error(
            "every=\(clause.period.text) is out of range", at: clause.period.range,
            hint: "every=2 applies on every 2nd repetition (1 … \(limits.maxRepeat))"))
        valid = false
        continue
      }
      switch clause.modifier {
      case .flag(let name):
        every.append((Int(period), name.text == "invert" ? .invert : .reverse))
      case .attribute(let attribute):
        guard let one = AttributeValues([attribute], .play, &diagnostics) else {
          valid = false
          continue
        }
        every += Self.changes(one).map { (Int(period), $0) }
      }
    }
    guard valid else { return nil }
    if !every.isEmpty, repeatDepth == 0, !inMotif, let first = p.every.first {
      diagnostics.append(
        .warning(
          "every=\(first.period.text) counts repetitions of a repeat, and this play is in none", at: first.range,
          hint: "put the play in repeat N every L { … } (outside one, every=1 always applies, more never)"))
    }
    if shape.steps != 0 || every.contains(where: { if case .steps = $0.change { true } else { false } }),
      !hasScales
    {
      foldNoScale(
        at: p.range, message: "steps= moves notes along a scale, and the song sets none",
        hint: "set one at the top: scale C:major; (or use transpose= for semitones)")
    }
    return (shape, every)
  }

  /// Checked values as shape changes, in a fixed order.
  private static func changes(_ values: AttributeValues) -> [PlayShape.Change] {
    var changes: [PlayShape.Change] = []
    if let n = values[.transpose] { changes.append(.transpose(Int(n.numerator))) }
    if let n = values[.steps] { changes.append(.steps(Int(n.numerator))) }
    if let n = values[.rotate] { changes.append(.rotate(Int(n.numerator))) }
    if let v = values.velocity { changes.append(.velocity(v.level, spread: v.spread)) }
    if let g = values.double(.gain) { changes.append(.gain(g)) }
    if let r = values[.speed] { changes.append(.speed(r)) }
    return changes
  }
}
