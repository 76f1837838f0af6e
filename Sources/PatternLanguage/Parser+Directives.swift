/// Top-level directives and song form: `tempo`, `meter`, `seed`, tags, `swing`, `let`, `section`, `arrange`.
extension Parser {
  /// `tempo N ('->' N 'over' N)? ('at' TIME)? ';'`
  mutating func parseTempo() -> TempoDecl? {
    let start = currentRange
    advance()  // tempo
    guard let bpm = parseNumber(what: "beats per minute after 'tempo'", noun: "the tempo", allowNegative: false) else {
      synchronize(insideBlock: false)
      return nil
    }
    var decl = TempoDecl(beatsPerMinute: bpm, rampTo: nil, rampBeats: nil, at: nil, range: start.union(bpm.range))
    if skip(.arrow) {
      guard let to = parseNumber(what: "the tempo the ramp ends at", noun: "the tempo", allowNegative: false) else {
        synchronize(insideBlock: false)
        return nil
      }
      guard isWord("over") else {
        report(
          .error(
            "expected 'over' and a length in beats after the ramp's tempo", at: wordOrAfterPrevious,
            hint: "tempo \(bpm.text) -> \(to.text) over 8;"))
        synchronize(insideBlock: false)
        return nil
      }
      advance()
      guard let over = parseNumber(what: "the ramp's length in beats", noun: "the length", allowNegative: false) else {
        synchronize(insideBlock: false)
        return nil
      }
      decl.rampTo = to
      decl.rampBeats = over
    }
    if isWord("at") {
      advance()
      guard let at = parseTime(what: "a beat after 'at'") else {
        synchronize(insideBlock: false)
        return nil
      }
      decl.at = at
    }
    decl.range = start.union(previousRange)
    expectSemicolon(after: "the tempo")
    return decl
  }

  /// `meter N/D ('at' TIME)?;` (in a section, recovery stops at the section's `}`).
  mutating func parseMeter(inSection: Bool = false) -> MeterDecl? {
    let start = currentRange
    advance()
    guard
      let num = parseNumber(
        what: "beats per bar after 'meter'", noun: "the meter", allowNegative: false, fraction: false)
    else {
      synchronize(insideBlock: inSection)
      return nil
    }
    guard skip(.slash) else {
      report(.error("expected '/' and a note value after the beats per bar", at: afterPrevious, hint: "meter 3/4;"))
      synchronize(insideBlock: inSection)
      return nil
    }
    guard
      let den = parseNumber(what: "a note value after '/'", noun: "the meter", allowNegative: false, fraction: false)
    else {
      synchronize(insideBlock: inSection)
      return nil
    }
    var decl = MeterDecl(numerator: num, denominator: den, range: start.union(den.range))
    if isWord("at") {
      advance()
      guard let at = parseTime(what: "a bar after 'at' (9:1) or a beat") else {
        synchronize(insideBlock: inSection)
        return nil
      }
      decl.at = at
      decl.range = start.union(previousRange)
    }
    expectSemicolon(after: "the meter")
    return decl
  }

  /// `seed N;`
  mutating func parseSeed() -> SeedDecl? {
    let start = currentRange
    advance()
    guard let value = parseNumber(what: "a whole number after 'seed'", noun: "the seed", allowNegative: false) else {
      synchronize(insideBlock: false)
      return nil
    }
    expectSemicolon(after: "the seed")
    return SeedDecl(value: value, range: start.union(value.range))
  }

  /// `title "…";` (also `artist`, `album`).
  mutating func parseTag() -> TagDecl? {
    let key = current
    advance()
    guard let value = accept(.string) else {
      report(
        .error(
          "expected a string in double quotes after '\(key.text)'",
          at: kind == .endOfFile || kind == .semicolon ? afterPrevious : currentRange,
          hint: "\(key.text) \"…\";"))
      synchronize(insideBlock: false)
      return nil
    }
    expectSemicolon(after: "the \(key.text)")
    return TagDecl(
      key: Name(key.text, key.range), value: Name(value.text, value.range), range: key.range.union(value.range))
  }

  /// `swing AMOUNT per GRID;`
  mutating func parseSwing() -> SwingDecl? {
    let start = currentRange
    advance()
    guard let amount = parseNumber(what: "a swing amount after 'swing'", noun: "the swing", allowNegative: false) else {
      synchronize(insideBlock: false)
      return nil
    }
    guard isWord("per") else {
      report(
        .error(
          "expected 'per' and a step length in beats", at: wordOrAfterPrevious, hint: "swing \(amount.text) per 1/2;"))
      synchronize(insideBlock: false)
      return nil
    }
    advance()
    guard let grid = parseNumber(what: "a step length in beats after 'per'", noun: "the step", allowNegative: false)
    else {
      synchronize(insideBlock: false)
      return nil
    }
    expectSemicolon(after: "the swing")
    return SwingDecl(amount: amount, grid: grid, range: start.union(grid.range))
  }

  /// `let NAME = { statement* } ;?`
  mutating func parseMotif() -> MotifDecl? {
    let start = currentRange
    advance()  // let
    guard let name = accept(.identifier) else {
      report(.error("expected a motif name after 'let'", at: wordOrAfterPrevious, hint: "let hook = { piano C4 0; };"))
      synchronize(insideBlock: false)
      return nil
    }
    guard skip(.equals) else {
      report(.error("expected '=' after the motif name", at: afterPrevious, hint: "let \(name.text) = { … };"))
      synchronize(insideBlock: false)
      return nil
    }
    guard
      let (statements, close) = parseStatementBody(opening: "the motif", example: "let \(name.text) = { piano C4 0; };")
    else { return nil }
    _ = skip(.semicolon)
    return MotifDecl(name: Name(name.text, name.range), statements: statements, range: start.union(close))
  }

  /// `section NAME ('(' attrs ')')? { (block | arrange | meter)* }`
  mutating func parseSection() -> SectionDecl? {
    let start = currentRange
    advance()  // section
    guard let name = accept(.identifier) else {
      report(
        .error(
          "expected a section name after 'section'", at: wordOrAfterPrevious, hint: "section verse { melody { … } }"))
      synchronize(insideBlock: false)
      return nil
    }
    let attributes = parseParenthesizedAttributes() ?? []
    guard let open = accept(.leftBrace) else {
      report(
        .error("expected '{' after the section name", at: afterPrevious, hint: "section \(name.text) { melody { … } }"))
      synchronize(insideBlock: false)
      return nil
    }
    var section = SectionDecl(
      name: Name(name.text, name.range), attributes: attributes, blocks: [], arrangements: [], range: start)
    while true {
      skipInvalid()
      if kind == .rightBrace {
        section.range = start.union(currentRange)
        advance()
        return section
      }
      if kind == .endOfFile {
        report(
          .error(
            "expected '}' to close the section", at: currentRange, hint: "add '}'",
            notes: [.init(message: "the section opens here", range: open.range)]))
        section.range = start.union(previousRange)
        return section
      }
      let before = currentRange.start.offset
      if kind == .identifier, let blockKind = BlockKind(rawValue: current.text) {
        if let b = parseBlock(kind: blockKind) { section.blocks.append(b) }
      } else if isWord("meter") {
        if let m = parseMeter(inSection: true) { section.meters.append(m) }
      } else if isWord("arrange") {
        if let a = parseArrange() { section.arrangements.append(a) }
      } else if isWord("scale") {
        if let s = parseScale(inSection: true) { section.scales.append(s) }
      } else {
        let hint = kind == .identifier ? Suggestions.hint(for: current.text, in: Parser.sectionWords) : nil
        report(
          .error(
            "expected a block (melody, rhythm, harmony, contrast) or 'arrange' in a section, found \(describe(current))",
            at: currentRange, hint: hint ?? "a section holds blocks: section \(name.text) { melody { piano C4 0; } }"))
        synchronize(insideBlock: false)
      }
      if currentRange.start.offset == before && kind != .endOfFile { advance() }
    }
  }

  static let sectionWords = BlockKind.allCases.map(\.rawValue) + ["arrange", "meter", "scale"]

  /// `arrange { NAME ('x' INT)? ; … }`
  mutating func parseArrange() -> ArrangeDecl? {
    let start = currentRange
    advance()  // arrange
    guard let open = accept(.leftBrace) else {
      report(.error("expected '{' after 'arrange'", at: afterPrevious, hint: "arrange { intro; verse x2; chorus; }"))
      synchronize(insideBlock: false)
      return nil
    }
    var entries: [ArrangeEntry] = []
    while true {
      skipInvalid()
      if kind == .rightBrace {
        let close = currentRange
        advance()
        return ArrangeDecl(entries: entries, range: start.union(close))
      }
      if kind == .endOfFile {
        report(
          .error(
            "expected '}' to close 'arrange'", at: currentRange, hint: "add '}'",
            notes: [.init(message: "'arrange' opens here", range: open.range)]))
        return ArrangeDecl(entries: entries, range: start.union(previousRange))
      }
      guard let name = accept(.identifier) else {
        report(.error("expected a section name, found \(describe(current))", at: currentRange, hint: "verse x2;"))
        synchronize(insideBlock: true)
        continue
      }
      var count = 1
      var range = name.range
      if let times = parseRepeatCount() {
        count = times.count
        range = range.union(times.range)
      } else if kind != .semicolon {
        synchronize(insideBlock: true)
        continue
      }
      entries.append(ArrangeEntry(section: Name(name.text, name.range), count: count, range: range))
      if !skip(.semicolon) {
        report(.error("expected ';' after the section name", at: afterPrevious, hint: "insert ';'"))
        if kind != .identifier && kind != .rightBrace { synchronize(insideBlock: true) }
      }
    }
  }

  /// `x2` or `x 2` after a section name in `arrange`. Nil (nothing consumed) when absent; reports a bad count.
  private mutating func parseRepeatCount() -> (count: Int, range: SourceRange)? {
    guard kind == .identifier, current.text.first == "x" else {
      if kind != .semicolon && kind != .rightBrace {
        report(
          .error("expected ';' or a count such as 'x2' after the section name", at: currentRange, hint: "verse x2;"))
      }
      return nil
    }
    let token = current
    var digits = String(token.text.dropFirst())
    var range = token.range
    advance()
    if digits.isEmpty, kind == .number {
      digits = current.text
      range = range.union(currentRange)
      advance()
    }
    guard let n = Int(digits), (1...limits.maxRepeat).contains(n) else {
      report(
        .error(
          "'\(token.text)' is not a repeat count", at: range,
          hint: "write x2 … x\(limits.maxRepeat), or nothing for once"))
      return nil
    }
    return (n, range)
  }

  /// `'(' NAME '=' NUM (',' NAME '=' NUM)* ')'` after a block or section name; nil when there is no `(`.
  mutating func parseParenthesizedAttributes() -> [Attribute]? {
    var none: BlockMix? = nil
    return parseParenthesizedAttributes(mixInto: &none)
  }

  /// A block's parentheses, which may also hold `send BUS=dB` and `fx=CHAIN`.
  mutating func parseParenthesizedAttributes(mix: inout BlockMix) -> [Attribute]? {
    var some: BlockMix? = mix
    defer { mix = some! }
    return parseParenthesizedAttributes(mixInto: &some)
  }

  private mutating func parseParenthesizedAttributes(mixInto mix: inout BlockMix?) -> [Attribute]? {
    guard kind == .leftParen else { return nil }
    let open = current
    advance()
    var attributes: [Attribute] = []
    while kind != .rightParen {
      if mix != nil, parseMixAttribute(into: &mix!) {
        if !skip(.comma) { break }
        continue
      }
      guard kind == .identifier, peekKind(1) == .equals else {
        report(
          .error(
            "expected NAME=VALUE in parentheses, found \(describe(current))", at: currentRange,
            hint: "melody(gain=-6, pan=-0.3) { … }", notes: [.init(message: "'(' opens here", range: open.range)]))
        while kind != .rightParen && kind != .leftBrace && kind != .endOfFile && kind != .semicolon { advance() }
        break
      }
      let name = current
      advance()
      advance()  // =
      guard let (value, automation) = parseValue(what: "a value for '\(name.text)'") else {
        skipToCloseParen()
        _ = skip(.rightParen)
        return attributes
      }
      attributes.append(
        Attribute(
          name: Name(name.text, name.range), value: value, range: name.range.union(previousRange),
          automation: automation))
      if !skip(.comma) { break }
    }
    if !skip(.rightParen) {
      report(.error("expected ')' after the attributes", at: afterPrevious, hint: "insert ')'"))
    }
    return attributes
  }

  /// The current name's range, or just after the previous token.
  var wordOrAfterPrevious: SourceRange { kind == .identifier ? currentRange : afterPrevious }
}
