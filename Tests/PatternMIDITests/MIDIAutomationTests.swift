import PatternLanguage
import TestSupport
import Testing

@testable import PatternMIDI

/// Automation as General MIDI controllers, read back from the encoded file.
@Suite("MIDI export of automation")
struct MIDIAutomationTests {
  static let song = """
    tempo 120;
    bus room = reverb(decay=2, mix=1);
    melody(gain=-40 -> 0 over 4, pan=-1 -> 1 over 4, send room=-30 -> 0 over 2 at 2) {
      saw C3 0 dur=4 cutoff=20 -> 20000 bend=2;
    }
    rhythm { synth Kick 0; }
    """

  /// (tick, value) of every event of one controller on one channel, in file order.
  static func controller(_ file: MIDIFile, _ number: UInt8) -> [(Int64, UInt8)] {
    file.tracks.flatMap(\.events).compactMap { e in
      if case .controlChange(0, number, let v) = e.kind { return (e.tick, v) }
      return nil
    }
  }

  @Test("gain → CC7 on GM's curve, pan → CC10, a reverb send → CC91, cutoff → CC74, bend → pitch bend")
  func controllers() throws {
    let (file, warnings) = MIDIExport.file(for: Songs.score(Self.song))
    #expect(warnings.isEmpty)
    let back = try MIDIReader.read(file.encoded())
    let volume = Self.controller(back, 7)
    // −40 dB is 127·10^(−1) = 12.7 → 13; 0 dB is 127; every step rises; the last at beat 4.
    #expect(volume.first! == (0, 13))
    #expect(volume.last! == (3840, 127))
    #expect(zip(volume, volume.dropFirst()).allSatisfy { $0.1 < $1.1 && $0.0 <= $1.0 })
    let pan = Self.controller(back, 10)
    #expect(pan.first!.1 == 0 && pan.last! == (3840, 127))
    #expect(pan.contains { $0 == (1920, 64) })
    let send = Self.controller(back, 91)
    // Holds −30 dB (127·10^(−30/40) = 22.6 → 23) until beat 2, reaches 0 dB (127) at beat 4.
    #expect(send.first! == (0, 23))
    #expect(send.contains { $0 == (1920, 23) } && send.last! == (3840, 127))
    let brightness = Self.controller(back, 74)
    #expect(brightness.first! == (0, 0) && brightness.last! == (3840, 127))
    // Bend range: RPN 0 set to 2 semitones on channel 0 at tick 0.
    let rpn = back.tracks.flatMap(\.events).compactMap { e -> (UInt8, UInt8)? in
      if case .controlChange(0, let n, let v) = e.kind, [100, 101, 6].contains(n) { return (n, v) }
      return nil
    }
    #expect(rpn.prefix(3).map(\.0) == [101, 100, 6] && rpn[2].1 == 2)
    let bends = back.tracks.flatMap(\.events).compactMap { e -> (Int64, UInt16)? in
      if case .pitchBend(0, let v) = e.kind { return (e.tick, v) }
      return nil
    }
    #expect(bends.first! == (0, 8192))
    // At the note's end: +2 semitones at a range of 2 is the top (16383), then back to the centre.
    #expect(bends.suffix(2).map(\.1) == [16383, 8192])
    #expect(bends.last!.0 == 3840)
  }

  @Test("a song without automation writes no controller beyond bank and program")
  func noneWhenStill() throws {
    let (file, _) = MIDIExport.file(for: Songs.score("melody { saw C3 0 dur=4; }"))
    let controllers = file.tracks.flatMap(\.events).filter {
      if case .controlChange = $0.kind { return true }
      if case .pitchBend = $0.kind { return true }
      return false
    }
    #expect(controllers.isEmpty)
  }
}
