import Testing

@testable import PatternLanguage

/// `SourceCuts`' scan, which skips the bytes inside an item that open, close or end nothing, finds exactly the
/// cuts of the byte-by-byte scan it replaced (kept here as `ReferenceCuts`): on every song in the repository, on
/// seeded mutations of them, and on random bytes dense in brackets, quotes, slashes, semicolons and block names.
@Suite("Source cuts")
struct SourceCutsTests {
  static func expectSame(_ bytes: [UInt8], _ what: String) {
    for parts in [2, 3, 4, 16] {
      let cuts = SourceCuts.cuts(in: bytes, parts: parts)
      let reference = ReferenceCuts.cuts(in: bytes, parts: parts)
      #expect(cuts == reference, "\(what), \(parts) parts")
    }
  }

  @Test("every repository song and seeded mutations of them are cut where the byte-by-byte scan cuts them")
  func songs() throws {
    let songs = try FrontEndPartsTests.songs()
    #expect(songs.count >= 100)
    for song in songs { Self.expectSame(song.bytes, song.name) }
    let noise = "{}()[];,\"/*'x=-1 \n"
    for (bytes, name) in FrontEndPartsTests.mutations(of: songs, seed: 0xC075, noise: noise, rounds: 3) {
      Self.expectSame(bytes, name)
    }
  }

  @Test("random texts of structure, strings, comments and block names are cut where the byte-by-byte scan cuts them")
  func randomTexts() {
    let pieces = [
      "melody", "rhythm", "bass", "let", "m", " ", "\n", "{", "}", "(", ")", "[", "]", ";", "/", "//", "/*", "*/",
      "\"", "\\", "piano C4 0;", "x=1/2", "é", "\t", "=", "section", "play m 0;",
    ]
    var state: UInt64 = 0x5EED_C075
    for round in 0..<400 {
      var text = ""
      for _ in 0..<(round % 120) {
        state = StreamKey.mix(state)
        text += pieces[Int(state % UInt64(pieces.count))]
      }
      Self.expectSame(Array(text.utf8), "round \(round): \(text.debugDescription)")
    }
  }
}
