import Foundation
import PatternAudioIO
import PatternFuzzKit
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// Every input that ever crashed, hung or flooded (Tests/FuzzCorpus/regressions, and whatever Scripts/fuzz
/// saved in Tests/FuzzCorpus/found) goes through check and render: each must end in diagnostics or audio, with
/// every diagnostic inside the file. Plus a bounded grammar-aware run of generated songs.
@Suite("Reliability: fuzz regressions and reproducers")
struct FuzzRegressionTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../FuzzCorpus").standardized.path

  static let cases: [String] = ["regressions", "found"].flatMap { folder -> [String] in
    let dir = corpus + "/" + folder
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter {
      $0.hasSuffix(".pattern") || $0.hasSuffix(".case")
    }.sorted().map { folder + "/" + $0 }
  }

  /// Compiles (with the render's limits) and, when that succeeds, renders; returns the diagnostics.
  func run(_ bytes: [UInt8], name: String) throws -> [Diagnostic] {
    let source = SourceFile(name: name, bytes: bytes)
    let renderer = Renderer()
    var settings = RenderSettings(threads: 1)
    settings.maxSeconds = 60
    let compiled = renderer.check(source, settings: settings)
    for d in compiled.diagnostics {
      #expect(d.range.start.offset <= bytes.count && d.range.start.line >= 1 && d.range.start.line <= source.lineCount)
    }
    #expect(DiagnosticRenderer(source: source).render(compiled.diagnostics).utf8.count < 1 << 20)
    // (A song with no note compiles with a warning and is refused by render: nothing to render.)
    if compiled.succeeded && !compiled.score.events.isEmpty {
      try renderer.render(compiled, settings: settings, into: [HashSink()])
    }
    return compiled.diagnostics
  }

  @Test("there are regression cases")
  func haveCases() { #expect(Self.cases.count >= 10) }

  @Test("every saved case ends in diagnostics or audio", .timeLimit(.minutes(2)), arguments: cases)
  func regression(_ name: String) throws {
    _ = try run(Array(try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/" + name))), name: name)
  }

  @Test("negative numbers are one located error each, never a trap; a negative rotation wraps")
  func negatives() throws {
    let seed = try run(Array("seed -1;\nmelody { sine C4 0; }".utf8), name: "s")
    #expect(seed.map(\.message) == ["the seed must not be negative"])
    #expect(seed.first?.range.start.line == 1 && seed.first?.range.start.column == 6)
    let pulses = try run(Array("rhythm { synth Kick euclid(-1,8) step 1/4 at 0; }".utf8), name: "p")
    #expect(pulses.map(\.message) == ["the count must not be negative"])
    let back = Songs.score("rhythm { synth Kick euclid(3,8,-1) step 1/4 at 0; }").events.map(\.start)
    let forward = Songs.score("rhythm { synth Kick euclid(3,8,7) step 1/4 at 0; }").events.map(\.start)
    #expect(back == forward && back.count == 3)
  }

  @Test("a 16 KB line of '*' is one diagnostic, printed clipped around its caret")
  func flood() throws {
    let line = String(repeating: "*", count: 16_384)
    let source = SourceFile(name: "star", text: line)
    let compiled = PatternCompiler.compile(source)
    #expect(compiled.diagnostics.count == 1)
    #expect(compiled.diagnostics.first?.message.hasPrefix("16384 unexpected characters '************…'") == true)
    #expect(DiagnosticRenderer(source: source).render(compiled.diagnostics).utf8.count < 600)
    // Hundreds of different mistakes stop at the cap, with one line saying so.
    let many = PatternCompiler.compile(SourceFile(name: "m", text: (0..<500).map { "pinao\($0) C4 0;" }.joined()))
    #expect(many.diagnostics.count == 201)
    #expect(many.diagnostics.last?.message == "too many errors; stopping after 200")
  }

  @Test("sections arranged 20,000 deep: one located error, quickly")
  func sectionChain() throws {
    let n = 20_000
    var text = (0..<n).map { "section s\($0) { arrange { s\($0 + 1); } }" }.joined(separator: "\n")
    text += "\nsection s\(n) { melody { sine C4 0; } }\narrange { s0; }\n"
    let clock = ContinuousClock()
    let started = clock.now
    let compiled = PatternCompiler.compile(SourceFile(name: "chain", text: text))
    #expect(clock.now - started < .seconds(20))
    #expect(compiled.diagnostics.count == 1)
    #expect(
      compiled.diagnostics.first?.message
        == "sections are arranged inside each other 20001 levels deep; the limit is 64")
    #expect(compiled.diagnostics.first?.range.start.line == 1)
  }

  @Test("CR, LF and CRLF line endings give the same song")
  func lineEndings() throws {
    let lines = ["tempo 120; // a comment", "melody { sine C4 0; sine E4 1; } // another", "rhythm { synth Kick 0; }"]
    let listings = ["\n", "\r", "\r\n"].map { Songs.score(lines.joined(separator: $0)).eventListing }
    #expect(listings[0] == listings[1] && listings[1] == listings[2])
    #expect(Songs.score(lines.joined(separator: "\r")).events.count == 3)
  }

  @Test("a bounded grammar-aware run: 300 generated songs through check, 40 through render (Scripts/fuzz runs more)")
  func generated() throws {
    for seed in UInt64(0)..<300 {
      var generator = SongGenerator(seed: 7_000_000 + seed)
      let song = generator.song()
      if seed < 40 {
        _ = try run(song, name: "gen-\(seed)")
      } else {
        _ = Renderer().check(SourceFile(name: "gen-\(seed)", bytes: song))
      }
    }
  }
}
