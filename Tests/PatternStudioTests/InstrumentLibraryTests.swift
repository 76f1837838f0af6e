import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("Instrument files and import resolution")
struct InstrumentLibraryTests {
  func folder(_ files: [String: String]) throws -> String {
    let dir = Scratch.folder()
    for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
    return dir
  }

  func diagnostics(_ song: String, _ dir: String) -> [String] {
    let r = Renderer(instruments: InstrumentSearchPath(folders: [dir]))
    return r.compile(SourceFile(name: "s.pattern", text: song)).diagnostics.map {
      "\($0.range.start.line):\($0.range.start.column) \($0.message) | \($0.hint ?? "")"
    }
  }

  @Test(
    "malformed instrument files give an error naming the file, the field and what was expected",
    arguments: [
      ("{", "x.json: is not valid JSON"),
      ("[1, 2]", "x.json: expected a JSON object"),
      (
        #"{"wave": "saw"}"#,
        "x.json: kind: expected one of \"synth\", \"pluck\", \"piano\", \"grand\", \"kit\", \"sampler\""
      ),
      (
        #"{"kind": "synt"}"#,
        "x.json: kind: expected one of synth, pluck, piano, grand, kit, sampler, found \"synt\" — did you mean 'synth'?"
      ),
      (#"{"kind": "synth", "wav": "saw"}"#, "x.json: wav: unknown field for a synth — did you mean 'wave'?"),
      (
        #"{"kind": "synth", "envelope": {"atack": 0.1}}"#,
        "x.json: envelope.atack: unknown field — did you mean 'attack'?"
      ),
      (
        #"{"kind": "synth", "envelope": {"attack": "fast"}}"#,
        "x.json: envelope.attack: expected a number 0 … 60 seconds, found \"fast\""
      ),
      (#"{"kind": "synth", "gain": 40}"#, "x.json: gain: expected a number -48 … 24 dB, found 40"),
      (#"{"kind": "synth", "pan": true}"#, "x.json: pan: expected a number -1 … 1"),
      (#"{"kind": "piano", "range": ["C6", "C2"]}"#, "x.json: range: the lowest pitch comes first"),
      (#"{"kind": "pluck", "range": ["C2"]}"#, "x.json: range: expected two pitches"),
      (
        #"{"kind": "kit", "hits": {"BD": "kik"}}"#,
        "x.json: hits.BD: expected a recipe: kick, snare, hihat, crash, tom, found \"kik\" — did you mean 'kick'?"
      ),
      (#"{"kind": "kit"}"#, "x.json: hits: expected an object of hit names to recipes"),
      (
        #"{"kind": "synth", "program": 128}"#,
        "x.json: program: expected a number 0 … 127 (a General MIDI program, 0-based), found 128"
      ),
      (#"{"kind": "synth", "program": 2.5}"#, "x.json: program: expected a whole number 0 … 127"),
    ])
  func malformed(_ text: String, _ expected: String) throws {
    let dir = try folder(["x.json": text])
    let found = diagnostics("import x from \"x\";\nmelody { }", dir)
    #expect(found.count == 1)
    #expect(found.first?.hasPrefix("1:15 instrument module \"x\" cannot be used | \(expected)") == true, "\(found)")
  }

  @Test("module names cannot leave the instrument folders: ../x, /x and links out are errors at the import")
  func escapes() throws {
    let outside = Scratch.folder()
    try #"{"kind": "synth"}"#.write(toFile: "\(outside)/x.json", atomically: true, encoding: .utf8)
    let dir = try folder(["ok.json": #"{"kind": "synth"}"#])
    try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.json", withDestinationPath: "\(outside)/x.json")
    let found = diagnostics(
      "import a from \"../x\";\nimport b from \"/tmp/x\";\nimport c from \"link\";\nimport d from \"ok\";\nimport e from \"okk\";\nmelody { d C4 0; }",
      dir)
    #expect(found.count == 4, "\(found)")
    #expect(found[0].hasPrefix("1:15 module \"../x\" is not a plain name"))
    #expect(found[1].hasPrefix("2:15 module \"/tmp/x\" is not a plain name"))
    #expect(found[2].hasPrefix("3:15 instrument module \"link\" cannot be used | link.json is a link to"))
    #expect(found[2].contains("outside its instrument folder"))
    #expect(found[3].hasPrefix("5:15 unknown instrument module \"okk\" | did you mean 'ok'?"))
  }

  @Test("a file synth plays A4 at 440 Hz within a cent, with its gain and pan; a kit maps its own hit names")
  func fileInstrumentsSound() throws {
    let dir = try folder([
      "tone.json":
        #"{"kind": "synth", "wave": "sine", "gain": -6, "pan": -1, "envelope": {"attack": 0.01, "sustain": 1}}"#,
      "beats.json": #"{"kind": "kit", "hits": {"BD": "kick", "Hat": "hihat"}}"#,
    ])
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: [dir]))
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    let compiled = renderer.compile(
      SourceFile(name: "s", text: "import t from \"tone\"; tempo 60; melody { t A4 0 dur=2; }"))
    #expect(compiled.succeeded)
    let pcm = try renderer.renderPCM(compiled, settings: RenderSettings(format: format)).map {
      Float(bitPattern: UInt32(bitPattern: $0))
    }
    let left = stride(from: 0, to: pcm.count, by: 2).map { Double(pcm[$0]) }
    let right = stride(from: 1, to: pcm.count, by: 2).map { Double(pcm[$0]) }
    // Zero crossings (rising), interpolated, between 0.2 s and 1.8 s.
    var crossings: [Double] = []
    for i in 9_600..<86_400 where left[i - 1] < 0 && left[i] >= 0 {
      crossings.append(Double(i - 1) + left[i - 1] / (left[i - 1] - left[i]))
    }
    let hz = 48_000 * Double(crossings.count - 1) / (crossings.last! - crossings.first!)
    #expect(abs(1200 * log2(hz / 440)) < 1, "\(hz) Hz")
    #expect(right.map(abs).max()! < 1e-6)  // pan -1: all left
    let peak = left.map(abs).max()!
    // The built-in sine's calibrated level (0.196) at -6 dB; fully left, the left gain is 1.
    #expect(abs(peak - 0.196 * pow(10, -6.0 / 20)) < 0.002, "\(peak)")
    let kit = renderer.compile(SourceFile(name: "k", text: "import b from \"beats\"; rhythm { b BD 0; b Hat 0.5; }"))
    #expect(kit.succeeded)
    let drums = try renderer.renderPCM(kit)
    #expect(drums.map(abs).max()! > 1000)
  }

  @Test(
    "search order: --instruments folders, then PSTUDIO_INSTRUMENTS; files shadow built-in modules; loads are cached")
  func searchAndCache() async throws {
    let first = try folder(["grand.json": #"{"kind": "synth", "wave": "saw", "range": ["C2", "C5"]}"#])
    let second = try folder([
      "grand.json": #"{"kind": "synth", "wave": "sine"}"#, "extra.json": #"{"kind": "pluck"}"#,
    ])
    let path = InstrumentSearchPath(folders: [first, second])
    let library = InstrumentLibrary.load(path)
    #expect(library.sources["grand"] == "\(first)/grand.json")
    #expect(library.sources["extra"] == "\(second)/extra.json")
    #expect(library.catalog.module("grand")?.playable == .pitches(36...72))
    #expect(library.catalog.module("drums") != nil)  // built-in modules stay
    // Unchanged files: the cached library (same patches); a changed file is read again.
    #expect(InstrumentLibrary.load(path).patches == library.patches)
    try #"{"kind": "synth", "wave": "saw", "range": ["C2", "C6"]}"#.write(
      toFile: "\(first)/grand.json", atomically: true, encoding: .utf8)
    #expect(InstrumentLibrary.load(path).catalog.module("grand")?.playable == .pitches(36...84))
    // The CLI: --instruments, and the environment variable.
    let r = try await CLI.run(["instruments", "--instruments", first, "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    #expect((json["grand"] as? [String])?.first == "C2")
    let listed = try await CLI.run(["instruments", "--instruments", second])
    #expect(listed.stdout.contains("\"extra\"") && listed.stdout.contains("\(second)/extra.json"))
  }
}

@Suite("SoundFont modules are listed without parsing the fonts")
struct LazySoundFontTests {
  @Test("a font's presets are modules at once; one imported preset gets its real range and sound")
  func lazyPresets() throws {
    let font = "/usr/share/sounds/sf2/sf_GMbank.sf2"
    guard FileManager.default.fileExists(atPath: font) else { return }
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: []))
    let names = renderer.catalog.modules.map(\.name)
    #expect(names.contains("sf_GMbank#0") && names.contains("sf_GMbank#128:0"))
    let compiled = renderer.compile(
      SourceFile(
        name: "t.pattern",
        text: """
          import piano from "sf_GMbank#0"; import kit from "sf_GMbank#128:0";
          melody { piano C4 0; } rhythm { kit Kick 0; kit Snare 1; }
          """))
    #expect(compiled.succeeded, "\(compiled.diagnostics)")
    let piano = try #require(renderer.catalog.module("sf_GMbank#0"))
    guard case .pitches(let range) = piano.playable else { Issue.record("not pitched"); return }
    #expect(range.lowerBound < 60 && range.upperBound > 60)
    #expect(piano.summary.contains("SoundFont sf_GMbank.sf2, bank 0, program 0"))
    let samples = try renderer.renderPCM(compiled, settings: RenderSettings(threads: 1))
    #expect(samples.contains { $0.magnitude > 100 })
  }
}
