import Foundation
import TestSupport
import Testing

/// The sampler against the field's reference players, on the same notes: FluidSynth for SoundFonts (the
/// public-domain `sf_GMbank.sf2` from Debian's csound-soundfont) and sfizz (PyPI pysfizz) for an SFZ
/// instrument the test builds from samples it synthesises. `Scripts/oracle/compare.py` measures both files:
/// onsets (ours are exact to the frame; FluidSynth's land on 64-frame blocks, so the reference is aligned by
/// its measured onset first), pitch (±5 cents), the RMS envelope at 10 points (±1.5 dB) and the release
/// length (±10 ms).
@Suite("SF2 and SFZ sound like FluidSynth and sfizz")
struct ReferencePlayerTests {
  static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts/oracle").path
  static let font = "/usr/share/sounds/sf2/sf_GMbank.sf2"
  static let python = ProcessRunner.which("python3")
  static func imports(_ module: String) -> Bool {
    guard let python else { return false }
    return (try? ProcessRunner.runBlocking(python, ["-c", "import \(module)"]).status) == 0
  }
  static let hasFluidSynth =
    ProcessRunner.which("fluidsynth") != nil && FileManager.default.fileExists(atPath: font) && imports("numpy")
  static let hasSfizz = imports("pysfizz") && imports("numpy")

  /// Runs an oracle script; a failure shows what it printed.
  static func oracle(_ script: String, _ args: [String]) async throws -> ProcessResult {
    try await ProcessRunner.run(python!, ["\(oracle)/\(script)"] + args)
  }

  /// Renders `song` with pstudio (32-bit float), the same note through `reference`, and compares them.
  /// - Returns: compare.py's exit status and output.
  static func compare(
    song: String, note: (key: Int, velocity: Int, seconds: Double, program: Int), in dir: String,
    instruments: [String] = [], reference: [String], compareArgs: [String] = []
  ) async throws -> ProcessResult {
    try song.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let render = try await ProcessRunner.run(
      ProcessRunner.pstudio,
      ["render", "-q", "--bits", "32f", "\(dir)/song.pattern", "-o", "\(dir)/ours.wav"] + instruments)
    #expect(render.status == 0, "\(render.stderr)")
    // The song plays its note at beat 0.2 of 120 BPM: 0.1 s, as the MIDI file does.
    let spec = "\(note.key),\(note.velocity),0.1,\(note.seconds),\(note.program)"
    let midi = try await oracle("make_midi.py", ["\(dir)/note.mid", "--note", spec])
    #expect(midi.status == 0, "\(midi.stderr)")
    let ref = try await oracle("render_refs.py", reference + ["\(dir)/note.mid", "\(dir)/ref.wav"])
    #expect(ref.status == 0, "\(ref.stderr)")
    return try await oracle(
      "compare.py",
      ["\(dir)/ours.wav", "\(dir)/ref.wav", "--note", "0.1,\(0.1 + note.seconds),\(note.key)"] + compareArgs)
  }

  @Test(
    "SF2 presets (piano, strings, guitar, a soft piano note, organ) match FluidSynth: pitch, RMS envelope, release",
    .enabled(if: hasFluidSynth),
    arguments: [
      (program: 0, pitch: "C4", key: 60, velocity: 100), (48, "C4", 60, 100), (24, "E3", 52, 100),
      (0, "C4", 60, 45), (19, "A3", 57, 90),
    ])
  func fluidSynth(program: Int, pitch: String, key: Int, velocity: Int) async throws {
    let dir = Scratch.folder()
    let song = """
      import p from "sf_GMbank#\(program)";
      tempo 120;
      melody { p \(pitch) 0.2 dur=2 vel=\(velocity); }
      """
    let result = try await Self.compare(
      song: song, note: (key, velocity, 1.0, program), in: dir,
      reference: ["fluidsynth", Self.font])
    #expect(result.status == 0, "compare.py: \(result.stdout)\(result.stderr)")
  }

  /// sfizz's output bus is a constant 8.5 dB below ours for every note, key and velocity (measured: its
  /// −7.35 dB master volume and its default CC 7 = 100 through the x² curve, less its mono pan); the
  /// comparison removes that one constant, never a per-note fit. Below −80 dB sfizz ends its release with a
  /// 50 ms linear fade (its 1e-4 floor): the envelope floor is −80 dBFS.
  static let sfizzBus = ["--ref-gain-db", "8.5", "--floor-db", "-80"]

  @Test(
    "an SFZ instrument (key and velocity layers, ADSR, a smpl-chunk loop, a release sample) matches sfizz",
    .enabled(if: hasSfizz),
    arguments: [
      (pitch: "C4", key: 60, velocity: 100, seconds: 1.0), ("C4", 60, 50, 1.0), ("C3", 48, 100, 1.0),
      ("C5", 72, 100, 2.0),
    ])
  func sfizz(pitch: String, key: Int, velocity: Int, seconds: Double) async throws {
    let dir = Scratch.folder()
    let made = try await Self.oracle("make_sfz_fixture.py", ["\(dir)/instruments/fixture"])
    #expect(made.status == 0, "\(made.stderr)")
    let song = """
      import p from "fixture";
      tempo 120;
      melody { p \(pitch) 0.2 dur=\(seconds * 2) vel=\(velocity); }
      """
    let result = try await Self.compare(
      song: song, note: (key, velocity, seconds, 0), in: dir, instruments: ["--instruments", "\(dir)/instruments"],
      reference: ["sfizz", "\(dir)/instruments/fixture/oracle_piano.sfz"], compareArgs: Self.sfizzBus)
    #expect(result.status == 0, "compare.py: \(result.stdout)\(result.stderr)")
  }
}
