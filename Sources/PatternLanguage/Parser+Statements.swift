/// Blocks, note statements, notes and numbers: the statement half of the recursive-descent parser
/// (`Parser.swift` has the token plumbing, recovery and top-level items).
extension Parser {
  // MARK: - Blocks and statements

  mutating func parseBlock(kind: BlockKind) -> Block? {
    let keyword = current
    advance()
    var mix = BlockMix()
    let attributes = parseParenthesizedAttributes(mix: &mix) ?? []
    guard
      let (statements, close) = parseStatementBody(
        opening: "the \(keyword.text) block", example: "\(keyword.text) { piano C4 0; }")
    else { return nil }
    return Block(
      kind: kind, keyword: Name(keyword.text, keyword.range), attributes: attributes, sends: mix.sends,
      inserts: mix.inserts, statements: statements, range: keyword.range.union(close))
  }

  /// `'{' statement* '}'` for blocks, motifs and repeats. Nil when there is no `{` (reported). The range is the
  /// closing brace's (or the last token's when the file ends first).
  mutating func parseStatementBody(opening what: String, example: String) -> ([Statement], SourceRange)? {
    let bare = what.hasPrefix("the ") ? String(what.dropFirst(4)) : what
    guard let open = accept(.leftBrace) else {
      report(.error("expected '{' after '\(bare.split(separator: " ").first ?? "")'", at: afterPrevious, hint: example))
      synchronize(insideBlock: false)
      return nil
    }
    guard enterNesting(at: open.range, closing: .rightBrace) else { return ([], open.range) }
    defer { depth -= 1 }
    let (statements, close) = parseStatementsToClose()
    if let close { return (statements, close) }
    if mayEndInsideBlock && inTopLevelBlock && depth == 1 {
      // A part of the file cut between this block's statements: the next part goes on with them.
      endedInsideBlock = true
      return (statements, previousRange)
    }
    report(
      .error(
        "expected '}' to close \(what)", at: currentRange, hint: "add '}'",
        notes: [.init(message: "\(what) opens here", range: open.range)]))
    return (statements, previousRange)
  }

  /// Statements up to the `}` that closes them (consumed, its range returned), or to the end of the file (nil).
  mutating func parseStatementsToClose() -> (statements: [Statement], close: SourceRange?) {
    var statements: [Statement] = []
    while true {
      skipInvalid()
      if kind == .rightBrace {
        let close = currentRange
        advance()
        return (statements, close)
      }
      if kind == .endOfFile { return (statements, nil) }
      let before = currentRange.start.offset
      if let s = parseStatement() { statements.append(s) }
      if currentRange.start.offset == before { advance() }
    }
  }

  /// Counts one level of nesting (the opening token is already consumed); past the limit, reports it and skips
  /// to the balanced `closing` token, consuming it.
  mutating func enterNesting(at range: SourceRange, closing: TokenKind) -> Bool {
    depth += 1
    if depth <= limits.maxNesting { return true }
    depth -= 1
    report(.error("nested more than \(limits.maxNesting) levels deep", at: range, hint: "flatten the structure"))
    let opening: TokenKind = closing == .rightBrace ? .leftBrace : closing == .rightBracket ? .leftBracket : .leftParen
    var open = 1
    while kind != .endOfFile {
      if kind == opening { open += 1 }
      if kind == closing { open -= 1 }
      advance()
      if open == 0 { break }
    }
    return false
  }

  mutating func parseStatement() -> Statement? {
    guard kind == .identifier else {
      report(.error("expected an instrument name, found \(describe(current))", at: currentRange, hint: "piano C4 0;"))
      synchronize(insideBlock: true)
      return nil
    }
    // Keywords are compared as bytes: most statements start with an instrument, whose name is decoded once,
    // when the statement keeps it.
    let next = peekKind(1)
    let next2 = peekKind(2)
    let misplaced =
      ((next == .leftBrace || next == .leftParen) && BlockKind(rawValue: current.text) != nil)
      || (next == .identifier && isWord("import")) || (next == .leftBrace && isWord("tempo"))
      || (next == .identifier && next2 == .leftBrace && isWord("section"))
      || (next == .identifier && next2 == .equals && isWord("let"))
      || (next == .leftBrace && isWord("arrange"))
      || (next == .identifier && next2 == .colon && isWord("scale"))
    if misplaced {
      report(
        .error(
          "'\(current.text)' cannot appear inside a block", at: currentRange, hint: "close the block with '}' first"))
      synchronize(insideBlock: true)
      _ = skip(.semicolon)  // `let x = { … };` ends with one after its braces
      return nil
    }
    if next == .number, next2 == .identifier, isWord("repeat"), peek(2).text == "every" {
      return parseRepeat().map(Statement.repeat)
    }
    if next == .identifier, next2 == .identifier, isWord("play"), peek(2).text == "at" {
      return parsePlay().map(Statement.play)
    }
    return parseNoteStatement().map(Statement.note)
  }

  /// `repeat COUNT every BEATS { … }`
  mutating func parseRepeat() -> RepeatStatement? {
    let start = currentRange
    advance()  // repeat
    guard let count = parseNumber(what: "a repeat count", noun: "the count", allowNegative: false, fraction: false)
    else {
      synchronize(insideBlock: true)
      return nil
    }
    advance()  // every
    guard
      let every = parseNumber(what: "beats between repeats after 'every'", noun: "the interval", allowNegative: false)
    else {
      synchronize(insideBlock: true)
      return nil
    }
    guard let (body, close) = parseStatementBody(opening: "the repeat", example: "repeat 4 every 2 { piano C4 0; }")
    else { return nil }
    return RepeatStatement(count: count, every: every, body: body, range: start.union(close))
  }

  /// `play MOTIF at TIME attr* ;`
  mutating func parsePlay() -> PlayStatement? {
    let start = currentRange
    advance()  // play
    let motif = current
    advance()
    advance()  // at
    guard let at = parseTime(what: "a time after 'at'") else {
      synchronize(insideBlock: true)
      return nil
    }
    guard let (attributes, flags, every) = parsePlayAttributes() else { return nil }
    let range = start.union(previousRange)
    if !skip(.semicolon) {
      report(.error("expected ';' after the play statement", at: afterPrevious, hint: "insert ';'"))
      if kind != .identifier && kind != .rightBrace { synchronize(insideBlock: true) }
    }
    return PlayStatement(
      motif: Name(motif.text, motif.range), at: at, attributes: attributes, range: range, flags: flags, every: every)
  }

  /// `NAME '=' NUM ('~' NUM)?` pairs after a statement. Nil after an error (already recovered).
  mutating func parseTrailingAttributes() -> [Attribute]? {
    guard kind == .identifier && peekKind(1) == .equals else { return [] }
    let scratch = attributeScratch
    defer { scratch.discard() }
    readPlainAttributes(into: scratch)
    while kind == .identifier && peekKind(1) == .equals {
      guard let attribute = parseAttribute() else {
        synchronize(insideBlock: true)
        return nil
      }
      scratch.append(attribute)
    }
    return scratch.take()
  }

  mutating func parseNoteStatement() -> NoteStatement? {
    let instrument = cachedCurrent()
    advance()
    let note: NoteExpr
    let time: TimeExpr
    if isWord("arp"), peekKind(1) == .leftParen {
      guard let arp = parseArp() else {
        synchronize(insideBlock: true)
        return nil
      }
      (note, time) = arp
    } else if kind == .string {
      guard let mini = parseMini(instrument: instrument.text) else {
        synchronize(insideBlock: true)
        return nil
      }
      (note, time) = mini
    } else {
      guard let written = parseNoteExpr() else {
        synchronize(insideBlock: true)
        return nil
      }
      guard let when = parseTime(what: "a time in beats after the note") else {
        synchronize(insideBlock: true)
        return nil
      }
      (note, time) = (written, when)
    }
    guard let attributes = parseTrailingAttributes() else { return nil }
    let range = instrument.range.union(previousRange)
    let what = attributes.isEmpty ? "the time" : "the attributes"
    if !skip(.semicolon) {
      if decimalComma() {
        // Reported; the statement goes on after the number.
        if !skip(.semicolon) { expectSemicolon(after: what) }
      } else if isWord("at") {
        report(
          .error(
            "a note statement takes its time without 'at'", at: currentRange,
            hint: "\(instrument.text) NOTE TIME; ('at' belongs to play, tempo and euclid)"))
        synchronize(insideBlock: true)
      } else if kind == .identifier, Parser.playFlags.contains(current.text) {
        report(
          .error(
            "'\(current.text)' transforms a motif; a note statement cannot take it", at: currentRange,
            hint: "put the notes in a motif and play it: play hook at 0 \(current.text);"))
        synchronize(insideBlock: true)
      } else if kind == .number || kind == .minus {
        report(
          .error(
            "expected ';' after \(what), found another number", at: currentRange,
            hint: "a statement is INSTRUMENT NOTE TIME;"))
        synchronize(insideBlock: true)
      } else if kind == .identifier && peekKind(1) != .identifier && peekKind(1) != .number
        && peekKind(1) != .equals && peekKind(1) != .leftBracket && peekKind(1) != .tilde && peekKind(1) != .degree
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

  /// NUMBER ('/' NUMBER)?, optionally with a leading '-'. `what` is built only for the error that names it
  /// (an interpolated string per attribute was a heap allocation on every value read).
  mutating func parseNumber(
    what: @autoclosure () -> String, noun: String = "the time", allowNegative: Bool, fraction: Bool = true
  ) -> NumberLiteral? {
    skipInvalid()
    let start = currentRange
    var negative = false
    if kind == .minus {
      negative = true
      advance()
    }
    guard kind == .number else {
      let found = current
      let at =
        found.kind == .semicolon || found.kind == .endOfFile || found.kind == .rightBrace ? afterPrevious : found.range
      report(.error("expected \(what()), found \(describe(found))", at: at))
      return nil
    }
    advance()
    let number = previousLexeme
    let slash = currentLexeme
    let denominatorLexeme: Lexeme? = fraction && kind == .slash && peekKind(1) == .number ? lexeme(1) : nil
    // A literal written without gaps (`-1/2`, `0.05`) is one short text: its text and value come from the cache.
    let first = negative ? start.start.offset : number.range.start.offset
    let end = (denominatorLexeme ?? number).range.end.offset
    let contiguous =
      number.decoded < 0 && (!negative || start.end.offset == number.range.start.offset)
      && denominatorLexeme.map {
        $0.decoded < 0 && number.range.end.offset == slash.range.start.offset
          && slash.range.end.offset == $0.range.start.offset
      } ?? true
    let key = contiguous ? source.bytes.withUnsafeBufferPointer { ShortTextCache.key($0, first, end) } : nil
    var written: String
    var value: BeatTime
    if let key, let known = shortTexts.number(key) {
      if denominatorLexeme != nil {
        advance()
        advance()
      }
      (written, value) = known
    } else {
      written = text(of: number)
      guard let whole = decimalValue(of: number) else {
        report(
          .error(
            "number '\(written)' is too long", at: previousRange, hint: "at most 12 digits before and after the point"))
        return nil
      }
      value = whole
      if denominatorLexeme != nil {
        advance()
        advance()
        let denominator = text(of: previousLexeme)
        guard let d = decimalValue(of: previousLexeme), d != .zero else {
          report(.error("'\(denominator)' cannot be a denominator", at: previousRange, hint: "use a non-zero number"))
          return nil
        }
        value = value / d
        written += "/" + denominator
      }
      if negative {
        value = .zero - value
        written = "-" + written
      }
      if let key { shortTexts.remember(key, text: written, value: value) }
    }
    if negative {
      // The whole number is consumed first, so the statement goes on and this is its only error.
      if !allowNegative {
        report(
          .error(
            "\(noun) must not be negative", at: start.union(previousRange),
            hint: noun == "the time" ? "times count beats from 0" : nil))
        return nil
      }
    }
    let magnitude = value.isNegative ? .zero - value : value
    if magnitude > limits.maxBeats {
      report(
        .error(
          "number '\(written)' is too large", at: start.union(previousRange),
          hint: "the limit is \(limits.maxBeats)"))
      return nil
    }
    return NumberLiteral(value: value, text: written, range: start.union(previousRange))
  }

  func describe(_ t: Token) -> String {
    switch t.kind {
    case .identifier: return "'\(t.text)'"
    case .number: return "number '\(t.text)'"
    case .string: return "string \"\(t.text)\""
    case .degree: return "degree '\(t.text)'"
    default: return t.kind.spelling
    }
  }
}
