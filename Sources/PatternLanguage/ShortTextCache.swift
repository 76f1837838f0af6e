/// Texts of at most 8 source bytes (names, notes, numbers as written) and, for number literals, their values,
/// remembered by their bytes: a song repeats a few dozen spellings (`dur`, `vel`, `saw`, `1/2`, `0.05`)
/// thousands of times, and decoding each occurrence anew — validating UTF-8, parsing the digits, reducing the
/// fraction — was a fifth of the parser's time. Direct-mapped: a collision replaces the older entry.
struct ShortTextCache {
  private static let slots = 256
  /// The packed bytes of each slot's text (0: empty; no cached text packs to 0, its bytes are never NUL).
  private var keys = [UInt64](repeating: 0, count: ShortTextCache.slots)
  private var texts = [String](repeating: "", count: ShortTextCache.slots)
  private var values = [BeatTime?](repeating: nil, count: ShortTextCache.slots)
  /// For a name, the note attribute it spells (`NoteAttribute.named`), found once per spelling.
  private var kinds = [NoteAttribute?](repeating: nil, count: ShortTextCache.slots)

  /// `bytes[start ..< end]` packed little-endian into a key; nil when empty or longer than 8 bytes. Distinct texts
  /// of non-NUL bytes have distinct keys.
  @inline(__always)
  static func key(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
    let count = end - start
    guard count >= 1, count <= 8 else { return nil }
    var key: UInt64 = 0
    for i in 0..<count { key |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
    return key
  }

  @inline(__always)
  private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

  /// The text remembered for `key`, decoding and remembering `bytes[start ..< end]` on a miss.
  @inline(__always)
  mutating func text(_ key: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    name(key, bytes, start, end).text
  }

  /// The text remembered for `key` and the note attribute it spells, if any; decoded and looked up on a miss, so
  /// an attribute's kind is found once per spelling, not once per note (lowering reads it from the attribute).
  @inline(__always)
  mutating func name(_ key: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (
    text: String, kind: NoteAttribute?
  ) {
    let slot = Self.slot(key)
    if keys[slot] == key { return (texts[slot], kinds[slot]) }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    let kind = NoteAttribute.named(text)
    keys[slot] = key
    texts[slot] = text
    values[slot] = nil
    kinds[slot] = kind
    return (text, kind)
  }

  /// The text and number value remembered for `key`, if a number with those bytes was read before.
  @inline(__always)
  func number(_ key: UInt64) -> (text: String, value: BeatTime)? {
    let slot = Self.slot(key)
    guard keys[slot] == key, let value = values[slot] else { return nil }
    return (texts[slot], value)
  }

  /// Remembers a number literal's text and value under `key`.
  mutating func remember(_ key: UInt64, text: String, value: BeatTime) {
    let slot = Self.slot(key)
    keys[slot] = key
    texts[slot] = text
    values[slot] = value
    kinds[slot] = nil
  }
}
