import Foundation
import PatternFuzzKit
import PatternLanguage
import TestSupport
import Testing

@testable import PatternMIDI

/// Every MIDI file that ever crashed, hung or mis-imported (Tests/FuzzCorpus/midi, where Scripts/fuzz saves them)
/// imports to source that compiles, or is one `MIDIReader.Failure`; plus a bounded run of the fuzzer's cases.
@Suite("MIDI import: fuzz regressions")
struct MIDIFuzzRegressionTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../FuzzCorpus/midi").standardized.path

  static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? [])
    .filter { $0.hasSuffix(".mid") }.sorted()

  /// Imports `bytes`: nil for a Failure, else whether the round trip held (when the import says it should).
  @discardableResult
  func check(_ bytes: [UInt8], name: String) -> Bool? {
    guard let result = try? MIDIImport.source(from: bytes, catalog: .builtIn, options: .init(sourceName: name))
    else { return nil }
    let compiled = Songs.compile(result.source)
    #expect(compiled.succeeded, "\(name): \(compiled.diagnostics.map(\.message).prefix(3))")
    guard compiled.succeeded, result.roundTrips, let original = try? MIDIReader.read(bytes, limits: MIDIImport.limits)
    else { return false }
    let exported = MIDIExport.file(for: compiled.score, resolution: .exact).file
    #expect(BeatNote.of(exported) == BeatNote.of(original), "\(name): the round trip differs")
    return true
  }

  @Test("the corpus has the hand-made seed file")
  func haveCases() { #expect(Self.cases.contains("hand-made.mid")) }

  @Test("the hand-made seed imports and round-trips")
  func handMade() {
    #expect(check(MIDIMutator.handMade, name: "hand-made") == true)
    let saved = FileManager.default.contents(atPath: Self.corpus + "/hand-made.mid").map { Array($0) }
    #expect(saved == MIDIMutator.handMade, "Tests/FuzzCorpus/midi/hand-made.mid is MIDIMutator.handMade")
  }

  @Test("every saved case imports to compiling source or is one Failure", arguments: cases)
  func regression(_ name: String) throws {
    check(Array(try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/" + name))), name: name)
  }

  @Test("a bounded run: 400 mutated and random files (Scripts/fuzz --mode midi runs more)")
  func bounded() {
    var outcomes: [Bool?] = []
    for seed in UInt64(0)..<400 {
      outcomes.append(check(MIDIMutator.file(seed: 5_000_000 + seed, bases: [MIDIMutator.handMade]), name: "\(seed)"))
    }
    #expect(outcomes.contains(nil) && outcomes.contains(true))
  }

  @Test("half a million events: 250,000 overlapping notes of one key pair in linear time")
  func manyOverlaps() throws {
    let count = 250_000
    // Running status: one 0x90, then (delta, key, velocity) triples; velocity 0 ends the oldest open note.
    var body: [UInt8] = [0x00, 0x90, 60, 100]
    for _ in 1..<count { body += [0x00, 60, 100] }
    for _ in 0..<count { body += [0x01, 60, 0] }
    let bytes = SMF.header(tracks: 1, division: 960) + SMF.track(body + SMF.end)
    let clock = ContinuousClock()
    let started = clock.now
    let result = try MIDIImport.source(from: bytes, catalog: .builtIn, options: .init(sourceName: "many.mid"))
    #expect(result.summary.notes == count)
    #expect(clock.now - started < .seconds(20))
  }
}
