import Foundation
import Testing

@testable import PatternLanguage

/// Mini-notation strings as statements: the issue's four forms against the statements they stand for, words in
/// Strudel's spelling and ours, `over`, `cycles`, `at`, attributes, seeded draws and errors inside strings.
@Suite("Mini-notation statements")
struct MiniStatementTests {
  /// The built-in drum kit (Kick, Snare, HiHat, Crash, Tom) under the name the issue's examples use.
  static let kit = "import kit from \"synth\";\n"

  @Test("kit \"kick*2 [snare crash] hh*4\" over 4 cycles 8 is the explicit statements, cycle after cycle")
  func rhythm() {
    // Three steps of 4/3 beats: two kicks, then snare and crash, then four hats.
    let explicit = (0..<8).map { c in
      let t = 12 * c
      return "kit Kick \(t)/3 dur=2/3; kit Kick \(t + 2)/3 dur=2/3; kit Snare \(t + 4)/3 dur=2/3; "
        + "kit Crash \(t + 6)/3 dur=2/3; " + (0..<4).map { "kit HiHat \(t + 8 + $0)/3 dur=1/3;" }.joined(separator: " ")
    }.joined(separator: " ")
    #expect(
      events(Self.kit + "rhythm { kit \"kick*2 [snare crash] hh*4\" over 4 cycles 8; }")
        == events(Self.kit + "rhythm { \(explicit) }"))
  }

  @Test("lead \"c4 e4 <g4 [a4 b4]> ~\" over 4 cycles 4 at 16 vel=0.8 dur=1/2: alternation per cycle, attributes on all")
  func melody() {
    var explicit = ""
    for c in 0..<4 {
      let t = 16 + 4 * c
      explicit += "lead C4 \(t) vel=0.8 dur=1/2; lead E4 \(t + 1) vel=0.8 dur=1/2; "
      explicit +=
        c % 2 == 0
        ? "lead G4 \(t + 2) vel=0.8 dur=1/2; "
        : "lead A4 \(t + 2) vel=0.8 dur=1/2; lead B4 \(2 * t + 5)/2 vel=0.8 dur=1/2; "
    }
    let header = "import lead from \"saw\";\n"
    #expect(
      events(header + "melody { lead \"c4 e4 <g4 [a4 b4]> ~\" over 4 cycles 4 at 16 vel=0.8 dur=1/2; }")
        == events(header + "melody { \(explicit) }"))
  }

  @Test("chords with , and the default cycle of one bar; Euclid in a string is euclid(…)")
  func harmonyAndEuclid() {
    #expect(
      events("harmony { piano \"[c3,e3,g3] [a2,c3,e3]\" over 8; }")
        == events("harmony { piano [C3 E3 G3] 0 dur=4; piano [A2 C3 E3] 4 dur=4; }"))
    #expect(events("melody { piano \"c4 e4\"; }") == events("melody { piano C4 0 dur=2; piano E4 2 dur=2; }"))
    #expect(
      events("meter 3/4; melody { piano \"c4 e4 g4\"; }")
        == events("meter 3/4; melody { piano C4 0 dur=1; piano E4 1 dur=1; piano G4 2 dur=1; }"))
    #expect(
      events(Self.kit + "rhythm { kit \"kick(3,8) hh(5,8,2)\" over 4; }")
        == events(
          Self.kit
            + "rhythm { kit Kick euclid(3,8) step 1/4 at 0 dur=1/4; kit HiHat euclid(5,8,2) step 1/4 at 2 dur=1/4; }"
        ))
  }

  @Test(
    "Strudel's words and ours: c4 C4 eb3 f#2 cs4 c (octave 3) 60 Bb2; bd sd hh cr (lt mt ht on a one-tom kit) and Kick kick"
  )
  func words() {
    #expect(
      events("melody { piano \"c4 C4 eb3 f#2 cs4 c 60 Bb2\" over 8; }")
        == events(
          "melody { piano C4 0 dur=1; piano C4 1 dur=1; piano Eb3 2 dur=1; piano F#2 3 dur=1; piano C#4 4 dur=1; "
            + "piano C3 5 dur=1; piano C4 6 dur=1; piano Bb2 7 dur=1; }"))
    #expect(
      events(Self.kit + "rhythm { kit \"bd sd hh cr kick Snare HIHAT\" over 7; }")
        == events(
          Self.kit
            + "rhythm { kit Kick 0 dur=1; kit Snare 1 dur=1; kit HiHat 2 dur=1; kit Crash 3 dur=1; kit Kick 4 dur=1; "
            + "kit Snare 5 dur=1; kit HiHat 6 dur=1; }"))
    // The synth kit has one Tom: lt, mt and ht all play it.
    #expect(events("rhythm { synth \"lt ht\" over 2; }") == events("rhythm { synth Tom 0 dur=1; synth Tom 1 dur=1; }"))
    #expect(
      events("scale D:dorian; melody { piano \"^1 ^3 ^7\" over 3; }")
        == events("melody { piano D4 0 dur=1; piano F4 1 dur=1; piano C5 2 dur=1; }"))
  }

  @Test("strings work inside repeats, motifs and sections, and at bar:beat")
  func placement() {
    #expect(
      events("melody { repeat 2 every 4 { piano \"c4 e4\" over 2; } }")
        == events("melody { piano C4 0 dur=1; piano E4 1 dur=1; piano C4 4 dur=1; piano E4 5 dur=1; }"))
    #expect(
      events("let m = { piano \"c4 e4\" over 2 at 1; }; melody { play m at 4; play m at 8 transpose=2; }")
        == events("melody { piano C4 5 dur=1; piano E4 6 dur=1; piano D4 9 dur=1; piano F#4 10 dur=1; }"))
    #expect(events("melody { piano \"c4\" at 3:1; }") == events("melody { piano C4 8 dur=4; }"))
    #expect(
      events("section a(length=4) { melody { piano \"c4 e4\" over 2; } } arrange { a x2; }")
        == events("melody { piano C4 0 dur=1; piano E4 1 dur=1; piano C4 4 dur=1; piano E4 5 dur=1; }"))
  }

  @Test("? and | draw from the song's seed: repeatable, different per cycle, per repetition and per seed")
  func seeded() {
    let song = "seed 4; melody { piano \"[c4 e4 g4 b4]? [c5|d5|e5]\" over 2 cycles 32; }"
    let a = events(song)
    #expect(a != events(song.replacingOccurrences(of: "seed 4", with: "seed 5")))
    // 32 choices always play; of the 128 notes that ? may drop, about half do.
    let kept = a.count - 32
    #expect(kept > 40 && kept < 90, "\(kept)")
    // Each of the three choices turns up.
    #expect(Set(a.map { $0.split(separator: " ")[4] }).isSuperset(of: ["C5", "D5", "E5"]))
    // Each repetition of a repeat draws anew (as choose(…) does): the two halves differ.
    let repeated = events("seed 4; melody { repeat 2 every 8 { piano \"[c4 e4 g4 b4 c5 d5 e5 f5]?\" over 8; } }")
    let starts = repeated.map { Int($0.split(separator: " ")[0])! }
    #expect(Set(starts.filter { $0 < 8 }) != Set(starts.filter { $0 >= 8 }.map { $0 - 8 }))
  }

  @Test("vel spread, prob and nudge draw per event, not once per string")
  func perEventDraws() {
    let velocities = Set(
      events("seed 1; melody { piano \"c4*16\" vel=0.5 ~ 0.4; }").map { $0.split(separator: " ")[5] })
    #expect(velocities.count > 8)
    let kept = events("seed 1; melody { piano \"c4*64\" over 16 prob=0.5; }").count
    #expect(kept > 16 && kept < 48)
  }

  @Test("an event lasts its span unless dur= is given; /n spans cycles")
  func durations() {
    #expect(events("melody { piano \"c4/2\" over 4 cycles 2; }") == events("melody { piano C4 0 dur=8; }"))
    #expect(
      events("melody { piano \"c4@3 e4\" over 4 dur=1/4; }")
        == events("melody { piano C4 0 dur=1/4; piano E4 3 dur=1/4; }"))
  }

  @Test("one located error per mistake inside a string: the exact characters, with a hint")
  func errorsInsideStrings() throws {
    func only(_ text: String) throws -> Diagnostic {
      let found = errors(text)
      #expect(found.count == 1, "\(found.map(\.message))")
      return try #require(found.first)
    }
    var e = try only("import kit from \"synth\"; rhythm { kit \"kick [snare clapp]\" over 4; }")
    #expect(e.message == "kit has no sound called 'clapp'")
    #expect(e.range.start.column == 52 && e.range.end.column == 57)
    e = try only("rhythm { synth \"bd rd\"; }")
    #expect(e.message == "synth has no sound called 'rd'" && e.hint != nil)
    e = try only("melody { piano \"c4 [e4 g4\" over 4; }")
    #expect(e.message == "'[' is not closed" && e.range.start.column == 20)
    e = try only("melody { piano \"c4 e4*\" over 4; }")
    #expect(e.message == "expected a number after '*'")
    e = try only("melody { piano \"c4 e4\" 0; }")
    #expect(e.message == "a string's start is written with 'at'")
    e = try only("melody { piano \"c4 zz e4 zz\"; }")
    #expect(e.message == "'zz' is not a pitch" && e.range.start.column == 20)
    e = try only("melody { piano \"\"; }")
    #expect(e.message == "an empty string plays nothing")
    e = try only("melody { piano \"a, b | c\"; }")
    #expect(e.message == "',' and '|' cannot be mixed in one group")
    e = try only(
      "melody { piano \"c4 \(String(repeating: "[", count: 100))c4\(String(repeating: "]", count: 100))\"; }")
    #expect(e.message == "nested more than 64 levels deep")
    e = try only("melody { piano \"c4(<3 5>*2,8)\"; }")
    #expect(e.message == "an operator on a Euclid argument (Strudel ignores it)")
  }

  @Test("random strings inside repeats share one work budget: an error, quickly, not minutes")
  func randomWorkBudget() throws {
    let clock = ContinuousClock()
    let started = clock.now
    let found = errors("rhythm { repeat 10000 every 1 { synth \"[~ ~ ~ ~]*140000 kick?\"; } }")
    #expect(clock.now - started < .seconds(20))
    #expect(found.count == 1)
    #expect(found.first?.message.hasPrefix("the random strings of this song take more than") == true)
  }

  @Test("an error inside a string with bytes that are not UTF-8 points at its place in the file")
  func invalidUTF8() {
    // Each 0xFF was three bytes (U+FFFD) in the decoded text, and the '[' was placed past the end of the file.
    let bytes = Array("melody { piano \"".utf8) + [0xFF, 0xFF, 0x20] + Array("[c4\" at 0; }".utf8)
    let compiled = PatternCompiler.compile(SourceFile(name: "t.pattern", bytes: bytes))
    let bracket = bytes.firstIndex(of: UInt8(ascii: "["))!
    #expect(compiled.diagnostics.map(\.message) == ["'[' is not closed"])
    #expect(compiled.diagnostics.first?.range.start.offset == bracket)
    // Columns count as the lexer does: each 0xFF is one.
    #expect(compiled.diagnostics.first?.range.start.column == bracket + 1)
  }
}
