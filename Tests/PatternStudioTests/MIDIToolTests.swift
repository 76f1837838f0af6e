import Foundation
import PatternAudioIO
import PatternLanguage
import PatternMIDI
import PatternStudio
import Testing

/// Independent readers of our MIDI files: Python's mido and FluidSynth with a General MIDI SoundFont.
/// `Scripts/setup` (run by `Scripts/test`) installs both; without them these tests are skipped.
enum Tools {
  static func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let path = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  static let mido: Bool = {
    guard let python = which("python3") else { return false }
    return (try? run(python, ["-c", "import mido"]).status) == 0
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
    let path = scratchFolder() + "/onsets.mid"
    try Renderer().writeMIDI(compiled, to: path)
    return (path, compiled.score)
  }

  @Test("mido lists the same notes (track, channel, key, velocity, ticks) as the score", .enabled(if: Tools.mido))
  func mido() throws {
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
    let out = try Tools.run(Tools.which("python3")!, ["-c", script, path])
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

  @Test("FluidSynth renders the file with a GM SoundFont: notes sound where ours do", .enabled(if: Tools.fluidsynth))
  func fluidsynth() throws {
    let (path, score) = try midiFile()
    let wav = path.replacingOccurrences(of: ".mid", with: ".wav")
    let r = try Tools.run(
      Tools.which("fluidsynth")!, ["-ni", "-q", "-g", "1", "-F", wav, "-r", "48000", Tools.soundFont, path])
    #expect(r.status == 0)
    let theirs = onsets(try AudioFileReader.readFloat(path: wav).samples, rate: 48_000)
    let compiled = Renderer().compile(SourceFile(name: "onsets.pattern", text: Self.song))
    let pcm = try Renderer().renderPCM(compiled, options: RenderOptions())
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
