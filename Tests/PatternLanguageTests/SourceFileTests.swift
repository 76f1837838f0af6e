import Testing

@testable import PatternLanguage

/// `SourceFile` finds its line breaks with `memchr`: the same lines, offsets and lone-CR rewriting as a byte-by-byte
/// reading of the same rules.
@Suite("Source file")
struct SourceFileTests {
  /// The rules written plainly: a CR not followed by LF becomes LF; a line starts after every LF.
  static func reference(_ bytes: [UInt8]) -> (bytes: [UInt8], lineStarts: [Int]) {
    var fixed = bytes
    for i in fixed.indices where fixed[i] == 13 && (i + 1 == fixed.count || fixed[i + 1] != 10) { fixed[i] = 10 }
    return (fixed, [0] + fixed.indices.filter { fixed[$0] == 10 }.map { $0 + 1 })
  }

  @Test("line breaks (LF, CRLF, lone CR, CR CR, at either end) give the reference's bytes and line starts")
  func lineBreaks() {
    let texts = [
      "", "\n", "\r", "\r\n", "\r\r\n", "\n\r", "a", "a\nb", "a\rb", "a\r\nb\rc\n", "\r\r\r", "x\r", "x\r\n",
      "é\rü\n", "melody {\r  piano C4 0;\r}\r",
    ]
    for text in texts {
      let file = SourceFile(name: "t", text: text)
      let expected = Self.reference(Array(text.utf8))
      #expect(file.bytes == expected.bytes, "\(text.debugDescription)")
      #expect(file.lineStarts == expected.lineStarts, "\(text.debugDescription)")
    }
  }

  @Test("seeded random bytes, rich in CR and LF, give the reference's bytes and line starts")
  func randomBytes() {
    var state: UInt64 = 0x5EED_0F11_E5
    for round in 0..<200 {
      var bytes: [UInt8] = []
      let count = round * 37 % 3_000
      for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let r = UInt8(truncatingIfNeeded: state >> 56)
        bytes.append(r < 40 ? 10 : r < 80 ? 13 : r)
      }
      let file = SourceFile(name: "t", bytes: bytes)
      let expected = Self.reference(bytes)
      #expect(file.bytes == expected.bytes, "round \(round)")
      #expect(file.lineStarts == expected.lineStarts, "round \(round)")
    }
  }
}
