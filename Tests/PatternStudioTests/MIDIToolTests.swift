import Foundation
import PatternAudioIO
import PatternLanguage
import PatternMIDI
import PatternStudio
import TestSupport
import Testing

/// Independent readers of our MIDI files: Python's mido and FluidSynth with a General MIDI SoundFont.
/// `Scripts/setup` (run by `Scripts/test`) installs both; without them these tests are skipped.
enum Tools {
  static func which(_ name: String) -> String? { ProcessRunner.which(name) }

  /// Runs a tool (off the cooperative pool); stdout only.
  static func run(_ tool: String, _ args: [String]) async throws -> (status: Int32, out: String) {
    let r = try await ProcessRunner.run(tool, args)
    return (r.status, r.stdout)
  }

  static let mido: Bool = {
    guard let python = which("python3") else { return false }
    return (try? ProcessRunner.runBlocking(python, ["-c", "import mido"]).status) == 0
  }()
  static let soundFont = "/usr/share/sounds/sf2/TimGM6mb.sf2"
  static let fluidsynth: Bool = which("fluidsynth") != nil && FileManager.default.fileExists(atPath: soundFont)
}

/// Times (seconds) where the level jumps: 5 ms windows, a window louder than 4× the one 10 ms before and above
/// 5 % of the loudest, at least 150 ms after the previous onset.
func onsets(_ stereo: [Float], rate: Int) -> [Double] {
  let window = rate / 200
  let count = stereo.count / 2 / window
  var level = [Float](repeating: 0, count: count)
  for w in 0..<count {
    for i in (w * window)..<((w + 1) * window) { level[w] = max(level[w], abs(stereo[2 * i]), abs(stereo[2 * i + 1])) }
  }
  let loudest = level.max() ?? 0
  var found: [Double] = []
  for w in 0..<count where level[w] > 0.05 * loudest && level[w] > 4 * max(w >= 2 ? level[w - 2] : 0, 1e-6) {
    let t = Double(w * window) / Double(rate)
    if let last = found.last, t - last < 0.15 { continue }
    found.append(t)
  }
  return found
}

@Suite("MIDI files read by independent tools")
struct MIDIToolTests {
  static let song = """
    title "Onsets"; tempo 120;
    melody { piano C4 0 dur=0.4; piano G4 2 dur=0.4 vel=90; piano [C5 E5] 5 dur=0.4; }
    rhythm { synth Kick 1; synth Snare 3; synth Kick 4; synth HiHat 6 vel=0.8; }
    harmony { guitar E2 7 dur=1/3; }
    """

  func midiFile() throws -> (path: String, score: Score) {
    let compiled = Renderer().compile(SourceFile(name: "onsets.pattern", text: Self.song))
    let path = Scratch.folder() + "/onsets.mid"
    try Renderer().writeMIDI(compiled, to: path)
    return (path, compiled.score)
  }

  @Test("mido lists the same notes (track, channel, key, velocity, ticks) as the score", .enabled(if: Tools.mido))
  func mido() async throws {
    let (path, score) = try midiFile()
    let script = """
      import mido, sys
      m = mido.MidiFile(sys.argv[1])
      assert m.type == 1 and m.ticks_per_beat == 960
      for i, t in enumerate(m.tracks):
          tick, open = 0, {}
          for msg in t:
              tick += msg.time
              if msg.type == 'note_on' and msg.velocity > 0:
                  open.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
              elif msg.type in ('note_off', 'note_on'):
                  start, vel = open[(msg.channel, msg.note)].pop(0)
                  print(i, msg.channel, msg.note, vel, start, tick)
      """
    let out = try await Tools.run(Tools.which("python3")!, ["-c", script, path])
    #expect(out.status == 0)
    let fromMido = Set(out.out.split(separator: "\n").map(String.init))
    let expected = Set(
      score.events.map { e -> String in
        let key: UInt8
        let channel: Int
        switch e.note {
        case .pitch(let m):
          key = UInt8(m)
          channel = e.instrumentName == "piano" ? 0 : 1
        case .hit(let h):
          key = GeneralMIDI.drumKey(h)!
          channel = 9
        }
        let start = MIDIExport.tick(e.start)
        let end = max(start + 1, MIDIExport.tick(e.start + e.duration))
        return "\(e.track + 1) \(channel) \(key) \(Int((e.velocity * 127).rounded())) \(start) \(end)"
      })
    #expect(fromMido == expected)
    #expect(fromMido.count == 9)
  }

  @Test(
    "every shipped module exports with its own General MIDI program, in its GM family (read back by mido)",
    .enabled(if: Tools.mido))
  func shippedPrograms() async throws {
    let library = InstrumentLibrary.load(.standard())
    let modules = ["grand", "guitar", "bass", "organ", "strings", "lead", "pad", "sine", "triangle", "saw", "square"]
    // GM families (0-based programs): piano 0–7, guitar 24–31, bass 32–39, organ 16–23, strings 40–55, lead 80–87,
    // pad 88–95; the plain waves keep their built-ins' programs.
    let expected: [String: Int] = [
      "grand": 0, "guitar": 25, "bass": 33, "organ": 16, "strings": 48, "lead": 81, "pad": 88, "sine": 79,
      "triangle": 73, "saw": 81, "square": 80,
    ]
    let families: [String: ClosedRange<Int>] = [
      "grand": 0...7, "guitar": 24...31, "bass": 32...39, "organ": 16...23, "strings": 40...55, "lead": 80...87,
      "pad": 88...95,
    ]
    var text =
      modules.map { "import m_\($0) from \"\($0)\";" }.joined(separator: "\n") + "\nimport kit from \"drums\";\n"
    for (i, m) in modules.enumerated() {
      let range = library.catalog.module(m)!.playable
      guard case .pitches(let keys) = range else { continue }
      text += "melody { m_\(m) \(Pitch.name(ofMIDI: (keys.lowerBound + keys.upperBound) / 2)) \(i); }\n"
    }
    text += "rhythm { kit Kick 0; }\n"
    let compiled = Renderer(instruments: .standard()).compile(SourceFile(name: "modules.pattern", text: text))
    #expect(compiled.succeeded, "\(compiled.diagnostics.map(\.message))")
    let path = Scratch.folder() + "/modules.mid"
    try Renderer(instruments: .standard()).writeMIDI(compiled, to: path)
    let script = """
      import mido, sys
      for i, t in enumerate(mido.MidiFile(sys.argv[1]).tracks):
          for msg in t:
              if msg.type == 'program_change':
                  print(i, msg.channel, msg.program)
      """
    let out = try await Tools.run(Tools.which("python3")!, ["-c", script, path])
    #expect(out.status == 0)
    // Track i + 1 holds module i (track 0 is the conductor); the kit plays on channel 10 with no program.
    let programs = Dictionary(
      uniqueKeysWithValues: out.out.split(separator: "\n").map { line -> (Int, Int) in
        let f = line.split(separator: " ").compactMap { Int($0) }
        return (f[0], f[2])
      })
    for (i, m) in modules.enumerated() {
      #expect(programs[i + 1] == expected[m], "\(m): program \(String(describing: programs[i + 1]))")
      if let family = families[m] { #expect(family.contains(programs[i + 1] ?? -1), "\(m) outside its GM family") }
    }
    #expect(programs[modules.count + 1] == nil, "the kit has no program change")
  }

  @Test("FluidSynth renders the file with a GM SoundFont: notes sound where ours do", .enabled(if: Tools.fluidsynth))
  func fluidsynth() async throws {
    let (path, score) = try midiFile()
    let wav = path.replacingOccurrences(of: ".mid", with: ".wav")
    let r = try await Tools.run(
      Tools.which("fluidsynth")!, ["-ni", "-q", "-g", "1", "-F", wav, "-r", "48000", Tools.soundFont, path])
    #expect(r.status == 0)
    let theirs = onsets(try AudioFileReader.readFloat(path: wav).samples, rate: 48_000)
    let compiled = Renderer().compile(SourceFile(name: "onsets.pattern", text: Self.song))
    let pcm = try Renderer().renderPCM(compiled)
    let ours = onsets(pcm.map { Float($0) / 32768 }, rate: 48_000)
    // 120 BPM: a note every beat = 0.5 s (two at beat 5 are one onset).
    let expected = Array(Set(score.events.map { $0.start.doubleValue / 2 })).sorted()
    #expect(expected == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5])
    for (name, found) in [("FluidSynth", theirs), ("Pattern Studio", ours)] {
      #expect(found.count == expected.count, "\(name): \(found)")
      for (t, e) in zip(found, expected) { #expect(abs(t - e) < 0.03, "\(name): onset at \(t) s, note at \(e) s") }
    }
  }
}
