/// Reading opcode values the way sfizz does (`StringViewHelpers.h`, `Opcode.cpp`): a number may be
/// followed by other characters, which sfizz ignores (we also warn).
enum SFZNumber {
  /// A parsed leading number and whether characters followed it.
  struct Leading<T> {
    var value: T
    var hasTrailing: Bool
  }

  /// sfizz `readLeadingInt`: optional sign, digits. nil when no digit or out of Int64 range.
  static func leadingInt(_ text: String) -> Leading<Int64>? {
    let u = Array(text.utf8)
    var end = 0
    if end < u.count, u[end] == UInt8(ascii: "+") || u[end] == UInt8(ascii: "-") { end += 1 }
    while end < u.count, isDigit(u[end]) { end += 1 }
    guard let v = Int64(Ascii.string(Array(u[0..<end]))) else { return nil }
    return Leading(value: v, hasTrailing: end < u.count)
  }

  /// sfizz `readLeadingFloat`: sign, digits, optional `.digits`, optional `e[+-]digits`. May be ±infinity
  /// for huge exponents (callers clamp).
  static func leadingDouble(_ text: String) -> Leading<Double>? {
    let u = Array(text.utf8)
    var end = 0
    if end < u.count, u[end] == UInt8(ascii: "+") || u[end] == UInt8(ascii: "-") { end += 1 }
    while end < u.count, isDigit(u[end]) { end += 1 }
    if end < u.count, u[end] == UInt8(ascii: ".") {
      end += 1
      while end < u.count, isDigit(u[end]) { end += 1 }
    }
    var mantissaEnd = end
    if end < u.count, u[end] == UInt8(ascii: "e") || u[end] == UInt8(ascii: "E") {
      var e = end + 1
      if e < u.count, u[e] == UInt8(ascii: "+") || u[e] == UInt8(ascii: "-") { e += 1 }
      let digitsStart = e
      while e < u.count, isDigit(u[e]) { e += 1 }
      if e > digitsStart { mantissaEnd = e }  // "1e" alone: the "e" is trailing text
    }
    end = mantissaEnd
    var literal = Ascii.string(Array(u[0..<end]))
    guard literal.utf8.contains(where: isDigit) else { return nil }
    if literal.hasSuffix(".") { literal += "0" }  // "5." is 5
    if literal.hasPrefix(".") || literal.hasPrefix("-.") || literal.hasPrefix("+.") {
      literal = literal.replacingFirst(".", with: "0.")
    }
    guard let v = Double(literal), !v.isNaN else { return nil }
    return Leading(value: v, hasTrailing: end < u.count)
  }

  /// sfizz `readNoteValue`: letter a–g, optional `#`/`♯` (c d f g a) or `b`/`♭` (d e g a b), then an
  /// integer octave; C4 = 60 ((octave + 1) · 12 + semitone). nil outside 0 … 127.
  static func noteNumber(_ text: String) -> Int? {
    var rest = Substring(text)
    guard let first = rest.first?.lowercased().first, let base = "c d ef g a b".firstIndex(of: first),
      first != " "
    else { return nil }
    var note = "c d ef g a b".distance(from: "c d ef g a b".startIndex, to: base)
    rest = rest.dropFirst()
    if rest.hasPrefix("#") || rest.hasPrefix("♯") {
      guard "cdfga".contains(first) else { return nil }
      note += 1
      rest = rest.dropFirst()
    } else if rest.hasPrefix("b") || rest.hasPrefix("♭") {
      guard "degab".contains(first) else { return nil }
      note -= 1
      rest = rest.dropFirst()
    }
    guard rest.count <= 4, let octave = Int(rest) else { return nil }
    let n = note + (octave + 1) * 12
    return (0...127).contains(n) ? n : nil
  }

  private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}

private extension String {
  func replacingFirst(_ target: Character, with replacement: String) -> String {
    guard let i = firstIndex(of: target) else { return self }
    return String(self[..<i]) + replacement + String(self[index(after: i)...])
  }
}
