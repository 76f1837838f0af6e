extension PatternCompiler {
  /// The modules a song imports before its first block, read ahead of the parse by the lexer alone: statements
  /// from the start of the file, `import NAME from "MODULE" …;` taken, any other skipped to its `;`, up to the first
  /// `{`, the end or 4,096 tokens. A guess, for loading instruments while the file is parsed: an import after a block, or in a
  /// form this does not read, is missed, and the caller checks the guess against the parsed imports.
  public static func leadingImports(_ source: SourceFile) -> Set<String> {
    var lexer = Lexer(source: source)
    var modules = Set<String>()
    var statement: [Token] = []
    for _ in 0..<4_096 {
      let token = lexer.next()
      switch token.kind {
      case .endOfFile, .leftBrace:
        return modules
      case .semicolon:
        if statement.count >= 4, statement[0].kind == .identifier, statement[0].text == "import",
          statement[2].kind == .identifier, statement[2].text == "from", statement[3].kind == .string
        {
          modules.insert(statement[3].text)
        }
        statement.removeAll(keepingCapacity: true)
      default:
        // Only an import's first four tokens are read.
        if statement.count < 4 { statement.append(token) }
      }
    }
    return modules
  }
}
