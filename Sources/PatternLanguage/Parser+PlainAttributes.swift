import Synchronization

/// Reading a note statement's plain attributes straight from the source bytes.
///
/// Seven of every eight tokens of a typical song are in attributes written `name=number` (`dur=1/2 vel=0.8
/// attack=0.005`), and reading them token by token — lexeme, lookahead shift, the number's pieces — was over half
/// of parsing. Here a run of such attributes is read byte by byte and the token stream picks up after the last
/// one. Only the plainest form is taken: ASCII, `NAME` `=` and a number (`-`? DIGITS (`.` DIGITS)? with an optional
/// `/` and another, written without gaps), blanks and line breaks between them. Anything else — a comment, `~`, `->`,
/// `curve(`, a number the lexer would split or reject, a value out of range — ends the run before that attribute,
/// and the token-by-token path reads on from there, with its diagnostics. The attributes are the same values that
/// path builds: `PlainAttributesTests` compare both on every song in the repository and on mutations of them,
/// `pstudio-fuzz check` on every song it generates.
extension Parser {
  /// Reads the plain attributes that start at the current token into `attributes`, and moves the token stream past
  /// them. Reads none unless the current token is a name (the caller has checked that an `=` follows).
  mutating func readPlainAttributes(into attributes: AttributeScratch) {
    guard readsPlainAttributes, currentLexeme.kind == .identifier, currentLexeme.decoded < 0 else { return }
    let limit = lexerLimit
    let start = currentLexeme.range.start
    var last: SourceRange? = nil
    source.bytes.withUnsafeBufferPointer { bytes in
      var cursor = PlainCursor(bytes: bytes, limit: limit, at: start)
      while let read = cursor.attribute(limits: limits, cache: &shortTexts) {
        attributes.append(read.attribute)
        last = read.lastNumber
        plainAttributesRead += 1
      }
    }
    guard let last else { return }
    resume(afterNumber: last)
  }

  /// Adds the plain attributes this parser read to `FrontEndParts.plainAttributesRead` (once per parse).
  func countPlainAttributes() {
    if plainAttributesRead > 0 { FrontEndParts.plainAttributesRead.add(plainAttributesRead, ordering: .relaxed) }
  }
}
