import CByteScan
import Testing

@testable import PatternLanguage

/// `pstudio_next_structural`, the sixteen-bytes-at-a-time scan `SourceCuts` skips an item's plain bytes with,
/// returns from every starting offset what a byte-by-byte reading of its rule returns: the first `"`, `(`, `)`,
/// `;`, `[`, `]`, `{`, `}` or comment-starting `/`.
@Suite("Byte scan")
struct ByteScanTests {
  /// The bytes that stop the scan wherever they are.
  static let stops = Set("\"()[]{};".utf8)

  /// The rule, one byte at a time.
  static func reference(_ b: [UInt8], from start: Int) -> Int {
    var i = start
    while i < b.count {
      let c = b[i]
      if c == UInt8(ascii: "/") {
        if i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") || b[i + 1] == UInt8(ascii: "*") { return i }
      } else if stops.contains(c) {
        return i
      }
      i += 1
    }
    return b.count
  }

  static func expectSame(_ bytes: [UInt8], _ what: String) {
    bytes.withUnsafeBufferPointer { b in
      for start in 0...bytes.count {
        let scanned = b.baseAddress.map { pstudio_next_structural($0, start, bytes.count) } ?? bytes.count
        #expect(scanned == reference(bytes, from: start), "\(what), from \(start)")
      }
    }
  }

  @Test("random bytes, dense in the structural ones, their look-alikes and bytes above 127, scan as byte by byte")
  func randomBytes() {
    // Look-alikes: `)` ± 1, `[`/`{` and `]`/`}` with bit 7 set (0xDB, 0xFB, 0xDD, 0xFD), `/` before anything.
    let alphabet: [UInt8] =
      Array("\"()[]{};/*/x1 \n=.'".utf8) + [0x27, 0x2A, 0x5C, 0x7C, 0xDB, 0xFB, 0xDD, 0xFD, 0xA8, 0xAF, 0xFF]
    var state: UInt64 = 0xB17E_5CA2
    for round in 0..<300 {
      var bytes: [UInt8] = []
      // Lengths around the 16- and 17-byte edges of the wide loop, and longer.
      for _ in 0..<(round < 60 ? round : 16 * (round % 9) + round % 40) {
        state = StreamKey.mix(state)
        // Mostly plain letters, so hits fall anywhere within a sixteen-byte window, also at its last byte.
        bytes.append(state % 4 == 0 ? alphabet[Int((state >> 8) % UInt64(alphabet.count))] : UInt8(ascii: "a"))
      }
      Self.expectSame(bytes, "round \(round)")
    }
  }

  @Test("a byte is counted as often as it occurs, at every length around the sixteen-byte blocks and past 255 of them")
  func countByte() {
    var state: UInt64 = 0xC0_57ED
    for length in Array(0...70) + [4_079, 4_080, 4_081, 4_096, 12_345, 70_000] {
      var bytes: [UInt8] = []
      for _ in 0..<length {
        state = StreamKey.mix(state)
        // `;`, its neighbours and a byte above 127, among letters; every byte `;` in one run of each length.
        bytes.append(length % 7 == 0 ? UInt8(ascii: ";") : [59, 58, 60, 0xBB, 97, 97][Int(state % 6)])
      }
      let counted = bytes.withUnsafeBufferPointer { b in
        b.baseAddress.map { pstudio_count_byte($0, length, UInt8(ascii: ";")) } ?? 0
      }
      #expect(counted == bytes.filter { $0 == UInt8(ascii: ";") }.count, "\(length) bytes")
    }
  }

  @Test("a slash at the end of a window, or of the text, starts a comment only with `/` or `*` after it")
  func slashAtEdges() {
    for length in 14...40 {
      for at in 0..<length {
        for after: UInt8 in [UInt8(ascii: "/"), UInt8(ascii: "*"), UInt8(ascii: "2")] {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
          bytes[at] = UInt8(ascii: "/")
          if at + 1 < length { bytes[at + 1] = after }
          Self.expectSame(bytes, "length \(length), slash at \(at) before \(after)")
        }
      }
    }
  }
}
