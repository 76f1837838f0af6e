/// Notes (single, chords, named chords, rests, `choose`, degrees) and times (beats, `bar:beat`, `euclid`).
extension Parser {
  /// note := NAME | INTEGER | NAME "'" QUALITY | DEGREE | '[' note+ ']' | '~' | 'choose' '(' note (',' note)* ')'
  mutating func parseNoteExpr() -> NoteExpr? {
    skipInvalid()
    let t = cachedCurrent()
    switch t.kind {
    case .tilde:
      advance()
      return .rest(t.range)
    case .leftBracket:
      return parseNoteList(open: t, close: .rightBracket, what: "chord").map {
        .chord($0, range: t.range.union(previousRange))
      }
    case .degree:
      advance()
      return degree(t).map(NoteExpr.degree)
    case .identifier where t.text == "arp" && peekKind(1) == .leftParen:
      report(
        .error(
          "arp(…) is the whole note of a statement; it cannot be inside a chord or choose(…)", at: t.range,
          hint: "lead arp(C4'maj, up) step 1/8 at 0 for 4;"))
      return nil
    case .identifier where t.text == "choose" && peekKind(1) == .leftParen:
      advance()
      let open = current
      return parseNoteList(open: open, close: .rightParen, what: "choose(…)").map {
        .choose($0, range: t.range.union(previousRange))
      }
    case .identifier:
      advance()
      if let quote = t.text.firstIndex(of: "'") { return namedChord(t, quote: quote) }
      return literal(t).map(NoteExpr.single)
    case .number:
      advance()
      return literal(t).map(NoteExpr.single)
    case .leftParen where previousRange.end.offset == t.range.start.offset:
      // `piano("C4", 0)`: a habit from JavaScript (Strudel, Tone.js) or Python.
      report(
        .error(
          "a statement is not a function call", at: t.range,
          hint: "write the instrument, the note and the time separated by spaces: \(previous.text) C4 0;"))
      return nil
    default:
      report(
        .error(
          "expected a note (such as C4, [C4 E4], C4'maj or Kick), found \(describe(t))",
          at: t.kind == .semicolon || t.kind == .endOfFile ? afterPrevious : t.range, hint: noteHint(for: t)))
      return nil
    }
  }

  /// What the writer of a quoted note most likely meant.
  private func noteHint(for t: Token) -> String? {
    guard t.kind == .string else { return nil }
    if Pitch.midiNumber(t.text) != nil || t.text.allSatisfy({ $0.isLetter }) && !t.text.isEmpty {
      return "notes and hits are written without quotes: \(t.text)"
    }
    if t.text.contains(where: { " *[]<>~!?@,".contains($0) }) {
      return "mini-notation strings are not part of the language (yet): write one statement per note, "
        + "e.g. kit Kick 0; kit Kick 1/2; kit Snare 1;"
    }
    return nil
  }

  /// The elements between `open` and `close`: notes separated by blanks or commas.
  private mutating func parseNoteList(open: Token, close: TokenKind, what: String) -> [NoteExpr]? {
    advance()  // '[' or '('
    guard enterNesting(at: open.range, closing: close) else { return nil }
    defer { depth -= 1 }
    var elements: [NoteExpr] = []
    while kind != close {
      if kind == .semicolon || kind == .endOfFile || kind == .rightBrace {
        report(
          .error(
            "expected \(close.spelling) to close the \(what)", at: afterPrevious, hint: "add \(close.spelling)",
            notes: [.init(message: "it opens here", range: open.range)]))
        return nil
      }
      guard let element = parseNoteExpr() else { return nil }
      elements.append(element)
      _ = skip(.comma)
    }
    advance()  // close
    if elements.isEmpty {
      report(
        .error(
          "an empty \(what) plays nothing", at: open.range.union(previousRange),
          hint: close == .rightBracket ? "[C4 E4 G4], or ~ for a rest" : "choose(C4, E4, G4)"))
      return nil
    }
    return elements
  }

  /// `C4'maj7`: the root before the quote, the quality after it.
  private mutating func namedChord(_ t: Token, quote: String.Index) -> NoteExpr? {
    let rootText = String(t.text[..<quote])
    let qualityText = String(t.text[t.text.index(after: quote)...])
    let rootEnd = SourceLocation(
      offset: t.range.start.offset + rootText.utf8.count, line: t.range.start.line,
      column: t.range.start.column + rootText.count)
    let rootRange = SourceRange(t.range.start, rootEnd)
    let qualityRange = SourceRange(
      SourceLocation(offset: rootEnd.offset + 1, line: rootEnd.line, column: rootEnd.column + 1), t.range.end)
    guard let midi = Pitch.midiNumber(rootText) else {
      report(
        .error(
          "'\(rootText)' is not a pitch, so '\(t.text)' is not a chord", at: rootRange,
          hint: "a named chord is a pitch, a quote and a quality: C4'maj7"))
      return nil
    }
    guard Chord.intervals(qualityText) != nil else {
      report(
        .error(
          "unknown chord quality '\(qualityText)'", at: qualityRange,
          hint: Suggestions.hint(for: qualityText, in: Chord.qualityNames)
            ?? "qualities: " + Chord.qualityNames.joined(separator: ", ")))
      return nil
    }
    return .namedChord(
      root: NoteLiteral(value: .pitch(midi: midi), text: rootText, range: rootRange),
      quality: Name(qualityText, qualityRange), range: t.range)
  }

  /// A pitch name, a drum name or a MIDI number (the token is already consumed).
  private mutating func literal(_ t: Token) -> NoteLiteral? {
    if t.kind == .number {
      guard let v = BeatTime.parseDecimal(t.text), v.denominator == 1, (0...127).contains(v.numerator) else {
        report(
          .error(
            "'\(t.text)' is not a MIDI note number", at: t.range,
            hint: "MIDI notes are whole numbers 0 … 127; or write a pitch such as C4"))
        return nil
      }
      return NoteLiteral(value: .pitch(midi: Int(v.numerator)), text: t.text, range: t.range)
    }
    if let midi = Pitch.midiNumber(t.text) {
      return NoteLiteral(value: .pitch(midi: midi), text: t.text, range: t.range)
    }
    if Pitch.looksLikePitch(t.text) && !t.text.dropFirst().contains(where: { $0.isLetter && $0 != "b" }) {
      report(
        .error(
          "'\(t.text)' is not a valid pitch", at: t.range,
          hint: "pitches run from C0 to G9 (C4 = MIDI 60), with # or b"))
      return nil
    }
    return NoteLiteral(value: .hit(t.text), text: t.text, range: t.range)
  }

  /// time := NUM | INT ':' NUM | 'euclid' '(' INT ',' INT (',' INT)? ')' 'step' NUM 'at' time
  mutating func parseTime(what: @autoclosure () -> String) -> TimeExpr? {
    skipInvalid()
    if isWord("euclid"), peekKind(1) == .leftParen { return parseEuclid() }
    if kind == .number, peekKind(1) == .colon {
      guard let bar = parseNumber(what: "a bar number", noun: "the bar", allowNegative: false, fraction: false) else {
        return nil
      }
      advance()  // :
      guard let beat = parseNumber(what: "a beat within the bar after ':'", noun: "the beat", allowNegative: false)
      else { return nil }
      return .barBeat(bar: bar, beat: beat, range: bar.range.union(beat.range))
    }
    return parseNumber(what: what(), allowNegative: false).map(TimeExpr.beats)
  }

  /// `step BEATS at` with the current token on `step` (euclid and arp share it): the step, with the parser after
  /// `at`; nil after one reported error.
  mutating func parseStepAt(example: String) -> NumberLiteral? {
    advance()  // step
    guard let step = parseNumber(what: "a step length in beats after 'step'", noun: "the step", allowNegative: false)
    else { return nil }
    guard isWord("at") else {
      report(.error("expected 'at' and a start time after the step", at: wordOrAfterPrevious, hint: example))
      return nil
    }
    advance()
    return step
  }

  /// `euclid(PULSES, STEPS[, ROTATION]) step BEATS at TIME`
  private mutating func parseEuclid() -> TimeExpr? {
    let start = currentRange
    advance()  // euclid
    let open = current
    advance()  // (
    let example = "euclid(3,8) step 1/4 at 0"
    var numbers: [NumberLiteral] = []
    while kind != .rightParen {
      guard
        let n = parseNumber(
          what: numbers.isEmpty ? "the number of pulses" : numbers.count == 1 ? "the number of steps" : "a rotation",
          noun: numbers.count == 2 ? "the rotation" : "the count", allowNegative: numbers.count == 2, fraction: false)
      else { return nil }
      numbers.append(n)
      if kind == .rightParen { break }
      guard skip(.comma), numbers.count < 3 else {
        report(
          .error(
            "expected ',' or ')' in euclid(pulses, steps, rotation)", at: currentRange, hint: example,
            notes: [.init(message: "'(' opens here", range: open.range)]))
        return nil
      }
    }
    advance()  // )
    guard numbers.count >= 2 else {
      report(
        .error(
          "euclid needs pulses and steps", at: start.union(previousRange), hint: example))
      return nil
    }
    guard isWord("step") else {
      report(
        .error("expected 'step' and a step length in beats after euclid(…)", at: wordOrAfterPrevious, hint: example))
      return nil
    }
    guard let step = parseStepAt(example: example) else { return nil }
    if isWord("euclid") {
      report(.error("euclid(…) cannot start at another euclid(…)", at: currentRange, hint: example))
      return nil
    }
    guard let at = parseTime(what: "a start time after 'at'") else { return nil }
    return .euclid(
      EuclidSpec(
        pulses: numbers[0], steps: numbers[1], rotation: numbers.count > 2 ? numbers[2] : nil, step: step, at: at,
        range: start.union(previousRange)))
  }
}
