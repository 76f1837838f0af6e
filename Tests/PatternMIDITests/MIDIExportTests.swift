import PatternLanguage
import TestSupport
import Testing

@testable import PatternMIDI

func score(_ text: String) -> Score { Songs.score(text) }

/// The song used by several tests: two pitched instruments, a kit, chords, repeats, a ramp, a title.
let song = """
  title "MIDI test"; artist "Tests"; meter 3/4;
  tempo 90; tempo 90 -> 120 over 3 at 6; tempo 100 at 12;
  import keys from "grand";
  melody { keys C4'maj7 0 dur=2 vel=0.5; repeat 4 every 1/3 { sine A5 1 dur=1/3 vel=100; } }
  rhythm { synth Kick euclid(3,8) step 1/2 at 0; synth HiHat 1/7 vel=0.3; synth Snare 13 vel=0; }
  harmony { guitar E2 7 dur=5; }
  """

@Suite("MIDI export")
struct MIDIExportTests {
  @Test("the file read back holds exactly the score's notes: channel, key, velocity, ticks")
  func roundTrip() throws {
    let s = score(song)
    let (file, warnings) = MIDIExport.file(for: s)
    #expect(warnings.isEmpty)
    let back = try MIDIReader.read(file.encoded())
    #expect(back == file)
    let notes = MIDIReader.notes(back)
    let expected = s.events.filter { $0.velocity > 0 }.map { e -> MIDIReader.Note in
      let key: UInt8
      switch e.note {
      case .pitch(let m): key = UInt8(m)
      case .hit(let h): key = GeneralMIDI.drumKey(h)!
      }
      let channel: UInt8 =
        e.instrumentName == "synth" ? 9 : e.instrumentName == "keys" ? 0 : e.instrumentName == "sine" ? 1 : 2
      let start = MIDIExport.tick(e.start)
      return MIDIReader.Note(
        track: e.track + 1, channel: channel, key: key, velocity: UInt8((e.velocity * 127).rounded()), start: start,
        end: max(start + 1, MIDIExport.tick(e.start + e.duration)))
    }
    let order = { (a: MIDIReader.Note, b: MIDIReader.Note) in
      (a.track, a.start, a.channel, a.key) < (b.track, b.start, b.channel, b.key)
    }
    #expect(notes.sorted(by: order) == expected.sorted(by: order))
    #expect(notes.count == s.events.count - 1)  // the vel=0 snare is silent and left out
  }

  @Test("type 1 layout: conductor with title, meter and tempi, then one named track per block with GM programs")
  func layout() throws {
    let (file, _) = MIDIExport.file(for: score(song))
    let bytes = file.encoded()
    #expect(Array(bytes[0..<4]) == Array("MThd".utf8))
    #expect(bytes[8..<14] == [0, 1, 0, 4, 0x03, 0xC0])  // format 1, 4 tracks, 960 ticks per quarter
    let conductor = file.tracks[0].events.map(\.kind)
    #expect(conductor.contains(.trackName("MIDI test")))
    #expect(conductor.contains(.text("MIDI test")))
    #expect(conductor.contains(.timeSignature(numerator: 3, denominatorPower: 2)))
    #expect(conductor.contains(.tempo(microsecondsPerQuarter: 666_667)))  // 90 BPM
    #expect(file.tracks[1...].map { $0.events.first?.kind } == ["melody", "rhythm", "harmony"].map { .trackName($0) })
    #expect(file.tracks[1].events.contains { $0.kind == .programChange(channel: 0, program: 0) })
    #expect(file.tracks[1].events.contains { $0.kind == .programChange(channel: 1, program: 79) })
    #expect(file.tracks[3].events.contains { $0.kind == .programChange(channel: 2, program: 25) })
    #expect(!file.tracks[2].events.contains { if case .programChange = $0.kind { true } else { false } })
  }

  @Test("GM drum keys; times off the tick grid round half up, the same way every time")
  func drumsAndRounding() {
    #expect(
      ["Kick", "Snare", "HiHat", "OpenHat", "Crash", "LowTom", "MidTom", "HighTom"].map { GeneralMIDI.drumKey($0) }
        == [36, 38, 42, 46, 49, 41, 45, 48])
    #expect(MIDIExport.tick(BeatTime(1, 7)) == 137)  // 137.14…
    #expect(MIDIExport.tick(BeatTime(1, 1920)) == 1)  // exactly half a tick rounds up
    #expect(MIDIExport.tick(BeatTime(1, 3)) == 320)
  }

  @Test("a ramp becomes 1/16-beat tempo steps whose total time equals the ramp's exact length")
  func rampSteps() {
    let s = score("tempo 60 -> 180 over 4; melody { sine C5 0; }")
    let tempi = MIDIExport.tempoEvents(s.tempo)
    #expect(tempi.count == 4 * 16 + 1)
    var seconds = 0.0
    for (a, b) in zip(tempi, tempi.dropFirst()) {
      guard case .tempo(let us) = a.kind else { continue }
      seconds += Double(b.tick - a.tick) / 960 * Double(us) / 1e6
    }
    #expect(abs(seconds - 2.0) < 1e-4)  // 120·4/240 = 2 s
    #expect(tempi.last?.kind == .tempo(microsecondsPerQuarter: 333_333))
    // The steps speed up monotonically.
    let us = tempi.compactMap { if case .tempo(let x) = $0.kind { x } else { nil } }
    #expect(zip(us, us.dropFirst()).allSatisfy { $0 > $1 })
  }

  @Test("a time signature at each meter change, at its bar line's tick, before a tempo change at that tick")
  func meterChanges() throws {
    let s = score("meter 7/8; meter 4/4 at 3:1; tempo 100; tempo 80 at 3:1; meter 6/8 at 4:1; melody { sine C5 0; }")
    let conductor = try MIDIReader.read(MIDIExport.file(for: s).file.encoded()).tracks[0].events
    // 7/8 bars are 3.5 beats: bar 3 starts at beat 7 (tick 6,720), bar 4 at beat 11 (tick 10,560).
    #expect(
      conductor == [
        MIDIEvent(tick: 0, .timeSignature(numerator: 7, denominatorPower: 3)),
        MIDIEvent(tick: 0, .tempo(microsecondsPerQuarter: 600_000)),
        MIDIEvent(tick: 6_720, .timeSignature(numerator: 4, denominatorPower: 2)),
        MIDIEvent(tick: 6_720, .tempo(microsecondsPerQuarter: 750_000)),
        MIDIEvent(tick: 10_560, .timeSignature(numerator: 6, denominatorPower: 3)),
      ])
  }

  @Test("notes that repeat at one tick end before they start again")
  func retrigger() throws {
    let (file, _) = MIDIExport.file(for: score("melody { sine C5 0 dur=1; sine C5 1 dur=1; }"))
    let kinds = file.tracks[1].events.filter { $0.tick == 960 }.map(\.kind)
    #expect(kinds == [.noteOff(channel: 0, key: 72, velocity: 64), .noteOn(channel: 0, key: 72, velocity: 127)])
  }

  @Test("the reader survives garbage: errors, never crashes")
  func readerRobust() {
    #expect(throws: MIDIReader.Failure.self) { try MIDIReader.read([]) }
    #expect(throws: MIDIReader.Failure.self) {
      try MIDIReader.read(Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 1, 1, 224])
    }
    var bytes = MIDIExport.file(for: score(song)).file.encoded()
    for cut in stride(from: 0, to: bytes.count, by: 7) { _ = try? MIDIReader.read(Array(bytes[..<cut])) }
    for i in stride(from: 14, to: bytes.count, by: 5) { bytes[i] ^= 0x5A }
    _ = try? MIDIReader.read(bytes)
  }
}
