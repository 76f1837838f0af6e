import Foundation
import PatternEngine
import PatternLanguage
import PatternMIDI
import PatternStudio
import TestSupport
import Testing

/// Meter changes seen from outside the language: MIDI time signatures (our reader and mido), golden per-bar
/// digests, and `pstudio events`.
@Suite("Meter changes: MIDI, golden bars, events")
struct MeterChangeTests {
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

  /// 4/4, then 3/4 from bar 3 (beat 8), a 6/8 section from bar 5 (beat 14), 4/4 again after it (beat 20).
  static let song = """
    tempo 120;
    section a { melody { sine A4 0; sine C5 4; sine E5 2:4 dur=1; } }
    section b { meter 6/8; melody { sine A5 1:1; sine C6 2:1 dur=2; } }
    section c { meter 3/4; melody { sine E4 0; } }
    arrange { a; c x2; b; a; }
    """

  func compiled(_ text: String) -> CompiledPattern { Renderer().compile(SourceFile(name: "t.pattern", text: text)) }

  @Test("MIDI: a time signature at each meter change's tick, read back by MIDIReader, in tick order")
  func midiTimeSignatures() throws {
    let score = compiled(Self.song).score
    #expect(score.meterMap.changes.map(\.beat) == [0, 8, 14, 20].map { BeatTime(Int64($0)) })
    let file = MIDIExport.file(for: score).file
    let back = try MIDIReader.read(file.encoded())
    #expect(back == file)
    let conductor = back.tracks[0].events
    let signatures = conductor.filter { if case .timeSignature = $0.kind { true } else { false } }
    let ticks: [Int64] = [0, 7_680, 13_440, 19_200]  // beats 0, 8, 14, 20 × 960
    #expect(signatures.map(\.tick) == ticks)
    #expect(
      signatures.map(\.kind) == [
        .timeSignature(numerator: 4, denominatorPower: 2), .timeSignature(numerator: 3, denominatorPower: 2),
        .timeSignature(numerator: 6, denominatorPower: 3), .timeSignature(numerator: 4, denominatorPower: 2),
      ])
    #expect(zip(conductor, conductor.dropFirst()).allSatisfy { $0.tick <= $1.tick })
    // At one tick the time signature comes before the tempo.
    #expect(
      conductor.prefix(2).map(\.kind) == [
        .timeSignature(numerator: 4, denominatorPower: 2), .tempo(microsecondsPerQuarter: 500_000),
      ])
    // A song in one meter writes one time signature, as before.
    let plain = MIDIExport.file(for: compiled("meter 3/4; melody { sine A4 0; }").score).file
    #expect(plain.tracks[0].events.filter { if case .timeSignature = $0.kind { true } else { false } }.count == 1)
  }

  @Test("mido reads the same time signatures at the same ticks", .enabled(if: Tools.mido))
  func midoTimeSignatures() async throws {
    let path = Scratch.folder() + "/meters.mid"
    try Renderer().writeMIDI(compiled(Self.song), to: path)
    let script = """
      import mido, sys
      tick = 0
      for msg in mido.MidiFile(sys.argv[1]).tracks[0]:
          tick += msg.time
          if msg.type == 'time_signature':
              print(tick, '%d/%d' % (msg.numerator, msg.denominator))
      """
    let out = try await Tools.run(Tools.which("python3")!, ["-c", script, path])
    #expect(out.status == 0)
    #expect(out.out == "0 4/4\n7680 3/4\n13440 6/8\n19200 4/4\n")
  }

  @Test("golden bars follow the meter map: bars of two lengths, numbered across the change; verify names the bar")
  func goldenBars() throws {
    let text = "tempo 120; meter 4/4; meter 3/4 at 3:1; melody { sine A4 0; sine C5 4; sine E5 8; sine A5 12 dur=1; }"
    let settings = GoldenSettings()
    let record = try Renderer().golden(compiled(text), source: "t.pattern", settings: settings)
    // 120 BPM at 48 kHz: a beat is 24,000 frames; 4/4 bars are 96,000 frames, 3/4 bars 72,000.
    #expect(record.bars.map(\.name) == ["bar 1", "bar 2", "bar 3", "bar 4", "tail"])
    let starts: [Int64] = [0, 96_000, 192_000, 264_000]
    let frames: [Int64] = [96_000, 96_000, 72_000]
    #expect(record.bars.prefix(4).map(\.start) == starts)
    #expect(record.bars.prefix(3).map(\.frames) == frames)
    // Bar 4 ends at beat 14 (frame 336,000), where the tail starts; the render itself ends sooner.
    #expect(record.bars[4].start == 336_000)
    // A note changed on beat 2 of bar 4 (the second 3/4 bar, beats 11–14) is reported there: the first block
    // that differs starts at frame 287,744, beat 1.99 of bar 4.
    let changedText = text.replacingOccurrences(of: "sine A5 12", with: "sine B5 12")
    let changed = compiled(changedText)
    let current = try Renderer().golden(changed, source: "t.pattern", settings: settings)
    let lines = GoldenDiff.explain(golden: record, current: current, compiled: changed)
    #expect(lines.contains { $0.hasPrefix("bars that differ: bar 4") }, "\(lines)")
    #expect(lines.contains { $0.hasPrefix("audio first differs") && $0.contains("bar 4 beat 1.99") }, "\(lines)")
  }

  @Test("events prints beats, bar:beat, seconds through a tempo ramp, rounded velocities and play sites (snapshot)")
  func eventsText() async throws {
    let song = """
      tempo 120;
      meter 4/4;
      meter 3/4 at 3:1;
      tempo 120 -> 60 over 3 at 3:1;
      let riff = { saw C4 0 vel=100; saw E4 1/3 vel=0.5 gain=-3; };
      melody { play riff at 1:1; play riff at 3:1 transpose=2; saw G4 4:2.5 dur=1; }
      """
    let r = try await CLI.run(["events", "-"], stdin: song)
    #expect(r.status == 0, "\(r.stderr)")
    try Snapshot.assertMatches(r.stdout, file: Self.snapshots.appendingPathComponent("events-meter-ramp.txt").path)
    // Seconds are the frames the render uses: inside the ramp they solve its curve, not a constant tempo.
    let score = compiled(song).score
    let map = TempoMap(score.tempo, sampleRate: 48_000)
    let inRamp = score.events.first { $0.start == BeatTime(25, 3) }!
    let expected = String(format: "%.3f", Double(map.frame(inRamp.start)) / 48_000)
    #expect(r.stdout.contains("| 3:4/3 | \(expected) → "), "\(r.stdout)")
  }

  @Test("events --format json adds bar, barBeat, midiVelocity, plays and the meter changes; old fields stay")
  func eventsJSON() async throws {
    let r = try await CLI.run(
      ["events", "-", "--format", "json"],
      stdin: Self.song + "\nlet m = { sine G4 0 vel=0.7; };\nrhythm { play m at 5:2; }")
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    #expect(json["meter"] as? String == "4/4")
    let changes = json["meterChanges"] as! [[String: Any]]
    #expect(changes.map { $0["bar"] as! Int } == [1, 3, 5, 7])
    #expect(changes.map { $0["meter"] as! String } == ["4/4", "3/4", "6/8", "4/4"])
    let events = json["events"] as! [[String: Any]]
    let played = events.first { $0["note"] as? String == "G4" }!
    #expect(played["barBeat"] as? String == "5:2")
    #expect(played["bar"] as? Int == 5)
    #expect(played["midiVelocity"] as? Int == 89)
    #expect(played["velocity"] as? Double == 0.7)
    #expect((played["plays"] as? [[String: Int]])?.first == ["line": 7, "column": 10])
    for key in [
      "start", "startBeats", "duration", "track", "instrument", "line", "column", "startSeconds", "endSeconds",
    ] {
      #expect(played[key] != nil, "\(key)")
    }
    #expect(events.first { $0["note"] as? String == "A4" }?["plays"] == nil)
  }
}
