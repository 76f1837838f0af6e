/// Ids of saved patterns: 128 bits from the system's cryptographic generator (`getrandom`), as 22 URL-safe
/// base64 characters, so an id cannot be guessed from another.
enum PatternID {
  static let length = 22
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    var bits = (
      UInt64.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator)
    )
    var out: [UInt8] = []
    out.reserveCapacity(length)
    // 22 × 6 = 132 bits: the top 4 of the last character are zero.
    for _ in 0..<length {
      out.append(alphabet[Int(bits.0 & 63)])
      bits.0 = (bits.0 >> 6) | (bits.1 << 58)
      bits.1 >>= 6
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `text` could be an id (anything else is answered 404 without touching the database).
  static func isWellFormed(_ text: Substring) -> Bool {
    text.utf8.count == length && text.utf8.allSatisfy(isIDByte)
  }

  private static func isIDByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "-"), UInt8(ascii: "_"):
      return true
    default: return false
    }
  }
}
