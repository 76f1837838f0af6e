#if canImport(Glibc)
  import Glibc
#endif

/// A position in a source file.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalars from the start of the line, so a caret
/// lines up under the character a person sees. `offset` is the UTF-8 byte offset from the start of the file.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
  // Stored in 32 bits (sources are limited to a few MB): every token and AST node carries two locations.
  private var storedOffset: Int32
  private var storedLine: Int32
  private var storedColumn: Int32

  /// UTF-8 byte offset from the start of the file.
  public var offset: Int {
    get { Int(storedOffset) }
    set { storedOffset = Int32(clamping: newValue) }
  }
  /// 1-based line number.
  public var line: Int {
    get { Int(storedLine) }
    set { storedLine = Int32(clamping: newValue) }
  }
  /// 1-based column, counted in Unicode scalars.
  public var column: Int {
    get { Int(storedColumn) }
    set { storedColumn = Int32(clamping: newValue) }
  }

  public init(offset: Int, line: Int, column: Int) {
    storedOffset = Int32(clamping: offset)
    storedLine = Int32(clamping: line)
    storedColumn = Int32(clamping: column)
  }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }

  public var description: String { "\(line):\(column)" }
}

/// A half-open span of source text, `start ..< end`.
public struct SourceRange: Hashable, Sendable {
  public var start: SourceLocation
  public var end: SourceLocation

  public init(_ start: SourceLocation, _ end: SourceLocation) {
    self.start = start
    self.end = end
  }

  /// A zero-width range at one location (e.g. "insert ';' here").
  public init(at location: SourceLocation) {
    self.start = location
    self.end = location
  }

  /// The smallest range covering both.
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(min(start, other.start), max(end, other.end))
  }
}

/// Source text with a display name, as the lexer and diagnostic renderer see it.
public struct SourceFile: Sendable {
  /// The name shown in diagnostics (`song.pattern`, or `<stdin>`).
  public let name: String
  /// The UTF-8 bytes of the text; invalid UTF-8 is kept byte for byte and reported by the lexer.
  public let bytes: [UInt8]
  /// Byte offsets where each line starts; `lineStarts[0] == 0`.
  let lineStarts: [Int]

  public init(name: String, text: String) {
    self.init(name: name, bytes: Array(text.utf8))
  }

  /// - Parameter bytes: The text; CR, LF and CRLF all end a line (a lone CR, classic Mac, becomes LF here —
  ///   one byte for one, so every offset stays as it was).
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    var bytes = bytes
    var returns: [Int] = []
    Self.forEachOffset(of: UInt8(ascii: "\r"), in: bytes) { returns.append($0) }
    for i in returns where i + 1 == bytes.count || bytes[i + 1] != UInt8(ascii: "\n") {
      bytes[i] = UInt8(ascii: "\n")
    }
    self.bytes = bytes
    var starts = [0]
    Self.forEachOffset(of: UInt8(ascii: "\n"), in: bytes) { starts.append($0 + 1) }
    self.lineStarts = starts
  }

  /// Calls `body` with the offset of every `byte` in `bytes`, in order, found with `memchr` (with `SourceLoader`'s
  /// direct read, the 4 MB stress file's read phase went from 8.6 to 3.4 ms; byte by byte, this was most of it).
  private static func forEachOffset(of byte: UInt8, in bytes: [UInt8], _ body: (Int) -> Void) {
    bytes.withUnsafeBufferPointer { b in
      guard let base = b.baseAddress else { return }
      #if canImport(Glibc)
        var next = 0
        while next < b.count, let hit = memchr(base + next, Int32(byte), b.count - next) {
          let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          body(offset)
          next = offset + 1
        }
      #else
        for i in 0..<b.count where base[i] == byte { body(i) }
      #endif
    }
  }

  /// The number of lines (a trailing newline does not start an extra empty line for display).
  public var lineCount: Int { lineStarts.count }

  /// The text of a 1-based line, without its line terminator.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The text covered by a byte range.
  public func text(_ start: Int, _ end: Int) -> String {
    String(decoding: bytes[max(0, start)..<min(bytes.count, max(start, end))], as: UTF8.self)
  }
}
