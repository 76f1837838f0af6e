/// Recursive-descent parser for pattern files, with panic-mode recovery: after an error it skips to the
/// next `;` or `}` and goes on, so one run reports every error. `docs/LANGUAGE.md` is the normative grammar.
///
/// ```
/// file      := item*
/// item      := import | directive | block | let | section | arrange | bus | master
/// import    := 'import' NAME 'from' STRING ('channel' '=' INT)? ';'
/// directive := 'tempo' NUM ('->' NUM 'over' NUM)? ('at' time)? ';' | meter
///            | 'seed' INT ';' | ('title' | 'artist' | 'album') STRING ';' | 'swing' NUM 'per' NUM ';' | scale
/// block     := KIND ('(' (attr | 'send' NAME '=' NUM | 'fx' '=' chain),* ')')? '{' statement* '}'
/// let       := 'let' NAME '=' '{' statement* '}' ';'?
/// meter     := 'meter' INT '/' INT ('at' time)? ';'          // no 'at' inside a section
/// scale     := 'scale' NAME ':' NAME ('at' time)? ';'
/// section   := 'section' NAME ('(' attrs ')')? '{' (block | arrange | meter | scale)* '}'
/// arrange   := 'arrange' '{' (NAME ('x' INT)? ';')* '}'
/// bus       := 'bus' NAME '=' chain ';'          master := 'master' '(' 'fx' '=' chain ')' ';'
/// chain     := NAME '(' (NAME '=' (NUM | NAME | STRING) (',' …)*)? ')' ('->' chain)?
/// statement := NAME note time attr* ';' | 'repeat' INT 'every' NUM '{' statement* '}'
///            | 'play' NAME 'at' time playattr* ';' | NAME arp 'step' NUM 'at' time 'for' NUM attr* ';'
///            | NAME STRING ('over' NUM | 'cycles' INT | 'at' time)* attr* ';'   // mini-notation: MiniParser
/// playattr  := attr | 'reverse' | 'invert' | 'every' '=' INT ':' ('reverse' | 'invert' | attr)
/// arp       := 'arp' '(' note ',' ('up' | 'down' | 'updown' | 'random') (',' 'octaves' '=' INT)? ')'
/// note      := NAME | INTEGER | NAME "'" QUALITY | DEGREE | '[' note+ ']' | '~' | 'choose' '(' note (',' note)* ')'
/// time      := NUM | INT ':' NUM | 'euclid' '(' INT ',' INT (',' INT)? ')' 'step' NUM 'at' time
/// attr      := NAME '=' NUM ('~' NUM)?
/// DEGREE    := '^' ('b' | '#'){0,2} DIGITS
/// NUM       := '-'? NUMBER ('/' NUMBER)?
/// ```
public struct Parser {
  let source: SourceFile
  /// Tokens are pulled from the lexer as needed: the current one and two of lookahead, never the whole file
  /// (a 4 MB source would otherwise hold ~100 MB of tokens).
  private var lexer: Lexer
  /// The current token and two of lookahead, shifted along on each `advance` (plain values: moving them costs no
  /// reference counting).
  private(set) var currentLexeme: Lexeme
  private var lookahead1: Lexeme
  private var lookahead2: Lexeme
  private(set) var previousLexeme: Lexeme
  let limits: LanguageLimits
  private var parserDiagnostics: [Diagnostic] = []
  /// How deep the parser is in nested braces, brackets and `choose(…)`; bounded by `limits.maxNesting`.
  var depth = 0
  /// Reused by `parseTrailingAttributes` (empty between statements).
  let attributeScratch = AttributeScratch()
  /// Whether plain attributes are read from the bytes (`readPlainAttributes`), and how many were.
  var readsPlainAttributes = true
  var plainAttributesRead = 0
  /// Names and numbers as written, remembered by their bytes (`parseNumber`, `cachedCurrent`).
  var shortTexts = ShortTextCache()
  /// Parsing a part of a file (`parseInParts`) that is cut between a top-level block's statements: the end of the
  /// part ends the block's statements without an error, and `endedInsideBlock` says so.
  var mayEndInsideBlock = false
  var endedInsideBlock = false
  /// Whether the statements being parsed are a top-level block's (not a motif's, a section's or a repeat's).
  var inTopLevelBlock = false

  /// Lexer and parser diagnostics so far.
  public var diagnostics: [Diagnostic] { lexer.diagnostics + parserDiagnostics }

  /// Words that may start a top-level item, for "did you mean" hints.
  static let topLevelWords =
    [
      "import", "tempo", "meter", "seed", "title", "artist", "album", "swing", "let", "section", "arrange", "bus",
      "master", "scale",
    ]
    + BlockKind.allCases.map(\.rawValue)

  public init(source: SourceFile, limits: LanguageLimits = .default) {
    self.init(source: source, lexer: Lexer(source: source), limits: limits)
  }

  /// A parser of what `lexer` reads of `source` (the whole file, or a part of it).
  init(source: SourceFile, lexer: Lexer, limits: LanguageLimits) {
    self.source = source
    self.limits = limits
    var lexer = lexer
    currentLexeme = lexer.nextLexeme()
    lookahead1 = lexer.nextLexeme()
    lookahead2 = lexer.nextLexeme()
    previousLexeme = currentLexeme
    self.lexer = lexer
  }

  /// Parses a whole file. Always returns a tree (possibly partial) and every diagnostic found.
  /// - Parameter plainAttributes: Read plain attributes from the bytes (`readPlainAttributes`); false reads every
  ///   one token by token, for the fuzzers and tests that compare both ways (the same result either way).
  /// - Parameter alongside: Other work of the caller's, run once on this thread: while the helper thread parses the
  ///   first parts of a file parsed in parts, else before the file is parsed.
  public static func parse(
    _ source: SourceFile, limits: LanguageLimits = .default, plainAttributes: Bool = true, alongside: () -> Void = {}
  ) -> (file: PatternFile, diagnostics: [Diagnostic]) {
    // A one-shot command's large compile: room in the arenas, and a second thread already running for its parts.
    if HeapReserve.reserve(forSource: source.bytes.count) && FrontEndParts.cores >= 2 { PartsHelper.start() }
    var pending = true
    let inParts = parseInParts(source, limits: limits, plainAttributes: plainAttributes) {
      alongside()
      pending = false
    }
    if pending { alongside() }
    if let file = inParts { return (file, []) }
    var parser = Parser(source: source, limits: limits)
    parser.readsPlainAttributes = plainAttributes
    let file = parser.parseFile()
    parser.countPlainAttributes()
    return (file, parser.diagnostics)
  }

  // MARK: - Token access

  /// The current token with its text (decoded on each use: hot paths read `kind`, `currentRange`, `isWord`).
  var current: Token { token(from: currentLexeme) }
  var kind: TokenKind { currentLexeme.kind }
  var currentRange: SourceRange { currentLexeme.range }
  var previous: Token { token(from: previousLexeme) }
  var previousRange: SourceRange { previousLexeme.range }

  /// The token `ahead` places after the current one (1 or 2); the end of the file repeats.
  func peek(_ ahead: Int) -> Token { token(ahead) }

  /// The kind of the token `ahead` places after the current one (1 or 2), read in place like `kind`.
  func peekKind(_ ahead: Int) -> TokenKind { lexeme(ahead).kind }

  /// The token `ahead` places from the current one (0 … 2).
  func token(_ ahead: Int) -> Token { token(from: lexeme(ahead)) }

  /// The lexeme `ahead` places from the current one (0 … 2).
  func lexeme(_ ahead: Int) -> Lexeme { ahead == 0 ? currentLexeme : ahead == 1 ? lookahead1 : lookahead2 }

  /// A lexeme with its text.
  func token(from lexeme: Lexeme) -> Token { Token(kind: lexeme.kind, range: lexeme.range, text: text(of: lexeme)) }

  /// The current token, its text (a name or number as written, up to 8 bytes) from `shortTexts`: the same token as
  /// `current`, without decoding the spellings a song repeats on every line.
  mutating func cachedCurrent() -> Token {
    let lexeme = currentLexeme
    let (start, end) = (lexeme.range.start.offset, lexeme.range.end.offset)
    guard lexeme.decoded < 0, end - start <= 8 else { return current }
    let text = source.bytes.withUnsafeBufferPointer { bytes in
      ShortTextCache.key(bytes, start, end).map { shortTexts.text($0, bytes, start, end) }
    }
    return Token(kind: lexeme.kind, range: lexeme.range, text: text ?? "")
  }

  /// A number lexeme's value, read from its bytes.
  func decimalValue(of lexeme: Lexeme) -> BeatTime? { lexer.decimalValue(of: lexeme) }

  /// A lexeme's text (the previous token's, when a number has just been read).
  func text(of lexeme: Lexeme) -> String { lexer.text(of: lexeme) }

  mutating func advance() {
    guard currentLexeme.kind != .endOfFile else { return }
    previousLexeme = currentLexeme
    currentLexeme = lookahead1
    lookahead1 = lookahead2
    // The end of the file repeats.
    if lookahead2.kind != .endOfFile { lookahead2 = lexer.nextLexeme() }
  }

  /// Where the lexer stops (the end of the file, or of the part being parsed).
  var lexerLimit: Int { lexer.end }

  /// Moves the token stream past a number token the parser read from the bytes (`readPlainAttributes`): it becomes
  /// the previous token, and lexing goes on from its end.
  mutating func resume(afterNumber number: SourceRange) {
    previousLexeme = Lexeme(kind: .number, range: number)
    lexer.reposition(at: number.end)
    currentLexeme = lexer.nextLexeme()
    lookahead1 = lexer.nextLexeme()
    lookahead2 = lexer.nextLexeme()
  }

  mutating func skipInvalid() {
    while kind == .invalid { advance() }
  }

  mutating func accept(_ expected: TokenKind) -> Token? {
    skipInvalid()
    guard kind == expected else { return nil }
    defer { advance() }
    return current
  }

  /// Skips a token of the given kind; true if there was one.
  mutating func skip(_ expected: TokenKind) -> Bool {
    skipInvalid()
    guard kind == expected else { return false }
    advance()
    return true
  }

  /// Whether the current token is the name `word` (compared as bytes, not decoded).
  func isWord(_ word: String) -> Bool { kind == .identifier && lexer.spells(currentLexeme, word) }

  mutating func report(_ d: Diagnostic) {
    if parserDiagnostics.count < limits.maxDiagnostics {
      parserDiagnostics.append(d)
    } else if parserDiagnostics.count == limits.maxDiagnostics {
      parserDiagnostics.append(.error("too many errors; stopping here", at: d.range))
    }
  }

  /// Where a missing token should have been: just after the previous token.
  var afterPrevious: SourceRange { SourceRange(at: previousRange.end) }

  /// Skips to a point where parsing can resume: after a `;` or a balanced `{ … }` at this level, or before
  /// a `}` that closes the enclosing block, or at the end of the file.
  mutating func synchronize(insideBlock: Bool) {
    var depth = 0
    while kind != .endOfFile {
      switch kind {
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
        if depth == 0 {
          // A balanced `{ … }` group ends the bad statement (e.g. a misplaced `section x { … }`), with the `;`
          // that may follow it (`let = { … };`).
          advance()
          if kind == .semicolon { advance() }
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
      if kind == .endOfFile { break }
      let before = currentRange.start.offset
      parseItem(into: &file)
      if currentRange.start.offset == before && kind != .endOfFile { advance() }  // never loop in place
    }
    return file
  }

  mutating func parseItem(into file: inout PatternFile) {
    let token = current
    guard token.kind == .identifier else {
      if token.kind == .rightBrace {
        report(.error("unmatched '}'", at: token.range, hint: "remove it, or open a block before it"))
      } else {
        report(
          .error(
            "expected 'import', a directive or a block (melody, rhythm, harmony, contrast), found \(describe(token))",
            at: token.range))
      }
      synchronize(insideBlock: false)
      return
    }
    switch token.text {
    case "import": if let d = parseImport() { file.imports.append(d) }
    case "tempo": if let d = parseTempo() { file.tempos.append(d) }
    case "meter": if let d = parseMeter() { file.meters.append(d) }
    case "seed": if let d = parseSeed() { file.seeds.append(d) }
    case "title", "artist", "album": if let d = parseTag() { file.tags.append(d) }
    case "swing": if let d = parseSwing() { file.swings.append(d) }
    case "scale": if let d = parseScale(inSection: false) { file.scales.append(d) }
    case "let": if let d = parseMotif() { file.motifs.append(d) }
    case "section": if let d = parseSection() { file.sections.append(d) }
    case "arrange": if let d = parseArrange() { file.arrangements.append(d) }
    case "bus": if let d = parseBus() { file.buses.append(d) }
    case "master" where peekKind(1) == .leftParen: if let d = parseMaster() { file.masters.append(d) }
    default:
      if let kind = BlockKind(rawValue: token.text) {
        inTopLevelBlock = true
        defer { inTopLevelBlock = false }
        if let b = parseBlock(kind: kind) { file.blocks.append(b) }
        return
      }
      let next = peekKind(1)
      let what = next == .leftBrace || next == .leftParen ? "unknown block kind" : "unknown keyword"
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

  mutating func parseImport() -> ImportDecl? {
    let start = currentRange
    advance()  // import
    guard let name = accept(.identifier) else {
      report(
        .error("expected an instrument name after 'import'", at: currentRange, hint: "import piano from \"grand\";"))
      synchronize(insideBlock: false)
      return nil
    }
    guard isWord("from") else {
      let hint = kind == .identifier ? Suggestions.hint(for: current.text, in: ["from"]) : nil
      report(
        .error(
          "expected 'from' after the instrument name", at: kind == .identifier ? currentRange : afterPrevious,
          hint: hint ?? "import \(name.text) from \"module\";"))
      synchronize(insideBlock: false)
      return nil
    }
    advance()
    guard let module = accept(.string) else {
      let hint = kind == .identifier ? "module names are quoted: \"\(current.text)\"" : nil
      report(
        .error(
          "expected a module name in double quotes", at: kind == .endOfFile ? afterPrevious : currentRange,
          hint: hint))
      synchronize(insideBlock: false)
      return nil
    }
    var decl = ImportDecl(
      name: Name(name.text, name.range), module: Name(module.text, module.range), range: start.union(module.range))
    // Options: `channel=N` (the MIDI channel export gives the instrument).
    while kind == .identifier && peekKind(1) == .equals {
      let option = current
      advance()
      advance()
      guard let value = parseNumber(what: "a MIDI channel 1 … 16", noun: "the channel", allowNegative: true) else {
        synchronize(insideBlock: false)
        return nil
      }
      if option.text != "channel" {
        report(
          .error(
            "unknown import option '\(option.text)'", at: option.range,
            hint: Suggestions.hint(for: option.text, in: ["channel"]) ?? "the import option is channel=1 … 16"))
      } else if let first = decl.channel {
        report(
          .error(
            "channel is set twice", at: option.range, hint: "an instrument plays on one MIDI channel",
            notes: [.init(message: "first set here", range: first.range)]))
      } else {
        decl.channel = value
      }
      decl.range = decl.range.union(value.range)
    }
    expectSemicolon(after: "the import")
    return decl
  }

  /// `0,5` for 0.5 (a decimal comma: the number, a comma and a number with nothing between them): one error
  /// with the fix, the comma and the digits skipped. Returns whether it was one.
  mutating func decimalComma() -> Bool {
    guard kind == .comma, previous.kind == .number, peekKind(1) == .number,
      previousRange.end.offset == currentRange.start.offset,
      currentRange.end.offset == peek(1).range.start.offset
    else { return false }
    let written = previous.text + "," + peek(1).text
    report(
      .error(
        "'\(written)' uses a decimal comma", at: previousRange.union(peek(1).range),
        hint: "numbers use a point: \(previous.text).\(peek(1).text)"))
    advance()
    advance()
    return true
  }

  mutating func expectSemicolon(after what: String) {
    if skip(.semicolon) { return }
    report(.error("expected ';' after \(what)", at: afterPrevious, hint: "insert ';'"))
    // Recover without skipping when the next token plausibly starts something new.
    if kind == .identifier || kind == .rightBrace || kind == .endOfFile { return }
    synchronize(insideBlock: true)
  }

}
