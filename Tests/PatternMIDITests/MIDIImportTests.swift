import Foundation
import PatternLanguage
import TestSupport
import Testing

@testable import PatternMIDI

/// A note compared across a round trip: channel, key, velocity and exact on and off beats.
struct BeatNote: Hashable, Comparable, CustomStringConvertible {
  var channel: UInt8
  var key: UInt8
  var velocity: UInt8
  var start: BeatTime
  var end: BeatTime

  static func < (a: BeatNote, b: BeatNote) -> Bool {
    (a.start, a.channel, a.key, a.end, a.velocity) < (b.start, b.channel, b.key, b.end, b.velocity)
  }
  var description: String { "ch\(channel + 1) \(key) v\(velocity) \(start)→\(end)" }

  /// The notes of a file, paired by `MIDIReader.notes` (first in, first out), in beats.
  static func of(_ file: MIDIFile) -> [BeatNote] {
    let ppq = Int64(file.ticksPerQuarter)
    return MIDIReader.notes(file).map {
      BeatNote(
        channel: $0.channel, key: $0.key, velocity: $0.velocity, start: BeatTime($0.start, ppq),
        end: BeatTime($0.end, ppq))
    }.sorted()
  }

  /// The tempo map of a file: (beat, µs per quarter) where the tempo changes, from beat 0 (120 BPM before any).
  static func tempi(_ file: MIDIFile) -> [String] {
    let ppq = Int64(file.ticksPerQuarter)
    var events = file.tracks.flatMap(\.events).compactMap { e -> (Int64, UInt32)? in
      if case .tempo(let us) = e.kind { return (e.tick, us) }
      return nil
    }
    events.sort { $0.0 < $1.0 }
    var map: [(Int64, UInt32)] = [(0, 500_000)]
    for (tick, us) in events {
      if map.last!.0 == tick { map[map.count - 1].1 = us } else if map.last!.1 != us { map.append((tick, us)) }
    }
    return map.map { "\(BeatTime($0.0, ppq)):\($0.1)" }
  }
}

/// Imports `bytes`, compiles the source with the built-in catalog and exports it again at the exact resolution.
func importAndExport(_ bytes: [UInt8], grid: BeatTime? = nil) throws -> (
  source: String, result: MIDIImport.Result, exported: MIDIFile
) {
  let result = try MIDIImport.source(
    from: bytes, catalog: .builtIn, options: .init(sourceName: "test.mid", gridBeats: grid))
  let compiled = Songs.compile(result.source)
  #expect(compiled.succeeded, "\(compiled.diagnostics.map(\.message).prefix(5))")
  let exported = MIDIExport.file(for: compiled.score, resolution: .exact).file
  return (result.source, result, try MIDIReader.read(exported.encoded()))
}

@Suite("MIDI import")
struct MIDIImportTests {
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots").path

  /// A small format-1 file: a conductor (title, 3/4, a tempo change), a piano and a drum track.
  static let small: [UInt8] = {
    let conductor =
      SMF.name("Little Song") + SMF.tempo(500_000) + SMF.meter(3, 2) + SMF.tempo(600_000, delta: 1_440)
      + SMF.meter(4, 2, delta: 1_440) + SMF.end
    let piano =
      SMF.name("Piano") + SMF.program(0, 0) + SMF.on(0, 60, 100) + SMF.on(0, 64, 1, delta: 240)
      + SMF.off(0, 60, delta: 240) + SMF.off(0, 64, delta: 120) + SMF.on(0, 67, 127, delta: 2_280)
      + SMF.off(0, 67, delta: 700) + SMF.end
    let drums =
      SMF.name("Drums") + SMF.on(9, 36, 110) + SMF.on(9, 42, 80) + SMF.off(9, 36, delta: 120)
      + SMF.off(9, 42) + SMF.on(9, 35, 90, delta: 360) + SMF.off(9, 35, delta: 120) + SMF.end
    return SMF.header(tracks: 3) + SMF.track(conductor) + SMF.track(piano) + SMF.track(drums)
  }()

  @Test("a small file imports to readable source (snapshot): title, tempo map, meters, imports, blocks")
  func snapshot() throws {
    let result = try MIDIImport.source(from: Self.small, catalog: .builtIn, options: .init(sourceName: "small.mid"))
    try Snapshot.assertMatches(result.source, file: Self.snapshots + "/import-small.pattern")
    #expect(
      result.summary
        == .init(format: 1, ticksPerQuarter: 480, tracks: 3, blocks: 2, notes: 6, tempos: 2, meters: 2, instruments: 3))
    #expect(
      result.warnings == [
        "1 note on channel 10 uses a key the kit \"drums\" has no sound for (35 Kick2 ×1): played by a pitched "
          + "stand-in on channel 10 that keeps the keys"
      ])
    #expect(Songs.compile(result.source).succeeded)
  }

  @Test("the round trip keeps every note, channel, velocity 1 … 127 and the tempo map exactly")
  func roundTrip() throws {
    // PPQ 384 does not divide 960: the export must pick a resolution that holds every time (1,920).
    var piano = SMF.program(0, 0)
    for v in 1...127 { piano += SMF.on(0, 40 + v % 40, v, delta: v == 1 ? 0 : 97) + SMF.off(0, 40 + v % 40, delta: 50) }
    piano += SMF.end
    // Overlapping notes of one key on one channel, and a second track on the same channel.
    let overlap =
      SMF.program(0, 0) + SMF.on(0, 72, 60) + SMF.on(0, 72, 70, delta: 100) + SMF.off(0, 72, delta: 100)
      + SMF.on(0, 72, 80) + SMF.off(0, 72, delta: 1) + SMF.off(0, 72, delta: 383) + SMF.end
    let bass = SMF.program(3, 33) + SMF.on(3, 36, 90, delta: 7) + SMF.off(3, 36, delta: 1_000) + SMF.end
    // A ramp written as many tempo steps.
    var conductor = SMF.tempo(600_000)
    for step in 1...24 { conductor += SMF.tempo(600_000 - step * 7_919, delta: 96) }
    conductor += SMF.tempo(500_000, delta: 999) + SMF.end
    let bytes =
      SMF.header(tracks: 4, division: 384) + SMF.track(conductor) + SMF.track(piano) + SMF.track(overlap)
      + SMF.track(bass)
    let original = try MIDIReader.read(bytes)
    let (_, result, exported) = try importAndExport(bytes)
    #expect(result.warnings.isEmpty)
    #expect(exported.ticksPerQuarter == 1_920)
    #expect(BeatNote.of(exported) == BeatNote.of(original))
    #expect(Set(BeatNote.of(exported).map(\.velocity)) == Set(1...127))
    #expect(BeatNote.tempi(exported) == BeatNote.tempi(original))
    #expect(BeatNote.tempi(exported).count == 26)
  }

  @Test("a format-0 file with three channels gives three blocks, and the round trip holds")
  func formatZero() throws {
    let body =
      SMF.tempo(400_000) + SMF.program(1, 40) + SMF.on(0, 60, 64) + SMF.on(1, 67, 65) + SMF.on(9, 38, 66)
      + SMF.off(9, 38, delta: 60) + SMF.off(0, 60, delta: 60) + SMF.off(1, 67, delta: 60) + SMF.end
    let bytes = SMF.header(format: 0, tracks: 1, division: 96) + SMF.track(body)
    let (source, result, exported) = try importAndExport(bytes)
    #expect(result.summary.blocks == 3)
    #expect(source.contains("// Channel 1: 1 note\nmelody {"))
    #expect(source.contains("// Channel 2: 1 note\nmelody {"))
    #expect(source.contains("// Channel 10: 1 note\nrhythm {"))
    #expect(BeatNote.of(exported) == BeatNote.of(try MIDIReader.read(bytes)))
  }

  @Test("--grid rounds onsets and ends to the grid, and a note keeps at least one step")
  func grid() throws {
    let body =
      SMF.on(0, 60, 100, delta: 5) + SMF.off(0, 60, delta: 3) + SMF.on(0, 62, 100, delta: 109)
      + SMF.off(0, 62, delta: 250) + SMF.end
    let bytes = SMF.header(tracks: 1, division: 480) + SMF.track(body)
    let (source, _, exported) = try importAndExport(bytes, grid: BeatTime(1, 4))
    #expect(source.contains("piano1 C4 0 dur=1/4 vel=100;"))
    #expect(source.contains("piano1 D4 1/4 dur=1/2 vel=100;"))
    #expect(BeatNote.of(exported).map(\.start) == [.zero, BeatTime(1, 4)])
  }

  @Test("notes never ended last to the track's end; notes ending where they start last one tick")
  func unendedNotes() throws {
    let body =
      SMF.on(0, 60, 100) + SMF.on(0, 62, 100, delta: 10) + SMF.off(0, 62) + SMF.off(0, 64, delta: 5)
      + [0x64, 0xFF, 0x2F, 0x00]
    let result = try MIDIImport.source(
      from: SMF.header(tracks: 1, division: 10) + SMF.track(body), catalog: .builtIn,
      options: .init(sourceName: "t.mid"))
    #expect(result.source.contains("piano1 C4 0 dur=23/2 vel=100;"))  // to tick 115, the end of track
    #expect(result.source.contains("piano1 D4 1 dur=1/10 vel=100;"))
    #expect(
      result.warnings == [
        "1 note never ended; each lasts to the end of its track", "1 note ended where it started; each lasts one tick",
      ])
  }
}

@Suite("MIDI export: channels pinned by imports, exact resolution")
struct MIDIChannelTests {
  @Test("import … channel=N puts the instrument on channel N; the others take free channels in order")
  func pinnedChannels() throws {
    let s = score(
      """
      import a from "sine" channel=1; import b from "saw" channel=3; import perc from "noise" channel=10;
      melody { triangle C4 0; a D4 0; square E4 0; b F4 0; perc 38 0; synth Kick 0; }
      """)
    let notes = MIDIReader.notes(try MIDIReader.read(MIDIExport.file(for: s).file.encoded()))
    let channels = Dictionary(uniqueKeysWithValues: notes.map { ($0.key, $0.channel + 1) })
    #expect(channels == [60: 2, 62: 1, 64: 4, 65: 3, 38: 10, 36: 10])
  }

  @Test("the exact resolution is 960, or the smallest multiple of 960 that holds every time")
  func exactResolution() {
    #expect(MIDITickResolution.exactTicksPerQuarter(for: score("melody { sine C4 1/3 dur=1/5; }")) == 960)
    #expect(MIDITickResolution.exactTicksPerQuarter(for: score("melody { sine C4 1/7; }")) == 6_720)
    #expect(MIDITickResolution.exactTicksPerQuarter(for: score("melody { sine C4 1/384; }")) == 1_920)
    #expect(
      MIDITickResolution.exactTicksPerQuarter(for: score("melody { sine C4 1/32749 dur=32748/32749; }")) == 32_749)
    #expect(MIDITickResolution.exactTicksPerQuarter(for: score("melody { sine C4 1/32749 dur=1/2; }")) == nil)
    let (file, warnings) = MIDIExport.file(for: score("melody { sine C4 1/32749 dur=1/2; }"), resolution: .exact)
    #expect(file.ticksPerQuarter == 960 && warnings.count == 1)
    let fixed = MIDIExport.file(for: score("melody { sine C4 1/7; }"), resolution: .fixed(480))
    #expect(fixed.file.ticksPerQuarter == 480 && fixed.warnings.count == 1)
  }
}
