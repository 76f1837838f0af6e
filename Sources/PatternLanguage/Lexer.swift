/// Turns source bytes into tokens. Hand-written over UTF-8 bytes: one pass, no backtracking, every byte
/// consumed, so any input ends in `endOfFile` (the fuzz tests rely on that).
///
/// Identifiers are `[A-Za-z_][A-Za-z0-9_#']*`, so `F#3` and `C4'maj7` are single tokens. Comments are
/// `// …` to the end of the line and `/* … */`. Problems (an unknown character, an unterminated string or
/// comment, invalid UTF-8) become diagnostics and lexing goes on.
public struct Lexer {
  /// The source's bytes, and nothing else of it: reading a token's text through the whole `SourceFile` retained
  /// and released its name and line table for every token.
  private let bytes: [UInt8]
  private var index = 0
  /// Where lexing stops: the end of the file, or of the part a parallel parse gave this lexer.
  let end: Int
  private var line = 1
  private var column = 1
  public private(set) var diagnostics: [Diagnostic] = []
  /// The texts of lexemes whose value is not their source text (`Lexeme.decoded`).
  private var decodedTexts: [String] = []

  public init(source: SourceFile) {
    self.bytes = source.bytes
    self.end = source.bytes.count
  }

  /// A lexer of `source`'s bytes `part` only, as if the file ended there; its first byte is at `line` and
  /// `column` (what lexing from the start would have counted).
  init(source: SourceFile, part: Range<Int>, line: Int, column: Int) {
    self.bytes = source.bytes
    self.index = part.lowerBound
    self.end = part.upperBound
    self.line = line
    self.column = column
  }

  /// Lexes the whole file. The last token is always `endOfFile`.
  public static func tokenize(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(source: source)
    var tokens: [Token] = []
    tokens.reserveCapacity(source.bytes.count / 3 + 1)
    while true {
      let t = lexer.next()
      tokens.append(t)
      if t.kind == .endOfFile { break }
    }
    return (tokens, lexer.diagnostics)
  }

  /// Goes on lexing at `location`: a place between tokens, with the line and column lexing from the start counts
  /// there (the parser read the bytes before it itself: `Parser.readPlainAttributes`).
  mutating func reposition(at location: SourceLocation) {
    (index, line, column) = (location.offset, location.line, location.column)
  }

  private var location: SourceLocation { SourceLocation(offset: index, line: line, column: column) }

  private func peek(_ ahead: Int = 0) -> UInt8? {
    index + ahead < end ? bytes[index + ahead] : nil
  }

  /// Consumes one byte, keeping line and column. Columns count Unicode scalars: UTF-8 continuation bytes
  /// (10xxxxxx) do not advance the column.
  private mutating func advance() {
    let b = bytes[index]
    index += 1
    if b == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if b & 0xC0 != 0x80 {
      column += 1
    }
  }

  /// Consumes a run of bytes that `matches`, which accepts only ASCII other than a newline: the column moves by the
  /// run's length at once (identifiers and numbers are most of a file's bytes).
  private mutating func advanceASCII(while matches: (UInt8) -> Bool) {
    let first = index
    while index < end, matches(bytes[index]) { index += 1 }
    column += index - first
  }

  /// The next token, skipping blanks and comments.
  public mutating func next() -> Token {
    let lexeme = nextLexeme()
    return Token(kind: lexeme.kind, range: lexeme.range, text: text(of: lexeme))
  }

  /// A lexeme's text: the identifier or number as written (punctuation as written, "" at the end), a string
  /// literal decoded.
  func text(of lexeme: Lexeme) -> String {
    lexeme.decoded >= 0 ? decodedTexts[lexeme.decoded] : text(lexeme.range.start.offset, lexeme.range.end.offset)
  }

  /// A number lexeme's value (`BeatTime.parseDecimal` of its text), read from its bytes without decoding them.
  func decimalValue(of lexeme: Lexeme) -> BeatTime? {
    if lexeme.decoded >= 0 { return BeatTime.parseDecimal(decodedTexts[lexeme.decoded]) }
    return bytes.withUnsafeBufferPointer {
      BeatTime.parseDecimal(
        utf8: UnsafeBufferPointer(rebasing: $0[lexeme.range.start.offset..<lexeme.range.end.offset]))
    }
  }

  /// Whether a lexeme's text is `word`, compared without decoding it.
  func spells(_ lexeme: Lexeme, _ word: String) -> Bool {
    if lexeme.decoded >= 0 { return decodedTexts[lexeme.decoded] == word }
    return bytes[lexeme.range.start.offset..<lexeme.range.end.offset].elementsEqual(word.utf8)
  }

  /// The next token without its text, skipping blanks and comments.
  mutating func nextLexeme() -> Lexeme {
    skipTrivia()
    let start = location
    guard let b = peek() else { return Lexeme(kind: .endOfFile, range: SourceRange(at: start)) }

    if Lexer.isIdentifierStart(b) {
      advanceASCII(while: Lexer.isIdentifierContinue)
      return notePrefixed(from: start)
    }
    if Lexer.isDigit(b) || (b == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
      advanceASCII(while: Lexer.isDigit)
      if peek() == UInt8(ascii: "."), peek(1).map(Lexer.isDigit) == true {
        advance()
        advanceASCII(while: Lexer.isDigit)
      }
      let numberEnd = index
      guard peek() == UInt8(ascii: "."), peek(1).map(Lexer.isDigit) == true else { return make(.number, from: start) }
      // `1.5.2`: one error for the whole run, and the number as far as it is one, so nothing cascades.
      while let c = peek(), Lexer.isDigit(c) || c == UInt8(ascii: ".") { advance() }
      let written = text(start.offset, index)
      diagnostics.append(
        .error(
          "'\(written)' is not a number", at: SourceRange(start, location),
          hint: "a number has one decimal point (1.5); a fraction of a beat is written 3/2"))
      return decoded(.number, SourceRange(start, location), text(start.offset, numberEnd))
    }
    if b == UInt8(ascii: "^") {
      // `^b3`: the caret and the name-like run after it, checked by the parser (so `^x` is one error there).
      advance()
      while let c = peek(), Lexer.isIdentifierContinue(c) { advance() }
      return make(.degree, from: start)
    }
    if b == UInt8(ascii: "\"") { return lexString(from: start) }
    if b == UInt8(ascii: "'") { return lexSingleQuoted(from: start) }

    if b == UInt8(ascii: "-"), peek(1) == UInt8(ascii: ">") {
      advance()
      advance()
      return Lexeme(kind: .arrow, range: SourceRange(start, location))
    }
    let single: TokenKind? =
      switch b {
      case UInt8(ascii: "{"): .leftBrace
      case UInt8(ascii: "}"): .rightBrace
      case UInt8(ascii: "("): .leftParen
      case UInt8(ascii: ")"): .rightParen
      case UInt8(ascii: "["): .leftBracket
      case UInt8(ascii: "]"): .rightBracket
      case UInt8(ascii: ";"): .semicolon
      case UInt8(ascii: ","): .comma
      case UInt8(ascii: "="): .equals
      case UInt8(ascii: "/"): .slash
      case UInt8(ascii: ":"): .colon
      case UInt8(ascii: "-"): .minus
      case UInt8(ascii: "+"): .plus
      case UInt8(ascii: "~"): .tilde
      default: nil
      }
    if let kind = single {
      advance()
      return Lexeme(kind: kind, range: SourceRange(start, location))
    }

    // Anything else: a run of characters that start no token (`****`, control bytes), reported once as one
    // invalid token, so a long line of them is one diagnostic, not one per character.
    repeat {
      advance()
      while let c = peek(), c & 0xC0 == 0x80 { advance() }
    } while peek().map(Lexer.startsNothing) == true
    let written = text(start.offset, index)
    let scalars = Array(written.unicodeScalars)
    let shown =
      scalars.prefix(12).map { $0.isASCII && $0.value < 32 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
      .joined() + (scalars.count > 12 ? "…" : "")
    let what = scalars.count == 1 ? "unexpected character" : "\(scalars.count) unexpected characters"
    // Past a few hundred the compile cuts the list anyway: stop collecting (a megabyte of mistakes).
    if diagnostics.count < 256 { diagnostics.append(.error("\(what) '\(shown)'", at: SourceRange(start, location))) }
    return make(.invalid, from: start)
  }

  /// A note letter and its accidentals (`C`, `F#`, `Bb`) lexed so far: `C-1` (octave −1) takes its `-1` (not a
  /// minus and a time), and `C♯4` / `B♭3` become one identifier with one error saying to write `#` and `b`.
  /// The identifier lexed so far starts at `start`; its bytes are read in place (most are not note letters).
  private mutating func notePrefixed(from start: SourceLocation) -> Lexeme {
    let written = bytes[start.offset..<index]
    guard (1...3).contains(written.count), (UInt8(ascii: "A")...UInt8(ascii: "G")).contains(written.first!),
      written.dropFirst().allSatisfy({ $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "b") })
    else { return make(.identifier, from: start) }
    if peek() == UInt8(ascii: "-"), peek(1).map(Lexer.isDigit) == true,
      peek(2).map({ Lexer.isIdentifierContinue($0) || $0 == UInt8(ascii: ".") }) != true
    {
      advance()
      advance()
      return make(.identifier, from: start)
    }
    // ♯ is E2 99 AF, ♭ is E2 99 AD in UTF-8.
    guard peek() == 0xE2, peek(1) == 0x99, peek(2) == 0xAF || peek(2) == 0xAD else {
      return make(.identifier, from: start)
    }
    var plain = text(start.offset, index)
    while peek() == 0xE2, peek(1) == 0x99, let sign = peek(2), sign == 0xAF || sign == 0xAD {
      plain += sign == 0xAF ? "#" : "b"
      advance()
      advance()
      advance()
    }
    while let c = peek(), Lexer.isIdentifierContinue(c) {
      plain.unicodeScalars.append(Unicode.Scalar(c))
      advance()
    }
    let range = SourceRange(start, location)
    diagnostics.append(
      .error(
        "'\(text(start.offset, index))' uses the music signs ♯ or ♭", at: range,
        hint: "write sharps as '#' and flats as 'b': \(plain)"))
    return decoded(.identifier, range, plain)
  }

  /// Whether `b` (a byte that begins a character) starts no token and no blank: part of an invalid run.
  static func startsNothing(_ b: UInt8) -> Bool {
    if isIdentifierStart(b) || isDigit(b) || b & 0xC0 == 0x80 { return false }
    return !"{}()[];,=/:-+~^\"' \t\r\n".utf8.contains(b)
  }

  /// The text of bytes `start ..< end` (both within the source).
  private func text(_ start: Int, _ end: Int) -> String {
    String(decoding: bytes[start..<end], as: UTF8.self)
  }

  private func make(_ kind: TokenKind, from start: SourceLocation) -> Lexeme {
    Lexeme(kind: kind, range: SourceRange(start, location))
  }

  /// A lexeme whose value is `text`, not its source text.
  private mutating func decoded(_ kind: TokenKind, _ range: SourceRange, _ text: String) -> Lexeme {
    decodedTexts.append(text)
    return Lexeme(kind: kind, range: range, decoded: decodedTexts.count - 1)
  }

  private mutating func skipTrivia() {
    while let b = peek() {
      if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
        index += 1
        column += 1
      } else if b == UInt8(ascii: "\n") {
        index += 1
        line += 1
        column = 1
      } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
        while let c = peek(), c != UInt8(ascii: "\n") { advance() }
      } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
        let start = location
        advance()
        advance()
        var closed = false
        while let c = peek() {
          if c == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
            advance()
            advance()
            closed = true
            break
          }
          advance()
        }
        if !closed {
          diagnostics.append(
            .error(
              "unterminated block comment",
              at: SourceRange(
                start, SourceLocation(offset: start.offset + 2, line: start.line, column: start.column + 2)),
              hint: "close it with '*/'"))
        }
      } else if b == 0xEF, peek(1) == 0xBB, peek(2) == 0xBF, index == 0 {
        index += 3  // a UTF-8 byte-order mark at the very start is not content
      } else {
        return
      }
    }
  }

  /// `'grand'`: reported once, then read as the string it was meant to be so parsing goes on normally.
  private mutating func lexSingleQuoted(from start: SourceLocation) -> Lexeme {
    advance()
    while let c = peek(), c != UInt8(ascii: "'"), c != UInt8(ascii: "\n") { advance() }
    let contentEnd = index
    if peek() == UInt8(ascii: "'") { advance() }
    let content = text(start.offset + 1, contentEnd)
    diagnostics.append(
      .error("strings use double quotes", at: SourceRange(start, location), hint: "write \"\(content)\""))
    return decoded(.string, SourceRange(start, location), content)
  }

  private mutating func lexString(from start: SourceLocation) -> Lexeme {
    advance()  // opening quote
    var value: [UInt8] = []
    while let c = peek() {
      if c == UInt8(ascii: "\"") {
        advance()
        return decoded(.string, SourceRange(start, location), String(decoding: value, as: UTF8.self))
      }
      if c == UInt8(ascii: "\n") { break }
      if c == UInt8(ascii: "\\") {
        let escStart = location
        advance()
        guard let e = peek(), e != UInt8(ascii: "\n") else { break }
        advance()
        switch e {
        case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): value.append(e)
        default:
          diagnostics.append(
            .error("unknown escape in string", at: SourceRange(escStart, location), hint: "use \\\" \\\\ \\n or \\t"))
        }
        continue
      }
      value.append(c)
      advance()
    }
    diagnostics.append(
      .error("unterminated string", at: SourceRange(start, location), hint: "close it with '\"' on the same line"))
    return decoded(.string, SourceRange(start, location), String(decoding: value, as: UTF8.self))
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

  static func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_")
  }

  static func isIdentifierContinue(_ b: UInt8) -> Bool {
    // `[A-Za-z0-9_#']` as two 64-bit masks of the ASCII range: one shift and test per byte of a name.
    b < 64
      ? (0x03FF_0088_0000_0000 as UInt64) >> b & 1 != 0
      : b < 128 && (0x07FF_FFFE_87FF_FFFE as UInt64) >> (b - 64) & 1 != 0
  }
}
