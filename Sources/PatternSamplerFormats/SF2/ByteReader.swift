/// Little-endian reads from the font's bytes that can never trap.
///
/// Callers check ranges before reading (record counts come from chunk sizes), but every read is guarded
/// again here and yields 0 when out of range — a fuzzer must not be able to crash us through a missed check.
struct ByteReader {
  let bytes: UnsafeRawBufferPointer

  var count: Int { bytes.count }

  /// One byte at `offset`, 0 when out of range.
  func u8(_ offset: Int) -> UInt8 {
    guard offset >= 0, offset < bytes.count else { return 0 }
    return bytes[offset]
  }

  func u16(_ offset: Int) -> UInt16 {
    UInt16(u8(offset)) | UInt16(u8(offset &+ 1)) << 8
  }

  func i16(_ offset: Int) -> Int16 { Int16(bitPattern: u16(offset)) }

  func u32(_ offset: Int) -> UInt32 {
    UInt32(u16(offset)) | UInt32(u16(offset &+ 2)) << 16
  }

  /// Four ASCII characters (a RIFF chunk id); non-printable bytes become "?".
  func fourCC(_ offset: Int) -> String {
    var s = ""
    for i in 0..<4 {
      let b = u8(offset &+ i)
      s.unicodeScalars.append(b >= 32 && b < 127 ? Unicode.Scalar(b) : "?")
    }
    return s
  }

  /// A zero-terminated (or `maxLength`-long) string, decoded as UTF-8 with repair, trailing spaces trimmed.
  func string(_ offset: Int, maxLength: Int) -> String {
    var raw: [UInt8] = []
    raw.reserveCapacity(min(max(maxLength, 0), 256))
    var i = 0
    while i < maxLength, offset >= 0, offset &+ i < bytes.count {
      let b = bytes[offset + i]
      if b == 0 { break }
      raw.append(b)
      i += 1
    }
    while let last = raw.last, last == 32 { raw.removeLast() }
    return String(decoding: raw, as: UTF8.self)
  }
}
