import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

/// The parser reads plain attributes (`dur=1/2 vel=0.8`) from the bytes and everything else token by token
/// (`Parser.readPlainAttributes`). Both ways must give the same tree, diagnostics and score: on every song in the
/// repository, on seeded mutations of them, and on the forms at the edge of what the byte reader takes.
@Suite("Plain attributes read from the bytes", .serialized)
struct PlainAttributesTests {
  static func compile(_ bytes: [UInt8], plain: Bool) -> CompiledPattern {
    let source = SourceFile(name: "song.pattern", bytes: bytes)
    return PatternCompiler.compile(
      plain ? PatternCompiler.parse(source) : PatternCompiler.parse(source, plainAttributes: false))
  }

  static func expectSame(_ bytes: [UInt8], _ what: String) {
    let plain = compile(bytes, plain: true)
    let tokens = compile(bytes, plain: false)
    let sameTree = plain.file == tokens.file
    #expect(sameTree, "\(what): tree")
    #expect(plain.diagnostics == tokens.diagnostics, "\(what): diagnostics")
    #expect(plain.score == tokens.score, "\(what): score")
  }

  /// A note statement with `attributes` after it, alone and followed by another statement.
  static func statement(_ attributes: String) -> [String] {
    [
      "melody { piano C4 0 \(attributes); }", "melody { piano C4 0 \(attributes); piano D4 1 vel=0.5; }",
      "melody { piano C4 0 \(attributes)", "melody { piano C4 0 \(attributes)\n}",
    ]
  }

  static let edges = [
    "dur=1/2 vel=0.8", "dur = 1 / 2", "dur=1 /2", "dur=1/ 2", "dur=1/2/3", "dur=1/0", "dur=0/1", "dur=1/.5",
    "dur=1/-2", "vel=0.8 ~ 0.1", "vel=0.8~0.1", "vel=0.8\n~ 0.1", "cutoff=300 -> 6000 over 4", "cutoff=300->6000",
    "cutoff=300 ->6000", "pan=-0.5", "pan=- 0.5", "pan=-.5", "dur=.5", "dur=1.5.2", "dur=1.", "dur=1.;", "dur=1x",
    "dur=1x=2", "dur=1//c\n", "dur=1/*c*/", "dur=1 /*c*/ vel=1", "dur=1 // c\n vel=1", "dur=1\n vel=1",
    "dur=\n1", "dur\n=1", "dur=1\r\nvel=1", "dur=1\tvel=1", "dür=1", "dur=１", "C-1=3", "Bb=1", "a#=1", "a'=1",
    "_x=1", "dur=1234567890123", "dur=123456789012", "dur=0.1234567890123", "dur=100001", "dur=100000",
    "pan=-100001", "dur=99999.999999999999", "dur=1;vel=2", "dur=1 vel=1 vel=2", "dur=1 foo", "dur=1 foo=",
    "dur=1 =2", "dur=", "dur=;", "=1", "dur=1 every=2", "vel=curve(0 at 0, 1 at 4)", "cutoff=lfo(rate=1)",
    "gain=-3 pan=0.25 prob=0.5 nudge=1/16", "dur=1 vel=-", "dur=1 vel=->", "dur=1/2~0.1", "vel=1 ~",
    "x" + String(repeating: "y", count: 300) + "=1", "dur=" + String(repeating: " ", count: 300) + "1",
    "dur=" + String(repeating: "1", count: 200), "dur=1 " + String(repeating: "vel=0.5 ", count: 40),
    "dur=1 C♯=1", "dur=1 C-1=3", "dur=1 Bb-1=3", "dur=1 @ vel=2", "dur=1 -2", "dur=0,5", "dur\r\n=1",
    "/* é */ dur=1 vel=2", "dur=1 /* é */ vel=2", "dur=1\u{0C}vel=2", "dur=1\u{0}vel=2", "vel=0.5\u{FEFF}",
    "dur=1 vel=2 }", "dur=1 vel=2 { }", "dur=1 vel=2 \"x\"",
  ]

  @Test("forms at the edge of the byte reader read as token by token")
  func edgeForms() {
    for attributes in Self.edges {
      for text in Self.statement(attributes) { Self.expectSame(Array(text.utf8), text) }
    }
  }

  @Test("the byte reader takes the plain forms and leaves the rest to the tokens")
  func reads() {
    func count(_ text: String) -> Int {
      let bytes = Array(text.utf8)
      var cache = ShortTextCache()
      return bytes.withUnsafeBufferPointer { buffer in
        var cursor = PlainCursor(bytes: buffer, limit: buffer.count, at: SourceLocation(offset: 0, line: 1, column: 1))
        var read = 0
        while cursor.attribute(limits: .default, cache: &cache) != nil { read += 1 }
        return read
      }
    }
    #expect(count("dur=1/2 vel=0.8 pan=-0.25 attack=.005;") == 4)
    #expect(count("dur = 1/2\n  vel=1\tgain=-3") == 3)
    #expect(count("dur=1/2 vel=0.8 ~ 0.1;") == 1)
    #expect(count("dur=1 cutoff=300 -> 600;") == 1)
    // A comment after a value may hide a `~` or `->` that belongs to it: the tokens read it.
    #expect(count("dur=1 // note\n vel=1;") == 0)
    #expect(count("dur=1 vel=1 // note\n;") == 1)
    #expect(count("dur=1 / 2;") == 0)
    #expect(count("dur=1.5.2;") == 0)
    #expect(count("dur=1x;") == 0)
    #expect(count("dür=1;") == 0)
    #expect(count("dur=100001;") == 0)
    #expect(count("dur=1/0;") == 0)
    #expect(count("vel=curve(0 at 0);") == 0)
  }

  @Test("every song in the repository, and seeded mutations of each, read the same both ways")
  func repositorySongs() throws {
    let songs = try FrontEndPartsTests.songs()
    #expect(songs.count >= 100)
    for song in songs { Self.expectSame(song.bytes, song.name) }
    for (bytes, name) in FrontEndPartsTests.mutations(
      of: songs, seed: 0xA77_5EED, noise: "=-/.~>;1 0\n\t/*x#é", rounds: 6)
    {
      Self.expectSame(bytes, name)
    }
  }

  @Test("the parser takes the byte reader for plain attributes, and not when asked to read tokens")
  func taken() {
    let text =
      "melody {\n" + (0..<50).map { "  piano C4 \($0) dur=1/2 vel=0.8 pan=-0.25;" }.joined(separator: "\n") + "\n}"
    let source = SourceFile(name: "t.pattern", text: text)
    let before = FrontEndParts.plainAttributesRead.load(ordering: .relaxed)
    _ = PatternCompiler.parse(source)
    // Other suites may parse at the same time: at least these 150.
    #expect(FrontEndParts.plainAttributesRead.load(ordering: .relaxed) - before >= 150)
    var parser = Parser(source: source)
    parser.readsPlainAttributes = false
    _ = parser.parseFile()
    #expect(parser.plainAttributesRead == 0)
    var plain = Parser(source: source)
    _ = plain.parseFile()
    #expect(plain.plainAttributesRead == 150)
  }
}
