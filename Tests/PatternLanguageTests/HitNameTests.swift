import Testing

@testable import PatternLanguage

@Suite("Drum hit names")
struct HitNameTests {
  @Test("case-insensitive hit names compare exactly as lowercased strings do, ASCII or not")
  func sameIgnoringCase() {
    let words = [
      "Kick", "kick", "KICK", "Kic", "Kicks", "", "k", "Snare", "snare\u{301}", "snaré", "snare\u{0301}",
      "\u{212A}ick", "İ", "i\u{307}", "ß", "SS", "x\r", "x\r\n", "Clap2", "clap2", "HiHat", "hihat", "Ḱick",
    ]
    for a in words {
      for b in words {
        #expect(
          InstrumentDescriptor.sameIgnoringCase(a, b) == (a.lowercased() == b.lowercased()), "\(a) vs \(b)")
      }
    }
    // Random ASCII and a few non-ASCII letters, seeded.
    var seed: UInt64 = 20
    func next() -> UInt64 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed >> 33
    }
    let alphabet = Array("aAbBkK\u{212A}é\u{301}ß ")
    for _ in 0..<2_000 {
      let a = String((0..<Int(next() % 5)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
      let b = String((0..<Int(next() % 5)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
      #expect(InstrumentDescriptor.sameIgnoringCase(a, b) == (a.lowercased() == b.lowercased()), "\(a) vs \(b)")
    }
  }
}
