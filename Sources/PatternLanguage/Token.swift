/// The kinds of token the lexer produces. Keywords are identifiers; the parser gives them meaning by
/// position, so an instrument may be called `tempo` without breaking anything.
public enum TokenKind: String, Sendable, CaseIterable {
  /// `piano`, `C4`, `F#3`, `Bb2`, `Kick`, `melody`, `import` …
  case identifier
  /// `0`, `0.5`, `120`, `.25`
  case number
  /// `"grand"`, with `\"`, `\\`, `\n` and `\t` escapes.
  case string
  /// `^3`, `^b3`, `^#4`: a scale degree (the parser checks what follows the `^`).
  case degree
  case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
  case semicolon, comma, equals, slash, colon, minus, plus, tilde
  /// `->` in tempo ramps.
  case arrow
  /// A character that starts no token; the lexer has already reported it.
  case invalid
  /// End of input.
  case endOfFile
}

/// One token with its place in the source.
public struct Token: Hashable, Sendable {
  public var kind: TokenKind
  /// Where the token starts and ends.
  public var range: SourceRange
  /// The decoded value: the identifier or number text, or a string literal without quotes and escapes.
  public var text: String

  public init(kind: TokenKind, range: SourceRange, text: String) {
    self.kind = kind
    self.range = range
    self.text = text
  }
}

extension TokenKind {
  /// The source text of a punctuation token ("" for the others).
  var symbol: String {
    switch self {
    case .leftBrace: return "{"
    case .rightBrace: return "}"
    case .leftParen: return "("
    case .rightParen: return ")"
    case .leftBracket: return "["
    case .rightBracket: return "]"
    case .semicolon: return ";"
    case .comma: return ","
    case .equals: return "="
    case .slash: return "/"
    case .colon: return ":"
    case .minus: return "-"
    case .plus: return "+"
    case .tilde: return "~"
    case .arrow: return "->"
    default: return ""
    }
  }

  /// How the token is named in "expected …" messages.
  var spelling: String {
    switch self {
    case .identifier: return "a name"
    case .number: return "a number"
    case .string: return "a string"
    case .degree: return "a scale degree"
    case .leftBrace: return "'{'"
    case .rightBrace: return "'}'"
    case .leftParen: return "'('"
    case .rightParen: return "')'"
    case .leftBracket: return "'['"
    case .rightBracket: return "']'"
    case .semicolon: return "';'"
    case .comma: return "','"
    case .equals: return "'='"
    case .slash: return "'/'"
    case .colon: return "':'"
    case .minus: return "'-'"
    case .plus: return "'+'"
    case .tilde: return "'~'"
    case .arrow: return "'->'"
    case .invalid: return "an invalid character"
    case .endOfFile: return "the end of the file"
    }
  }
}
