/// A position in the source bytes, with its line and column, moving over plain ASCII: what
/// `Parser.readPlainAttributes` reads attributes with.
struct PlainCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  let limit: Int
  var offset: Int
  var line: Int
  var column: Int

  init(bytes: UnsafeBufferPointer<UInt8>, limit: Int, at location: SourceLocation) {
    self.bytes = bytes
    self.limit = limit
    (offset, line, column) = (location.offset, location.line, location.column)
  }

  var location: SourceLocation { SourceLocation(offset: offset, line: line, column: column) }

  func byte(_ ahead: Int = 0) -> UInt8? { offset + ahead < limit ? bytes[offset + ahead] : nil }

  /// Moves over one ASCII byte that is not a line break.
  mutating func step() {
    offset += 1
    column += 1
  }

  /// A blank as the lexer skips one (not a line break).
  static func isBlank(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
  }

  /// Moves over blanks and line breaks (not comments), as the lexer counts them.
  mutating func skipBlanks() {
    while offset < limit {
      let b = bytes[offset]
      if Self.isBlank(b) {
        column += 1
      } else if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        return
      }
      offset += 1
    }
  }

  /// Moves over ASCII bytes that `matches` (none of them a line break).
  mutating func skip(while matches: (UInt8) -> Bool) {
    let first = offset
    while offset < limit, matches(bytes[offset]) { offset += 1 }
    column += offset - first
  }

  /// A number as the lexer reads one (`12`, `0.5`, `.25`) from here, and not followed by what would make the lexer
  /// read it otherwise (`1.5.2`); nil (and the cursor anywhere) if there is none.
  mutating func number() -> Range<Int>? {
    let first = offset
    guard let b = byte(), Lexer.isDigit(b) || (b == UInt8(ascii: ".") && byte(1).map(Lexer.isDigit) == true) else {
      return nil
    }
    skip(while: Lexer.isDigit)
    if byte() == UInt8(ascii: "."), byte(1).map(Lexer.isDigit) == true {
      step()
      skip(while: Lexer.isDigit)
    }
    if byte() == UInt8(ascii: "."), byte(1).map(Lexer.isDigit) == true { return nil }
    return first..<offset
  }

  /// One plain attribute from here, and the range of its last number token; nil (the cursor unmoved) if what
  /// follows is not one.
  mutating func attribute(limits: LanguageLimits, cache: inout ShortTextCache) -> (
    attribute: Attribute, lastNumber: SourceRange
  )? {
    let saved = self
    guard let read = readAttribute(limits: limits, cache: &cache) else {
      self = saved
      return nil
    }
    return read
  }

  private mutating func readAttribute(limits: LanguageLimits, cache: inout ShortTextCache) -> (
    attribute: Attribute, lastNumber: SourceRange
  )? {
    skipBlanks()
    guard let first = byte(), Lexer.isIdentifierStart(first) else { return nil }
    let nameStart = location
    skip(while: Lexer.isIdentifierContinue)
    let nameEnd = location
    skipBlanks()
    guard byte() == UInt8(ascii: "=") else { return nil }
    step()
    skipBlanks()
    let valueStart = location
    let negative = byte() == UInt8(ascii: "-")
    if negative { step() }
    var numberStart = location
    guard let whole = number() else { return nil }
    var denominator: Range<Int>? = nil
    if byte() == UInt8(ascii: "/") {
      step()
      numberStart = location
      guard let d = number() else { return nil }
      denominator = d
    }
    let valueEnd = location
    // The value must end here: a blank, the statement's `;` or the end; and no `~` or `->` may follow it.
    if let b = byte(), b != UInt8(ascii: ";") {
      guard Self.isBlank(b) || b == UInt8(ascii: "\n") else { return nil }
      var ahead = self
      ahead.skipBlanks()
      if let c = ahead.byte(),
        c == UInt8(ascii: "~") || c == UInt8(ascii: "/")
          || (c == UInt8(ascii: "-") && ahead.byte(1) == UInt8(ascii: ">"))
      {
        return nil
      }
    }
    guard let (text, value) = Self.value(bytes, valueStart.offset, negative, whole, denominator, &cache),
      (value.isNegative ? .zero - value : value) <= limits.maxBeats
    else { return nil }
    let (name, kind) =
      ShortTextCache.key(bytes, nameStart.offset, nameEnd.offset).map {
        cache.name($0, bytes, nameStart.offset, nameEnd.offset)
      } ?? Self.decodedName(bytes, nameStart.offset, nameEnd.offset)
    let attribute =
      nameStart.line == valueEnd.line && valueEnd.offset - nameStart.offset <= 255
      ? Attribute(
        plainName: name, kind: kind, text: text, value: value, start: nameStart,
        nameLength: nameEnd.offset - nameStart.offset, valueOffset: valueStart.offset - nameStart.offset,
        valueEnd: valueEnd.offset - nameStart.offset)
      : Attribute(
        name: Name(name, SourceRange(nameStart, nameEnd)),
        value: NumberLiteral(value: value, text: text, range: SourceRange(valueStart, valueEnd)),
        range: SourceRange(nameStart, valueEnd))
    return (attribute, SourceRange(numberStart, valueEnd))
  }

  /// A name longer than the cache keeps (8 bytes), decoded, and the note attribute it spells (`transpose`, or
  /// none: a mistake lowering reports).
  private static func decodedName(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (
    text: String, kind: NoteAttribute?
  ) {
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    return (text, NoteAttribute.named(text))
  }

  /// The literal's text as written and its value, as `Parser.parseNumber` computes them; nil where it reports an
  /// error (a number too long, a zero denominator).
  private static func value(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ negative: Bool, _ whole: Range<Int>,
    _ denominator: Range<Int>?, _ cache: inout ShortTextCache
  ) -> (String, BeatTime)? {
    let end = (denominator ?? whole).upperBound
    let key = ShortTextCache.key(bytes, start, end)
    if let key, let known = cache.number(key) { return known }
    guard var value = BeatTime.parseDecimal(utf8: UnsafeBufferPointer(rebasing: bytes[whole])) else { return nil }
    if let denominator {
      guard let d = BeatTime.parseDecimal(utf8: UnsafeBufferPointer(rebasing: bytes[denominator])), d != .zero
      else { return nil }
      value = value / d
    }
    if negative { value = .zero - value }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    if let key { cache.remember(key, text: text, value: value) }
    return (text, value)
  }
}
