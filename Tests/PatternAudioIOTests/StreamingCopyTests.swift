import Testing

@testable import PatternAudioIO

/// `StreamingCopy` (non-temporal stores, for `DirectFile`'s buffers) writes exactly the bytes `memcpy` would, for
/// every length and alignment of either end, and nothing outside the target range.
@Suite("Streaming copy")
struct StreamingCopyTests {
  /// Copies `count` bytes from `source` at `from` into a fresh guarded buffer at `to` and checks the result.
  static func check(_ source: [UInt8], from: Int, to: Int, count: Int) {
    let guardByte: UInt8 = 0xA5
    var target = [UInt8](repeating: guardByte, count: to + count + 80)
    source.withUnsafeBytes { s in
      target.withUnsafeMutableBytes { t in
        StreamingCopy.copy(to: t.baseAddress! + to, from: s.baseAddress! + from, count: count)
      }
    }
    let copied = Array(target[to..<(to + count)]) == Array(source[from..<(from + count)])
    let untouched =
      target[..<to].allSatisfy { $0 == guardByte } && target[(to + count)...].allSatisfy { $0 == guardByte }
    #expect(copied && untouched, "from \(from) to \(to), \(count) bytes")
  }

  /// Deterministic bytes with no run of equal values (a skipped or repeated block would show).
  static func bytes(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) } }

  @Test("every length up to 300 bytes, at every alignment of source and target within 64 bytes")
  func small() {
    let source = Self.bytes(400)
    for count in 0...300 {
      for offset in [0, 1, 7, 15, 16, 17, 31, 48, 63] {
        Self.check(source, from: (offset * 5) % 64, to: offset, count: count)
      }
    }
  }

  @Test("a DirectFile buffer's worth and more, unaligned at either end")
  func large() {
    let source = Self.bytes((2 << 20) + 200)
    for (from, to, count) in [(0, 0, 2 << 20), (3, 0, (2 << 20) - 3), (0, 13, (2 << 20) + 77), (61, 4_095, 1 << 20)] {
      Self.check(source, from: from, to: to, count: count)
    }
  }
}
