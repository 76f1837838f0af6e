import PatternFuzzKit
import Testing

@testable import PatternLanguage

/// A deterministic fuzz pass over the whole front end: random bytes, random token soup and mutations of
/// valid files. Every input must finish, and every diagnostic must point inside the file.
/// (`Scripts/fuzz` runs the libFuzzer target for much longer.)
@Suite("Front-end fuzzing")
struct FuzzTests {
  /// The fuzzers' SplitMix64, with a bounded draw.
  struct Rng {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static let seeds = [
    ParserTests.original,
    "import piano from \"grand\";\ntempo 120;\nmelody { piano C4 0 dur=2 vel=0.8; piano F#3 1/3 pan=-0.5; }\n",
    "rhythm { synth Kick 0; synth Snare 1; } // c\n/* b */ harmony { guitar E2 0; }",
    "scale D:dorian; let m = { piano ^1 0 vel=0.8 ~ 0.1; piano [^b3 ^5] 1/2; };\n"
      + "melody { repeat 4 every 2 { play m at 0 reverse speed=2 every=2:invert rotate=1 steps=2; } }\n"
      + "section s { scale E3:minor at 2; harmony { saw arp(C4'min7, updown, octaves=2) step 1/8 at 0 for 4; } }\n"
      + "arrange { s; }",
  ]
  static let fragments = [
    "import", "from", "tempo", "melody", "rhythm", "{", "}", ";", "\"grand\"", "piano", "C4", "Kick", "0", "0.5",
    "1/3", "dur=", "vel", "=", "-", "//", "/*", "*/", "\"", "\n", " ", "é", "\u{0}", "[", "]", "(", ")", "#",
    "99999999999999", "^", "^b3", "^15", "scale", "C:major", "arp(", "up", "step", "for", "reverse", "invert",
    "every=2:", "speed=", "~", ":", "play m at",
  ]

  func check(_ bytes: [UInt8]) {
    let source = SourceFile(name: "fuzz", bytes: bytes)
    let result = PatternCompiler.compile(source)
    for d in result.diagnostics {
      #expect(d.range.start.offset >= 0 && d.range.start.offset <= bytes.count)
      #expect(d.range.start.line >= 1 && d.range.start.line <= source.lineCount)
      #expect(d.range.start.column >= 1)
      #expect(d.range.end >= d.range.start)
    }
    _ = DiagnosticRenderer(source: source).render(result.diagnostics)
    _ = result.parseJSON.serialized()
  }

  @Test("random bytes")
  func randomBytes() {
    var rng = Rng(state: 1)
    for _ in 0..<2000 {
      let n = rng.below(200)
      check((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }
  }

  @Test("token soup")
  func tokenSoup() {
    var rng = Rng(state: 2)
    for _ in 0..<3000 {
      let n = rng.below(60)
      let text = (0..<n).map { _ in Self.fragments[rng.below(Self.fragments.count)] }.joined(
        separator: rng.below(2) == 0 ? " " : "")
      check(Array(text.utf8))
    }
  }

  @Test("mutated valid files")
  func mutations() {
    var rng = Rng(state: 3)
    for _ in 0..<3000 {
      var bytes = Array(Self.seeds[rng.below(Self.seeds.count)].utf8)
      for _ in 0..<(1 + rng.below(6)) {
        let at = rng.below(bytes.count + 1)
        switch rng.below(3) {
        case 0 where at < bytes.count: bytes.remove(at: at)
        case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
        default:
          let f = Array(Self.fragments[rng.below(Self.fragments.count)].utf8)
          bytes.insert(contentsOf: f, at: at)
        }
      }
      check(bytes)
    }
  }

  @Test("deep and long inputs finish quickly")
  func pathological() {
    check(Array(String(repeating: "{", count: 100_000).utf8))
    check(Array(String(repeating: "melody { ", count: 20_000).utf8))
    check(Array(String(repeating: "\"", count: 50_001).utf8))
    check(Array(("melody {" + String(repeating: " sine C4 0;", count: 50_000) + "}").utf8))
  }
}
