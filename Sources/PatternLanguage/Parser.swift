/// Recursive-descent parser for pattern files, with panic-mode recovery: after an error it skips to the
/// next `;` or `}` and goes on, so one run reports every error.
///
/// ```
/// file      := item*
/// item      := import | tempo | block
/// import    := 'import' NAME 'from' STRING ';'
/// tempo     := 'tempo' NUMBER ';'
/// block     := ('melody' | 'rhythm' | 'harmony' | 'contrast') '{' statement* '}'
/// statement := NAME note time (NAME '=' signed)* ';'
/// note      := NAME | INTEGER                      // C4, F#3, Bb2, Kick, or a MIDI number
/// time      := NUMBER ('/' NUMBER)?                // beats, >= 0
/// ```
public struct Parser {
  private let source: SourceFile
  /// Tokens are pulled from the lexer as needed: the current one and two of lookahead, never the whole file
  /// (a 4 MB source would otherwise hold ~100 MB of tokens).
  private var lexer: Lexer
  /// A ring of three tokens: `ring[head]` is the current one. (An array read in place; a tuple switch
  /// copied whole tokens on every look, measured 1.7× slower.)
  private var ring: [Token]
  private var head = 0
  private var previousToken: Token
  private let limits: LanguageLimits
  private var parserDiagnostics: [Diagnostic] = []

  /// Lexer and parser diagnostics so far.
  public var diagnostics: [Diagnostic] { lexer.diagnostics + parserDiagnostics }

  /// Words that may start a top-level item, for "did you mean" hints.
  static let topLevelWords = ["import", "tempo"] + BlockKind.allCases.map(\.rawValue)

  public init(source: SourceFile, limits: LanguageLimits = .default) {
    self.source = source
    self.limits = limits
    var lexer = Lexer(source: source)
    ring = [lexer.next(), lexer.next(), lexer.next()]
    previousToken = ring[0]
    self.lexer = lexer
  }

  /// Parses a whole file. Always returns a tree (possibly partial) and every diagnostic found.
  public static func parse(_ source: SourceFile, limits: LanguageLimits = .default) -> (
    file: PatternFile, diagnostics: [Diagnostic]
  ) {
    var parser = Parser(source: source, limits: limits)
    let file = parser.parseFile()
    return (file, parser.diagnostics)
  }

  // MARK: - Token access

  private var current: Token { ring[head] }
  /// The current token's kind without copying the token (its text is a String: copies cost ARC traffic).
  private var kind: TokenKind { ring[head].kind }
  private var previous: Token { previousToken }

  /// The token `ahead` places after the current one (1 or 2); the end of the file repeats.
  private func peek(_ ahead: Int) -> Token { token(ahead) }

  /// The token `ahead` places from the current one (0 … 2).
  private func token(_ ahead: Int) -> Token { ring[(head + ahead) % 3] }

  private mutating func advance() {
    guard ring[head].kind != .endOfFile else { return }
    // The slot of the current token becomes the newest lookahead.
    let last = (head + 2) % 3
    let next = ring[last].kind == .endOfFile ? ring[last] : lexer.next()
    previousToken = ring[head]
    ring[head] = next
    head = (head + 1) % 3
  }

  private mutating func skipInvalid() {
    while kind == .invalid { advance() }
  }

  private mutating func accept(_ expected: TokenKind) -> Token? {
    skipInvalid()
    guard kind == expected else { return nil }
    defer { advance() }
    return current
  }

  /// Skips a token of the given kind; true if there was one.
  private mutating func skip(_ expected: TokenKind) -> Bool {
    skipInvalid()
    guard kind == expected else { return false }
    advance()
    return true
  }

  private func isWord(_ word: String) -> Bool { kind == .identifier && ring[head].text == word }

  private mutating func report(_ d: Diagnostic) {
    if parserDiagnostics.count < limits.maxDiagnostics {
      parserDiagnostics.append(d)
    } else if parserDiagnostics.count == limits.maxDiagnostics {
      parserDiagnostics.append(.error("too many errors; stopping here", at: d.range))
    }
  }

  /// Where a missing token should have been: just after the previous token.
  private var afterPrevious: SourceRange { SourceRange(at: previous.range.end) }

  /// Skips to a point where parsing can resume: after a `;` or a balanced `{ … }` at this level, or before
  /// a `}` that closes the enclosing block, or at the end of the file.
  private mutating func synchronize(insideBlock: Bool) {
    var depth = 0
    while current.kind != .endOfFile {
      switch current.kind {
      case .semicolon where depth == 0:
        advance()
        return
      case .leftBrace:
        depth += 1
      case .rightBrace:
        if depth == 0 {
          if !insideBlock { advance() }
          return
        }
        depth -= 1
        if depth == 0 && !insideBlock {
          advance()
          return
        }
      default:
        break
      }
      advance()
    }
  }

  // MARK: - Items

  public mutating func parseFile() -> PatternFile {
    var file = PatternFile()
    if source.bytes.count > limits.maxSourceBytes {
      report(
        .error(
          "source is \(source.bytes.count) bytes; the limit is \(limits.maxSourceBytes)",
          at: SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1))))
      return file
    }
    while true {
      skipInvalid()
      if current.kind == .endOfFile { break }
      let before = current.range.start.offset
      parseItem(into: &file)
      if current.range.start.offset == before && kind != .endOfFile { advance() }  // never loop in place
    }
    return file
  }

  private mutating func parseItem(into file: inout PatternFile) {
    let token = current
    guard token.kind == .identifier else {
      if token.kind == .rightBrace {
        report(.error("unmatched '}'", at: token.range, hint: "remove it, or open a block before it"))
      } else {
        report(
          .error(
            "expected 'import', 'tempo' or a block (melody, rhythm, harmony, contrast), found \(describe(token))",
            at: token.range))
      }
      synchronize(insideBlock: false)
      return
    }
    if token.text == "import" {
      if let d = parseImport() { file.imports.append(d) }
    } else if token.text == "tempo" {
      if let d = parseTempo() { file.tempos.append(d) }
    } else if let kind = BlockKind(rawValue: token.text) {
      if let b = parseBlock(kind: kind) { file.blocks.append(b) }
    } else {
      let next = peek(1).kind
      let what = next == .leftBrace ? "unknown block kind" : "unknown keyword"
      let hint =
        Suggestions.hint(for: token.text, in: Parser.topLevelWords)
        ?? (next == .leftBrace ? "blocks are melody, rhythm, harmony and contrast" : nil)
      report(.error("\(what) '\(token.text)'", at: token.range, hint: hint))
      if next == .leftBrace {
        // Parse the body anyway so errors inside it are reported too; the block itself is dropped.
        _ = parseBlock(kind: .melody)
      } else {
        synchronize(insideBlock: false)
      }
    }
  }

  private mutating func parseImport() -> ImportDecl? {
    let start = current.range
    advance()  // import
    guard let name = accept(.identifier) else {
      report(
        .error("expected an instrument name after 'import'", at: current.range, hint: "import piano from \"grand\";"))
      synchronize(insideBlock: false)
      return nil
    }
    guard isWord("from") else {
      let hint = current.kind == .identifier ? Suggestions.hint(for: current.text, in: ["from"]) : nil
      report(
        .error(
          "expected 'from' after the instrument name", at: current.kind == .identifier ? current.range : afterPrevious,
          hint: hint ?? "import \(name.text) from \"module\";"))
      synchronize(insideBlock: false)
      return nil
    }
    advance()
    guard let module = accept(.string) else {
      let hint = current.kind == .identifier ? "module names are quoted: \"\(current.text)\"" : nil
      report(
        .error(
          "expected a module name in double quotes", at: current.kind == .endOfFile ? afterPrevious : current.range,
          hint: hint))
      synchronize(insideBlock: false)
      return nil
    }
    let decl = ImportDecl(
      name: Name(name.text, name.range), module: Name(module.text, module.range), range: start.union(module.range))
    expectSemicolon(after: "the import")
    return decl
  }

  private mutating func parseTempo() -> TempoDecl? {
    let start = current.range
    advance()  // tempo
    guard let bpm = parseNumber(what: "beats per minute after 'tempo'", noun: "the tempo", allowNegative: false) else {
      synchronize(insideBlock: false)
      return nil
    }
    expectSemicolon(after: "the tempo")
    return TempoDecl(beatsPerMinute: bpm, range: start.union(bpm.range))
  }

  private mutating func expectSemicolon(after what: String) {
    if skip(.semicolon) { return }
    report(.error("expected ';' after \(what)", at: afterPrevious, hint: "insert ';'"))
    // Recover without skipping when the next token plausibly starts something new.
    if current.kind == .identifier || current.kind == .rightBrace || current.kind == .endOfFile { return }
    synchronize(insideBlock: true)
  }

  // MARK: - Blocks and statements

  private mutating func parseBlock(kind: BlockKind) -> Block? {
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

  private mutating func parseStatement() -> NoteStatement? {
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

  private mutating func parseNote() -> NoteLiteral? {
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
  private mutating func parseNumber(what: String, noun: String = "the time", allowNegative: Bool) -> NumberLiteral? {
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

  private func describe(_ t: Token) -> String {
    switch t.kind {
    case .identifier: return "'\(t.text)'"
    case .number: return "number '\(t.text)'"
    case .string: return "string \"\(t.text)\""
    default: return t.kind.spelling
    }
  }
}
