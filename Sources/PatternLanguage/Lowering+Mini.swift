/// Mini-notation statements: each word checked against the instrument (Strudel's spellings and drum names
/// too), the cycles placed, the events computed once when nothing is random.
extension Lowering {

  func lowerMini(
    _ s: NoteStatement, _ notation: MiniNotation, _ spec: CycleSpec, checker: NoteChecker, name: String, index: Int,
    statementIndex: Int
  ) -> LoweredNote? {
    var notes: [PickedNote?] = []
    var failed: Set<String> = []
    for leaf in notation.leaves {
      if leaf.number != nil || failed.contains(leaf.text) {
        notes.append(nil)
        continue
      }
      let note = miniNote(leaf, checker)
      if note == nil { failed.insert(leaf.text) }
      notes.append(note)
    }
    if !hasScales, case .pitches = checker.instrument.playable { reportDegreesWithoutScale(in: s.note) }
    guard let values = AttributeValues(s.attributes, .note, &diagnostics) else { return nil }
    var start = BeatTime.zero
    if let at = spec.at {
      guard let t = times.single(at, &diagnostics) else { return nil }
      start = t
    }
    let over = spec.over?.value ?? times.meters.meter(at: start).beatsPerBar
    if let o = spec.over, o.value <= .zero {
      diagnostics.append(.error("a cycle must span more than 0 beats", at: o.range, hint: "over 4"))
      return nil
    }
    let cycles = spec.cycles?.value.numerator ?? 1
    if let c = spec.cycles, cycles < 1 || cycles > Int64(limits.maxRepeat) || c.value.denominator != 1 {
      diagnostics.append(
        .error("cycles is a whole number, 1 … \(limits.maxRepeat)", at: c.range, hint: "cycles 4"))
      return nil
    }
    guard failed.isEmpty else { return nil }
    var plan = MiniPlan(
      notation: notation, notes: notes, start: start, over: over, cycles: Int(cycles), duration: values[.dur])
    if !Self.isRandom(notation.root) {
      var query = MiniQuery(notation, key: 0, budget: limits.maxMiniWork)
      guard let haps = query.onsets(cycles: Int(cycles)) else {
        reportTooMuch(notation)
        return nil
      }
      plan.fixed = haps
    }
    let reference = values[.dur] ?? over
    guard
      let expression = noteExpression(
        values, attributes: s.attributes, duration: reference, instrument: checker.instrument, name: name)
    else { return nil }
    if !expression.isEmpty, values[.dur] == nil {
      // Ramps "over the note" and `bend=N` follow each event's own length: one expression per length any event
      // may have (`?` keeping all, `|` every option), up to 256 lengths.
      var query = MiniQuery(notation, key: 0, budget: limits.maxMiniWork)
      query.exhaustive = true
      // A string that draws nothing has its events already.
      for hap in plan.fixed ?? query.onsets(cycles: Int(cycles)) ?? [] {
        let length = (hap.whole.end - hap.whole.begin) * over
        guard plan.expressions[length] == nil, plan.expressions.count < 256 else { continue }
        plan.expressions[length] = noteExpression(
          values, attributes: s.attributes, duration: length, instrument: checker.instrument, name: name)
      }
    }
    return LoweredNote(
      instrumentName: name, instrument: checker.instrument, pick: .notes([]), onsets: .one(start),
      duration: BeatTime(cycles) * over, velocity: values.velocity?.level ?? 1,
      velocitySpread: values.velocity?.spread ?? 0, arp: nil, pan: values.double(.pan) ?? 0,
      gainDecibels: values.double(.gain) ?? 0, probability: values.double(.prob), nudge: values[.nudge],
      envelope: EnvelopeOverride(
        attackSeconds: values.double(.attack), decaySeconds: values.double(.decay),
        sustainLevel: values.double(.sustain), releaseSeconds: values.double(.release)),
      expression: expression, location: s.range.start, noteRange: notation.range, statementIndex: statementIndex,
      index: index, mini: plan)
  }

  func reportTooMuch(_ notation: MiniNotation) {
    diagnostics.append(
      .error(
        "this string takes more than \(limits.maxMiniWork) steps to play", at: notation.range,
        hint: "lower its factors (*), its polymeter steps (%) or its cycles"))
  }

  /// What one word plays: a degree, a MIDI number, a pitch (Strudel's spelling too) or a kit sound (Strudel's
  /// short names too), checked against the instrument. Nil (reported) when it cannot play it.
  private func miniNote(_ leaf: MiniLeaf, _ checker: NoteChecker) -> PickedNote? {
    let text = leaf.text
    let instrument = checker.instrument
    let isKit: Bool
    if case .hits = instrument.playable { isKit = true } else { isKit = false }
    if text.hasPrefix("^") {
      switch DegreeLiteral.parse(text, at: leaf.range) {
      case .failure(let problem):
        diagnostics.append(problem.diagnostic)
        return nil
      case .success(let d):
        // The checker's own rule for a degree (a kit cannot play one).
        guard case .notes(let picked)? = checker.pick(.degree(d), &diagnostics) else { return nil }
        return picked.first
      }
    }
    let value: NoteValue
    if isKit {
      let hit = MiniWords.hit(text, in: instrument)
      if instrument.canonicalHit(hit) == nil, let midi = MiniWords.pitch(text) {
        value = .pitch(midi: midi)
      } else {
        value = .hit(hit)
      }
    } else if text.utf8.allSatisfy(\.isDigit) {
      guard let midi = Int(text), (0...127).contains(midi) else {
        diagnostics.append(
          .error(
            "'\(text)' is not a MIDI note number", at: leaf.range,
            hint: "MIDI notes are whole numbers 0 … 127; or write a pitch such as c4"))
        return nil
      }
      value = .pitch(midi: midi)
    } else if let midi = MiniWords.pitch(text) {
      value = .pitch(midi: midi)
    } else {
      let shaped = MiniWords.looksLikePitch(text)
      diagnostics.append(
        .error(
          shaped ? "'\(text)' is outside MIDI's range" : "'\(text)' is not a pitch", at: leaf.range,
          hint: "pitches in a string are c4, eb3, f#2 (Strudel's) or C4, Bb2, or MIDI numbers; "
            + "\(checker.name) plays \(checker.rangeText)"))
      return nil
    }
    return checker.check(NoteLiteral(value: value, text: text, range: leaf.range), &diagnostics).map { .value($0) }
  }

  /// Whether a pattern draws at random (`?`, `|`), so its events depend on the statement's stream.
  static func isRandom(_ node: MiniNode) -> Bool {
    switch node {
    case .silence, .atom: return false
    case .degrade, .choice: return true
    case .sequence(let steps): return steps.contains { isRandom($0.node) }
    case .stack(let nodes): return nodes.contains(where: isRandom)
    case .polymeter(let nodes, let steps): return nodes.contains(where: isRandom) || steps.map(isRandom) == true
    case .replicate(let n, _): return isRandom(n)
    case .fast(let n, let a), .slow(let n, let a): return isRandom(n) || isRandom(a)
    case .euclid(let n, let k, let steps, let r):
      return isRandom(n) || isRandom(k) || isRandom(steps) || r.map(isRandom) == true
    }
  }

  private static func isRandom(_ argument: MiniArgument) -> Bool {
    if case .pattern(let node) = argument { return isRandom(node) }
    return false
  }
}
