import Testing

@testable import PatternLanguage

@Suite("Lexer")
struct LexerTests {
  func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind)
  }

  @Test("every token kind is produced from its spelling")
  func everyTokenKind() {
    let (tokens, diagnostics) = Lexer.tokenize(
      SourceFile(name: "t", text: #"piano 0.5 "grand" ^b3 { } ( ) [ ] ; , = / : - + ~ -> @"#))
    #expect(
      tokens.map(\.kind) == [
        .identifier, .number, .string, .degree, .leftBrace, .rightBrace, .leftParen, .rightParen, .leftBracket,
        .rightBracket, .semicolon, .comma, .equals, .slash, .colon, .minus, .plus, .tilde, .arrow, .invalid,
        .endOfFile,
      ])
    #expect(Set(tokens.map(\.kind)) == Set(TokenKind.allCases))
    #expect(diagnostics.count == 1)
    #expect(diagnostics[0].message == "unexpected character '@'")
  }

  @Test("pitch names with accidentals are single identifiers")
  func pitchIdentifiers() {
    let tokens = Lexer.tokenize(SourceFile(name: "t", text: "C4 F#3 Bb2 C4'maj7 _x9")).tokens
    #expect(tokens.dropLast().map(\.text) == ["C4", "F#3", "Bb2", "C4'maj7", "_x9"])
    #expect(tokens.dropLast().allSatisfy { $0.kind == .identifier })
  }

  @Test("numbers: integers, decimals, leading point")
  func numbers() {
    let tokens = Lexer.tokenize(SourceFile(name: "t", text: "0 12 0.25 .5 3.")).tokens
    #expect(tokens.map(\.text) == ["0", "12", "0.25", ".5", "3", ".", ""])
    #expect(tokens.map(\.kind) == [.number, .number, .number, .number, .number, .invalid, .endOfFile])
  }

  @Test("comments and whitespace are skipped; locations count lines and columns")
  func commentsAndLocations() {
    let text = "// header\nmelody /* inline */ {\n\tpiano C4 0; // trailing\n}"
    let tokens = Lexer.tokenize(SourceFile(name: "t", text: text)).tokens
    #expect(tokens.map(\.text) == ["melody", "{", "piano", "C4", "0", ";", "}", ""])
    #expect(tokens[0].range.start == SourceLocation(offset: 10, line: 2, column: 1))
    #expect(tokens[2].range.start.line == 3)
    #expect(tokens[2].range.start.column == 2)
    #expect(tokens[6].range.start.line == 4)
  }

  @Test("columns count characters, not bytes")
  func unicodeColumns() {
    let tokens = Lexer.tokenize(SourceFile(name: "t", text: "\"héllo\" x")).tokens
    #expect(tokens[0].text == "héllo")
    #expect(tokens[1].range.start.column == 9)
  }

  @Test("string escapes decode; unterminated strings and comments are reported")
  func stringsAndUnterminated() {
    let (tokens, d1) = Lexer.tokenize(SourceFile(name: "t", text: #""a\"b\\c\n""#))
    #expect(tokens[0].text == "a\"b\\c\n")
    #expect(d1.isEmpty)
    let (_, d2) = Lexer.tokenize(SourceFile(name: "t", text: "\"open\nx"))
    #expect(d2.map(\.message) == ["unterminated string"])
    let (_, d3) = Lexer.tokenize(SourceFile(name: "t", text: "x /* never closed"))
    #expect(d3.map(\.message) == ["unterminated block comment"])
    let (_, d4) = Lexer.tokenize(SourceFile(name: "t", text: #""bad \q escape""#))
    #expect(d4.map(\.message) == ["unknown escape in string"])
  }

  @Test("single quotes get a hint about double quotes")
  func singleQuoteHint() {
    let (tokens, d) = Lexer.tokenize(SourceFile(name: "t", text: "'grand'"))
    #expect(tokens.first?.kind == .string)
    #expect(tokens.first?.text == "grand")
    #expect(d.map(\.message) == ["strings use double quotes"])
    #expect(d.first?.hint == "write \"grand\"")
  }
}
