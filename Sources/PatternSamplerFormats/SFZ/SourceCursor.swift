/// A place in a source file: 1-based line and column (the column counts Unicode scalars, not bytes).
struct SourceLocation: Hashable, Sendable {
  var file: String
  var line: Int
  var column: Int

  func warning(_ message: String) -> ReaderWarning {
    ReaderWarning(file: file, line: line, column: column, message: message)
  }
}

/// A forward cursor over the UTF-8 bytes of one file that keeps line and column up to date.
/// Why bytes: SFZ syntax is ASCII; scanning bytes keeps every step O(1) and total on any input.
struct SourceCursor {
  /// A saved position; `reset(to:)` goes back to it (sfizz's "put back characters").
  struct Mark {
    var offset: Int
    var line: Int
    var column: Int
  }

  let bytes: [UInt8]
  let file: String
  private(set) var mark = Mark(offset: 0, line: 1, column: 1)

  init(bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  var isAtEnd: Bool { mark.offset >= bytes.count }
  var location: SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }

  func peek(_ ahead: Int = 0) -> UInt8? {
    let i = mark.offset + ahead
    return i < bytes.count ? bytes[i] : nil
  }

  @discardableResult
  mutating func next() -> UInt8? {
    guard mark.offset < bytes.count else { return nil }
    let b = bytes[mark.offset]
    mark.offset += 1
    if b == Ascii.newline {
      mark.line += 1
      mark.column = 1
    } else if b & 0xC0 != 0x80 {  // continuation bytes do not start a new column
      mark.column += 1
    }
    return b
  }

  mutating func reset(to saved: Mark) { mark = saved }

  /// Consumes bytes while `predicate` holds; returns them.
  mutating func extract(while predicate: (UInt8) -> Bool) -> [UInt8] {
    let start = mark.offset
    while let b = peek(), predicate(b) { next() }
    return Array(bytes[start..<mark.offset])
  }

  /// Consumes bytes while `predicate` holds; returns how many.
  @discardableResult
  mutating func skip(while predicate: (UInt8) -> Bool) -> Int {
    let start = mark.offset
    while let b = peek(), predicate(b) { next() }
    return mark.offset - start
  }

  /// Consumes `count` bytes (or up to the end).
  mutating func advance(by count: Int) {
    var n = count
    while n > 0, next() != nil { n -= 1 }
  }
}

/// ASCII bytes and the character classes sfizz's parser uses.
enum Ascii {
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")
  static let slash = UInt8(ascii: "/")
  static let star = UInt8(ascii: "*")
  static let hash = UInt8(ascii: "#")
  static let less = UInt8(ascii: "<")
  static let greater = UInt8(ascii: ">")
  static let equals = UInt8(ascii: "=")
  static let dollar = UInt8(ascii: "$")
  static let quote = UInt8(ascii: "\"")
  static let backslash = UInt8(ascii: "\\")

  /// sfizz `isIdentifierChar`: `[A-Za-z0-9_]`.
  static func isIdentifier(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
  }

  /// sfizz `isSpaceChar`: space or tab only.
  static func isSpace(_ c: UInt8) -> Bool { c == space || c == tab }

  static func isWhitespace(_ c: UInt8) -> Bool { c == space || c == tab || c == newline || c == carriageReturn }

  static func isIdentifier(_ s: [UInt8]) -> Bool { !s.isEmpty && s.allSatisfy(isIdentifier) }

  static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  /// Trims spaces, tabs, CR and LF at both ends (sfizz `trim`).
  static func trimmed(_ s: String) -> String {
    var scalars = Substring(s).unicodeScalars[...]
    while let f = scalars.first, f == " " || f == "\t" || f == "\r" || f == "\n" { scalars = scalars.dropFirst() }
    while let l = scalars.last, l == " " || l == "\t" || l == "\r" || l == "\n" { scalars = scalars.dropLast() }
    return String(String.UnicodeScalarView(scalars))
  }
}
