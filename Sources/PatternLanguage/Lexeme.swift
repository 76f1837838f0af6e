/// A token as the parser reads it: its kind and where it is, without its text. Trivially copyable (no `String`),
/// so looking ahead and moving on cost no reference counting, and text is decoded only where the parser keeps
/// it (`Lexer.text(of:)`); keywords are compared as bytes (`Lexer.spells(_:_:)`).
struct Lexeme {
  var kind: TokenKind
  var range: SourceRange
  /// Index into the lexer's decoded texts when the token's value is not its source text (a string literal without
  /// quotes and escapes, `C♯4` read as `C#4`, the number at the start of `1.5.2`); -1 when it is.
  var decoded = -1
}
