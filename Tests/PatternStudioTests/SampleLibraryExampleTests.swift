import Foundation
import PatternAudioIO
import TestSupport
import Testing

/// The two sample-library examples: General MIDI presets from Debian's csound-soundfont (installed by
/// `Scripts/setup`) and the shipped SFZ marimba.
@Suite("SoundFont and SFZ examples")
struct SampleLibraryExampleTests {
  static let font = "/usr/share/sounds/sf2/sf_GMbank.sf2"

  /// Renders an example to 16-bit WAV and checks it sounds for its whole length.
  static func render(_ name: String, midi: String? = nil) async throws -> [Int32] {
    let dir = Scratch.folder()
    let out = "\(dir)/\(name).wav"
    let r = try await CLI.run(
      ["render", ShippedLibraryTests.root + "/Examples/\(name).pattern", "-o", out]
        + (midi.map { ["--midi", $0] } ?? []))
    #expect(r.status == 0, "\(r.stderr)")
    let (info, samples) = try AudioFileReader.readInt32(path: out)
    #expect(info.frames > 48_000 * 15)
    // Every second of the song (but the last four: the reverb's tail) has sound in it.
    for s in 0..<(Int(info.frames) / 48_000 - 4) {
      let second = samples[(2 * 48_000 * s)..<(2 * 48_000 * (s + 1))]
      #expect(second.map { abs(Int64($0)) }.max()! > 1 << 24, "\(name): silent at \(s) s")
    }
    return samples
  }

  @Test(
    "the SoundFont example renders, and its MIDI file carries each preset's bank and program (mido)",
    .enabled(if: FileManager.default.fileExists(atPath: font)))
  func soundFont() async throws {
    let midi = Scratch.folder() + "/soundfont.mid"
    _ = try await Self.render("soundfont", midi: midi)
    guard Tools.mido else { return }
    let script = """
      import mido, sys
      for t in mido.MidiFile(sys.argv[1]).tracks:
          for m in t:
              if m.type == 'program_change': print('program', m.channel, m.program)
              if m.type == 'control_change' and m.control == 0: print('bank', m.channel, m.value)
      """
    let out = try await Tools.run(Tools.which("python3")!, ["-c", script, midi]).out
    let lines = Set(out.split(separator: "\n").map(String.init))
    // Piano 0, strings 48, bass 33 on their own channels; the Standard kit (bank 128, program 0) on channel 10.
    let programs = Set(
      lines.filter { $0.hasPrefix("program") && !$0.hasPrefix("program 9 ") }.map { $0.split(separator: " ").last! })
    #expect(programs == ["0", "48", "33"], "\(out)")
    #expect(lines.contains("program 9 0"), "\(out)")
  }

  @Test("a preset outside bank 0 is written with a bank select before its program")
  func bankSelect() async throws {
    guard FileManager.default.fileExists(atPath: Self.font) else { return }
    let dir = Scratch.folder()
    try "import x from \"sf_GMbank#127:10\";\nmelody { x C4 0; }\n".write(
      toFile: "\(dir)/b.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/b.pattern", "-o", "\(dir)/b.wav", "--midi", "\(dir)/b.mid"])
    #expect(r.status == 0, "\(r.stderr)")
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.mid")))
    // Channel 1: control change 0 (bank select MSB) = 127, then program change 10.
    let pattern: [UInt8] = [0xB0, 0, 127, 0, 0xC0, 10]
    #expect((0...(bytes.count - pattern.count)).contains { Array(bytes[$0..<$0 + pattern.count]) == pattern })
  }

  @Test("the SFZ marimba example renders; its round robin alternates strikes on a repeated note")
  func marimba() async throws {
    _ = try await Self.render("marimba")
    // The same note twice: the two strikes are different samples (seq_length=2).
    let dir = Scratch.folder()
    try "import m from \"marimba\";\ntempo 60;\nmelody { m C4 0 vel=1; m C4 2 vel=1; }\n".write(
      toFile: "\(dir)/rr.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/rr.pattern", "-o", "\(dir)/rr.wav", "--bits", "32f"])
    #expect(r.status == 0, "\(r.stderr)")
    let (_, samples) = try AudioFileReader.readFloat(path: "\(dir)/rr.wav")
    let first = Array(samples[0..<(2 * 24_000)])
    let second = Array(samples[(2 * 96_000)..<(2 * 96_000 + 2 * 24_000)])
    let difference = zip(first, second).map { abs($0 - $1) }.max()!
    #expect(difference > 1e-3, "the two strikes are identical")
  }
}
