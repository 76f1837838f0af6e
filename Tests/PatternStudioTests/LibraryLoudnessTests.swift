import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// The shipped library is calibrated: every module's reference note lands at one loudness, so any module can
/// replace another in an arrangement without hand-tuned gains (docs/INSTRUMENTS.md, "Levels and velocity").
@Suite("The shipped library is level-matched")
struct LibraryLoudnessTests {
  /// The reference loudness of one note, LUFS, and how far a module may stray from it, LU.
  static let reference = -20.0
  static let tolerance = 1.5

  /// The shipped folder's modules and the built-ins (not the system's SoundFonts).
  static func shipped() -> (Renderer, [(name: String, importLine: String, playable: Playable)]) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Instruments").path
    let library = InstrumentLibrary.load(InstrumentSearchPath(folders: [folder]))
    var entries: [(String, String, Playable)] = []
    for e in library.listing where e.source == "built-in" || e.source.hasPrefix(folder) {
      let isBuiltIn = e.source == "built-in"
      entries.append(
        (
          isBuiltIn ? e.name : "module \(e.name)", isBuiltIn ? "" : "import x from \"\(e.name)\";",
          e.instrument.playable
        ))
    }
    return (Renderer(instruments: InstrumentSearchPath(folders: [folder])), entries)
  }

  /// The reference note: full velocity, the middle of the range, 2 beats at 120 BPM; a kit's bar of kick,
  /// snare and eighth-note hats.
  static func song(_ importLine: String, _ name: String, _ playable: Playable) -> String {
    switch playable {
    case .pitches(let r):
      let middle = Pitch.name(ofMIDI: (r.lowerBound + r.upperBound) / 2)
      return "\(importLine)\ntempo 120;\nmelody { \(name) \(middle) 0 dur=2 vel=1; }\n"
    case .hits:
      var hits = (0..<4).map { "\(name) Kick \($0);" } + [1, 3].map { "\(name) Snare \($0);" }
      hits += (0..<8).map { "\(name) HiHat \(Double($0) / 2);" }
      return "\(importLine)\ntempo 120;\nrhythm { \(hits.joined(separator: " ")) }\n"
    }
  }

  @Test("every shipped module's reference note is −20 LUFS ± 1.5 LU by libebur128 and by pyloudnorm")
  func everyModuleAtTheReference() async throws {
    let (renderer, modules) = Self.shipped()
    #expect(modules.count >= 20, "\(modules.map(\.name))")
    let dir = Scratch.folder()
    var measured: [(name: String, lufs: Double, file: String)] = []
    for (i, m) in modules.enumerated() {
      let player = m.importLine.isEmpty ? m.name : "x"
      let compiled = renderer.compile(
        SourceFile(name: "\(i).pattern", text: Self.song(m.importLine, player, m.playable)))
      #expect(compiled.succeeded, "\(m.name): \(compiled.diagnostics)")
      let file = "\(dir)/\(i).wav"
      let meter = LoudnessSink()
      try renderer.render(
        compiled,
        settings: RenderSettings(format: AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)),
        into: [meter, FileSink(path: file)])
      measured.append((m.name, meter.meter!.integratedLUFS, file))
    }
    for m in measured {
      #expect(abs(m.lufs - Self.reference) <= Self.tolerance, "\(m.name): \(m.lufs) LUFS (libebur128)")
    }
    let spread = measured.map(\.lufs).max()! - measured.map(\.lufs).min()!
    #expect(spread <= 2 * Self.tolerance, "the library spans \(spread) LU")
    // The independent meter: pyloudnorm (BS.1770-4 in numpy), on the same files.
    guard let python = ProcessRunner.which("python3"),
      (try? ProcessRunner.runBlocking(python, ["-c", "import pyloudnorm, soundfile"]).status) == 0
    else { return }
    let script = """
      import sys, soundfile, pyloudnorm
      for path in sys.argv[1:]:
          x, rate = soundfile.read(path)
          print(pyloudnorm.Meter(rate).integrated_loudness(x))
      """
    let out = try await ProcessRunner.run(python, ["-c", script] + measured.map(\.file))
    let independent = out.stdout.split(separator: "\n").compactMap { Double($0) }
    #expect(independent.count == measured.count, "\(out.stderr)")
    for (m, lufs) in zip(measured, independent) {
      #expect(abs(lufs - Self.reference) <= Self.tolerance, "\(m.name): \(lufs) LUFS (pyloudnorm)")
      // The two meters gate the last partial 400 ms block of a 1 … 2 s note differently: up to ~0.4 LU apart.
      #expect(abs(lufs - m.lufs) < 0.5, "\(m.name): libebur128 \(m.lufs), pyloudnorm \(lufs)")
    }
  }

  @Test("velocity follows one curve: vel 0.5 is 6 dB under vel 1 on a synth, a sampler and a kit")
  func velocityCurve() throws {
    let (renderer, _) = Self.shipped()
    func loudness(_ text: String) throws -> Double {
      let meter = LoudnessSink()
      try renderer.render(
        renderer.compile(SourceFile(name: "v.pattern", text: text)),
        settings: RenderSettings(format: AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)),
        into: [meter])
      return meter.meter!.integratedLUFS
    }
    for (line, note) in [("import x from \"lead\";", "C5"), ("import x from \"organ\";", "C4"), ("", "C4")] {
      let player = line.isEmpty ? "saw" : "x"
      let full = try loudness("\(line)\ntempo 120;\nmelody { \(player) \(note) 0 dur=2 vel=1; }")
      let half = try loudness("\(line)\ntempo 120;\nmelody { \(player) \(note) 0 dur=2 vel=0.5; }")
      #expect(abs(full - half - 6.02) < 0.3, "\(line) \(player): \(full) vs \(half)")
    }
  }
}
