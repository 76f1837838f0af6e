/// Blocks, note statements, notes and numbers: the statement half of the recursive-descent parser
/// (`Parser.swift` has the token plumbing, recovery and top-level items).
extension Parser {
  // MARK: - Blocks and statements

  mutating func parseBlock(kind: BlockKind) -> Block? {
    let keyword = current
    advance()
    guard let open = accept(.leftBrace) else {
      report(.error("expected '{' after '\(keyword.text)'", at: afterPrevious, hint: "\(keyword.text) { piano C4 0; }"))
      synchronize(insideBlock: false)
      return nil
    }
    var statements: [NoteStatement] = []
    while true {
      skipInvalid()
      if current.kind == .rightBrace {
        let close = current
        advance()
        return Block(
          kind: kind, keyword: Name(keyword.text, keyword.range), statements: statements,
          range: keyword.range.union(close.range))
      }
      if current.kind == .endOfFile {
        report(
          .error(
            "expected '}' to close the \(keyword.text) block", at: current.range, hint: "add '}'",
            notes: [.init(message: "the block opens here", range: open.range)]))
        return Block(
          kind: kind, keyword: Name(keyword.text, keyword.range), statements: statements,
          range: keyword.range.union(previous.range))
      }
      let before = current.range.start.offset
      if let s = parseStatement() { statements.append(s) }
      if current.range.start.offset == before { advance() }
    }
  }

  mutating func parseStatement() -> NoteStatement? {
    guard current.kind == .identifier else {
      report(.error("expected an instrument name, found \(describe(current))", at: current.range, hint: "piano C4 0;"))
      synchronize(insideBlock: true)
      return nil
    }
    if BlockKind(rawValue: current.text) != nil || current.text == "import" || current.text == "tempo",
      peek(1).kind == .leftBrace || peek(1).kind == .identifier && current.text == "import"
    {
      report(
        .error(
          "'\(current.text)' cannot appear inside a block", at: current.range,
          hint: "close the block with '}' first"))
      synchronize(insideBlock: true)
      return nil
    }
    let instrument = current
    advance()
    guard let note = parseNote() else {
      synchronize(insideBlock: true)
      return nil
    }
    guard let time = parseNumber(what: "a time in beats after the note", allowNegative: false) else {
      synchronize(insideBlock: true)
      return nil
    }
    var attributes: [Attribute] = []
    while kind == .identifier && ring[(head + 1) % 3].kind == .equals {
      let name = current
      advance()
      advance()  // =
      guard let value = parseNumber(what: "a value for '\(name.text)'", allowNegative: true) else {
        synchronize(insideBlock: true)
        return nil
      }
      attributes.append(
        Attribute(name: Name(name.text, name.range), value: value, range: name.range.union(value.range)))
    }
    let range = instrument.range.union(previous.range)
    let what = attributes.isEmpty ? "the time" : "the attributes"
    if !skip(.semicolon) {
      if current.kind == .number || current.kind == .minus {
        report(
          .error(
            "expected ';' after \(what), found another number", at: current.range,
            hint: "a statement is INSTRUMENT NOTE TIME;"))
        synchronize(insideBlock: true)
      } else if current.kind == .identifier && peek(1).kind != .identifier && peek(1).kind != .number
        && peek(1).kind != .equals
      {
        report(.error("expected ';' after \(what)", at: afterPrevious, hint: "insert ';'"))
        synchronize(insideBlock: true)
      } else {
        report(.error("expected ';' after \(what)", at: afterPrevious, hint: "insert ';'"))
        // The next token most likely starts the next statement (or closes the block): go on from there.
      }
    }
    return NoteStatement(
      instrument: Name(instrument.text, instrument.range), note: note, time: time, attributes: attributes,
      range: range)
  }

  mutating func parseNote() -> NoteLiteral? {
    skipInvalid()
    let t = current
    switch t.kind {
    case .identifier:
      advance()
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
    case .number:
      advance()
      guard let v = BeatTime.parseDecimal(t.text), v.denominator == 1, (0...127).contains(v.numerator) else {
        report(
          .error(
            "'\(t.text)' is not a MIDI note number", at: t.range,
            hint: "MIDI notes are whole numbers 0 … 127; or write a pitch such as C4"))
        return nil
      }
      return NoteLiteral(value: .pitch(midi: Int(v.numerator)), text: t.text, range: t.range)
    default:
      report(
        .error(
          "expected a note (such as C4 or Kick), found \(describe(t))",
          at: t.kind == .semicolon || t.kind == .endOfFile ? afterPrevious : t.range))
      return nil
    }
  }

  /// NUMBER ('/' NUMBER)?, optionally with a leading '-'.
  mutating func parseNumber(what: String, noun: String = "the time", allowNegative: Bool) -> NumberLiteral? {
    skipInvalid()
    let start = current
    var negative = false
    if current.kind == .minus {
      negative = true
      advance()
      if !allowNegative {
        report(
          .error(
            "\(noun) must not be negative", at: start.range.union(current.range),
            hint: noun == "the time" ? "times count beats from 0" : nil))
      }
    }
    guard current.kind == .number else {
      let found = current
      let at =
        found.kind == .semicolon || found.kind == .endOfFile || found.kind == .rightBrace ? afterPrevious : found.range
      report(.error("expected \(what), found \(describe(found))", at: at))
      return nil
    }
    let numberToken = current
    advance()
    guard var value = BeatTime.parseDecimal(numberToken.text) else {
      report(
        .error(
          "number '\(numberToken.text)' is too long", at: numberToken.range,
          hint: "at most 12 digits before and after the point"))
      return nil
    }
    var text = numberToken.text
    if current.kind == .slash, peek(1).kind == .number {
      advance()
      let den = current
      advance()
      guard let d = BeatTime.parseDecimal(den.text), d != .zero else {
        report(.error("'\(den.text)' cannot be a denominator", at: den.range, hint: "use a non-zero number"))
        return nil
      }
      value = value / d
      text += "/" + den.text
    }
    if negative {
      value = .zero - value
      text = "-" + text
    }
    let magnitude = value.isNegative ? .zero - value : value
    if magnitude > limits.maxBeats {
      report(
        .error(
          "number '\(text)' is too large", at: start.range.union(previous.range),
          hint: "the limit is \(limits.maxBeats)"))
      return nil
    }
    return NumberLiteral(value: value, text: text, range: start.range.union(previous.range))
  }

  func describe(_ t: Token) -> String {
    switch t.kind {
    case .identifier: return "'\(t.text)'"
    case .number: return "number '\(t.text)'"
    case .string: return "string \"\(t.text)\""
    default: return t.kind.spelling
    }
  }
}
