import Foundation
import PatternFuzzKit
import PatternLanguage
import PatternMIDI

/// Fuzzing of the MIDI reader and `pstudio import`: mutated valid files (the hand-made one of `MIDIMutator` and
/// MIDI exports of generated songs) and random bytes. A thrown `MIDIReader.Failure` passes; a crash, a trap or a
/// hang fails (the watchdog and the address-space limit of `main.swift` apply), and so does an import whose
/// source does not compile, or one that claims a round trip `pstudio midi` does not give back.
enum MIDIFuzz {
  /// The files the mutations start from.
  static let bases: [[UInt8]] = {
    var files = [MIDIMutator.handMade]
    for seed in UInt64(0)..<64 where files.count < 9 {
      var generator = SongGenerator(seed: 9_000_000 + seed)
      let compiled = PatternCompiler.compile(SourceFile(name: "base.pattern", bytes: generator.song()))
      guard compiled.succeeded, !compiled.score.events.isEmpty, compiled.score.events.count < 2_000 else { continue }
      files.append(MIDIExport.file(for: compiled.score, resolution: .exact).file.encoded())
    }
    return files
  }()

  /// One case: its bytes, and what became of them (`rejected`, `imported`, `imported, round trip checked`).
  /// Exits with 6 or 7 (and a message) on a defect.
  static func run(seed: UInt64, caseFile: CaseFile) -> String {
    let bytes = MIDIMutator.file(seed: seed, bases: bases)
    caseFile.write(seed: seed, bytes: bytes)
    let result: MIDIImport.Result
    do {
      result = try MIDIImport.source(from: bytes, catalog: .builtIn, options: .init(sourceName: "fuzz.mid"))
    } catch {
      return "rejected"
    }
    let compiled = PatternCompiler.compile(SourceFile(name: "fuzz.pattern", text: result.source))
    // Only the language's size limits may refuse an import (a fuzz case rarely reaches them).
    let limits = ["4 MiB", "500000", "500,000"]
    if let error = compiled.diagnostics.first(where: { d in
      d.severity == .error && !limits.contains { d.message.contains($0) }
    }) {
      fail(6, "case \(seed): the imported source does not compile: \(error.message)")
    }
    guard compiled.succeeded, result.roundTrips else { return "imported" }
    guard let original = try? MIDIReader.read(bytes, limits: MIDIImport.limits) else {
      fail(7, "case \(seed): the file imported but does not read again")
    }
    let exported = MIDIExport.file(for: compiled.score, resolution: .exact).file
    if notes(of: exported) != notes(of: original) {
      fail(7, "case \(seed): pstudio midi does not give back the imported notes")
    }
    return "imported, round trip checked"
  }

  static func fail(_ status: Int32, _ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
  }

  /// Channel, key, velocity and exact on/off beats of every note, sorted.
  static func notes(of file: MIDIFile) -> [String] {
    let ppq = Int64(file.ticksPerQuarter)
    return MIDIReader.notes(file).map {
      "\($0.channel) \($0.key) \($0.velocity) \(BeatTime($0.start, ppq)) \(BeatTime($0.end, ppq))"
    }.sorted()
  }
}
