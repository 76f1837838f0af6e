/// Big-endian reads over a whole file with bounds checks, at absolute offsets: `index` is always the position
/// in the file (never in a copied sub-array), so every failure names the byte where it happened.
///
/// `end` bounds the current chunk (a track's declared length); reading past it fails with the chunk's name, and
/// past the file's end with "unexpected end of file".
struct ByteReader {
  let bytes: [UInt8]
  /// The next byte to read, an offset in the file.
  var index = 0
  /// One past the last byte that may be read now (the file's end, or the current chunk's).
  var end: Int
  /// What is being read, for messages: "the header", "track 2".
  var context = "the header"
  /// Where the current event started (messages about a cut-off event name it).
  var eventStart: Int?

  init(bytes: [UInt8]) {
    self.bytes = bytes
    self.end = bytes.count
  }

  var atEnd: Bool { index >= end }

  /// The failure for a read of `count` bytes at `index` that does not fit.
  func pastEnd(_ count: Int) -> MIDIReader.Failure {
    let what = eventStart.map { " inside the event that starts at byte \($0)" } ?? ""
    if end < bytes.count {
      return MIDIReader.Failure(offset: end, message: "\(context) ends\(what) (its length is too short)")
    }
    return MIDIReader.Failure(
      offset: bytes.count,
      message: "unexpected end of file in \(context)\(what) (\(count) more byte\(count == 1 ? "" : "s") needed)")
  }

  mutating func u8() throws -> UInt8 {
    guard index < end else { throw pastEnd(1) }
    defer { index += 1 }
    return bytes[index]
  }

  mutating func u16() throws -> UInt16 {
    guard end - index >= 2 else { throw pastEnd(2 - max(0, end - index)) }
    defer { index += 2 }
    return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
  }

  mutating func u32() throws -> UInt32 {
    guard end - index >= 4 else { throw pastEnd(4 - max(0, end - index)) }
    defer { index += 4 }
    return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[index + $1]) }
  }

  /// `n` bytes as a slice of the file (no copy).
  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= end - index else { throw pastEnd(n - max(0, end - index)) }
    defer { index += n }
    return bytes[index..<index + n]
  }

  /// Moves on `n` bytes (SysEx data, unknown meta events).
  mutating func skip(_ n: Int) throws { _ = try take(n) }

  /// A variable-length quantity: 7 bits per byte, most significant first, at most 4 bytes (28 bits).
  mutating func vlq() throws -> UInt32 {
    let start = index
    var x: UInt32 = 0
    for _ in 0..<4 {
      let b = try u8()
      x = x << 7 | UInt32(b & 0x7F)
      if b & 0x80 == 0 { return x }
    }
    throw MIDIReader.Failure(offset: start, message: "variable-length quantity longer than 4 bytes")
  }
}
