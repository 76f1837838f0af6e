import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("Sampler instruments")
struct SamplerTests {
  /// A folder with two 44.1 kHz samples rendered by pstudio itself (a sine and a square at A4) and `files`.
  func library(_ files: [String: String]) async throws -> String {
    let dir = Scratch.folder()
    try FileManager.default.createDirectory(atPath: "\(dir)/s", withIntermediateDirectories: true)
    for (name, wave) in [("sine", "sine"), ("square", "square")] {
      let r = try await CLI.run(
        ["render", "-", "-o", "\(dir)/s/\(name).flac", "--rate", "44100", "--bits", "24", "-q"],
        stdin: "tempo 60; melody { \(wave) A4 0 dur=3 attack=0 decay=0 sustain=1 release=0.01 vel=0.8; }")
      #expect(r.status == 0, "\(r.stderr)")
    }
    for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
    return dir
  }

  func render(_ song: String, _ dir: String, rate: Int = 48_000) throws -> (left: [Double], right: [Double]) {
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: [dir]))
    let compiled = renderer.compile(SourceFile(name: "s", text: song))
    #expect(compiled.succeeded, "\(compiled.diagnostics.map(\.message))")
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: rate)
    let pcm = try renderer.renderPCM(compiled, settings: RenderSettings(format: format)).map {
      Double(Float(bitPattern: UInt32(bitPattern: $0)))
    }
    return (
      stride(from: 0, to: pcm.count, by: 2).map { pcm[$0] }, stride(from: 1, to: pcm.count, by: 2).map { pcm[$0] }
    )
  }

  /// Frequency from rising zero crossings (interpolated) between two frames.
  func frequency(_ x: [Double], rate: Int, from a: Int, to b: Int) -> Double {
    var crossings: [Double] = []
    for i in (a + 1)..<b where x[i - 1] < 0 && x[i] >= 0 {
      crossings.append(Double(i - 1) + x[i - 1] / (x[i - 1] - x[i]))
    }
    return Double(rate) * Double(crossings.count - 1) / (crossings.last! - crossings.first!)
  }

  @Test("a sampler plays every note of its range in tune (within 1 cent), at any render rate")
  func inTune() async throws {
    let dir = try await library([
      "tone.json": #"{"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "A4", "keys": ["A2", "A6"]}]}"#
    ])
    for (note, hz) in [("A2", 110.0), ("E4", 329.627_556_9), ("A4", 440.0), ("C#5", 554.365_261_95), ("A6", 1760.0)] {
      for rate in [48_000, 96_000] {
        // At A6 the 3 s sample lasts 0.75 s: measure 0.05 … 0.45 s.
        let (left, _) = try render("import t from \"tone\"; tempo 60; melody { t \(note) 0 dur=0.5; }", dir, rate: rate)
        let f = frequency(left, rate: rate, from: rate / 20, to: rate * 9 / 20)
        #expect(abs(1200 * log2(f / hz)) < 1, "\(note) at \(rate) Hz: \(f) Hz")
      }
    }
  }

  @Test("velocity layers switch zones; a loop sustains past the sample's end without a click")
  func layersAndLoops() async throws {
    let dir = try await library([
      "layers.json": #"""
      {"kind": "sampler", "zones": [
        {"sample": "s/sine.flac", "root": "A4", "keys": ["C3", "C6"], "velocity": [0, 0.5]},
        {"sample": "s/square.flac", "root": "A4", "keys": ["C3", "C6"], "velocity": [0.51, 1]}]}
      """#,
      // 44,000 frames is not a whole number of periods at 440 Hz: without the crossfade the wrap would click.
      "pad.json": #"""
      {"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "A4", "keys": ["A4", "A4"],
        "loop": {"start": 22050, "end": 66050, "crossfade": 512}, "release": 0.1}]}
      """#,
    ])
    // Ping-pong: reverses at both ends, so it is continuous without a crossfade.
    try #"""
    {"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "A4", "keys": ["A4", "A4"],
      "loop": {"start": 22050, "end": 66050, "mode": "pingpong"}, "release": 0.1}]}
    """#.write(toFile: "\(dir)/pp.json", atomically: true, encoding: .utf8)
    let pingPong = try render("import p from \"pp\"; tempo 60; melody { p A4 0 dur=6; }", dir).left
    var ppSteady = 0.0
    for i in 4_801..<48_000 { ppSteady = max(ppSteady, abs(pingPong[i] - pingPong[i - 1])) }
    var ppWorst = 0.0
    for i in 48_001..<(6 * 48_000 - 4_800) { ppWorst = max(ppWorst, abs(pingPong[i] - pingPong[i - 1])) }
    #expect(
      // Still sounding at 5 s (the sample, a sine at the calibrated library level, peaks near 0.04 here).
      ppWorst <= ppSteady * 1.05 && pingPong[(5 * 48_000)..<(5 * 48_000 + 4_800)].map(abs).max()! > 0.03,
      "steps \(ppWorst) vs \(ppSteady), level \(pingPong[(5 * 48_000)..<(5 * 48_000 + 4_800)].map(abs).max()!)")
    // Soft and loud notes: a square has odd harmonics, so its peak-to-RMS ratio is ~1, a sine's √2.
    let soft = try render("import l from \"layers\"; melody { l A4 0 dur=1 vel=0.3; }", dir).left
    let loud = try render("import l from \"layers\"; melody { l A4 0 dur=1 vel=0.9; }", dir).left
    func crest(_ x: [Double]) -> Double {
      let part = x[4_800..<43_200]
      return part.map(abs).max()! / (part.map { $0 * $0 }.reduce(0, +) / Double(part.count)).squareRoot()
    }
    #expect(abs(crest(soft) - 2.0.squareRoot()) < 0.05, "\(crest(soft))")
    #expect(crest(loud) < 1.2, "\(crest(loud))")
    // 8 s of a 3 s sample: it loops, keeps sounding, and never jumps more than a sine step does.
    let (held, _) = try render("import p from \"pad\"; tempo 60; melody { p A4 0 dur=8; }", dir)
    #expect(held.count >= 8 * 48_000)
    let early = held[24_000..<28_800].map(abs).max()!
    let late = held[(7 * 48_000)..<(7 * 48_000 + 4_800)].map(abs).max()!
    #expect(late > 0.9 * early && late < 1.1 * early, "the loop keeps sounding: \(late) vs \(early)")
    var steady = 0.0
    for i in 4_801..<48_000 { steady = max(steady, abs(held[i] - held[i - 1])) }
    var worst = 0.0
    for i in 48_001..<(8 * 48_000 - 4_800) { worst = max(worst, abs(held[i] - held[i - 1])) }
    #expect(worst <= steady * 1.05, "largest step \(worst) vs a sine's \(steady)")
  }

  @Test("sampler file errors: missing sample, a sample outside the folder, bad loop, bad layer")
  func errors() async throws {
    let dir = try await library([
      "a.json": #"{"kind": "sampler", "zones": [{"sample": "s/none.flac", "root": "A4"}]}"#,
      "b.json": #"{"kind": "sampler", "zones": [{"sample": "../x.flac", "root": "A4"}]}"#,
      "c.json":
        #"{"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "A4", "loop": {"start": 10, "end": 5}}]}"#,
      "d.json": #"{"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "A4", "velocity": [1, 0.5]}]}"#,
      "e.json": #"{"kind": "sampler", "zones": [{"sample": "s/sine.flac", "root": "H4"}]}"#,
    ])
    let library = InstrumentLibrary.load(InstrumentSearchPath(folders: [dir]))
    let reasons = Dictionary(uniqueKeysWithValues: library.catalog.unavailable.map { ($0.name, $0.reason) })
    #expect(reasons["a"]?.hasPrefix("a.json: zones[0].sample: no such file: s/none.flac") == true, "\(reasons)")
    #expect(reasons["b"]?.contains("leads outside the instrument folder") == true)
    #expect(reasons["c"]?.hasPrefix("c.json: zones[0].loop: expected 0 ≤ start < end") == true)
    #expect(reasons["d"]?.hasPrefix("d.json: zones[0].velocity: expected [lowest, highest]") == true)
    #expect(reasons["e"]?.hasPrefix("e.json: zones[0].root: expected the pitch the sample sounds at") == true)
  }
}

@Suite("Kits: recipes, sampled hits, choke groups")
struct KitTests {
  @Test("a closed hi-hat cuts the open one (recipes and sampled hits), with a 5 ms fade; others ring on")
  func choke() async throws {
    let dir = Scratch.folder()
    try FileManager.default.createDirectory(atPath: "\(dir)/s", withIntermediateDirectories: true)
    let r = try await CLI.run(
      ["render", "-", "-o", "\(dir)/s/ring.flac", "-q"],
      stdin: "melody { noise C7 0 dur=2 attack=0 sustain=1 release=0.01; }")
    #expect(r.status == 0)
    try #"""
    {"kind": "kit", "hits": {
      "Open": {"recipe": "crash", "choke": "hat"}, "Closed": {"recipe": "hihat", "choke": "hat"},
      "Ring": {"sample": "s/ring.flac", "choke": "hat", "gain": -6}, "Crash": "crash"}}
    """#.write(toFile: "\(dir)/k.json", atomically: true, encoding: .utf8)
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: [dir]))
    func left(_ body: String) throws -> [Double] {
      let compiled = renderer.compile(SourceFile(name: "k", text: "import k from \"k\"; tempo 60; rhythm { \(body) }"))
      #expect(compiled.succeeded, "\(compiled.diagnostics.map(\.message))")
      let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
      let pcm = try renderer.renderPCM(compiled, settings: RenderSettings(format: format))
      return stride(from: 0, to: pcm.count, by: 2).map { Double(Float(bitPattern: UInt32(bitPattern: pcm[$0]))) }
    }
    for opener in ["Open", "Ring"] {
      let both = try left("k \(opener) 0; k Closed 0.25;")
      // The same statements with a silent opener, so the closed hat draws the same round-robin variant.
      let closedOnly = try left("k \(opener) 0 vel=0; k Closed 0.25;")
      let alone = try left("k \(opener) 0;")
      // Before the cut the opener sounds; from 5 ms after it, only the closed hat does.
      #expect(both[6_000..<12_000].map(abs).max()! > 0.01)
      let after = 12_000 + 240
      var difference = 0.0
      for i in after..<min(both.count, closedOnly.count) { difference = max(difference, abs(both[i] - closedOnly[i])) }
      #expect(difference < 1e-6, "\(opener): \(difference)")
      // Uncut, the opener would still ring there.
      #expect(alone[(after + 2_400)..<(after + 4_800)].map(abs).max()! > 0.01, "\(opener) rings when not choked")
    }
    // A hit outside the group is not cut.
    let crash = try left("k Crash 0; k Closed 0.25;")
    #expect(crash[(12_240 + 2_400)..<(12_240 + 4_800)].map(abs).max()! > 0.01)
  }
}

@Suite("Synth instruments: oscillators and a filter envelope")
struct SynthFileTests {
  func render(_ json: String, _ song: String) throws -> [Double] {
    let dir = Scratch.folder()
    try json.write(toFile: "\(dir)/s.json", atomically: true, encoding: .utf8)
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: [dir]))
    let compiled = renderer.compile(SourceFile(name: "x", text: "import s from \"s\"; tempo 60; " + song))
    #expect(compiled.succeeded, "\(compiled.diagnostics.map(\.message))")
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    let pcm = try renderer.renderPCM(compiled, settings: RenderSettings(format: format))
    return stride(from: 0, to: pcm.count, by: 2).map { Double(Float(bitPattern: UInt32(bitPattern: pcm[$0]))) }
  }

  @Test("a filtered synth is in tune across its range, and its filter envelope closes over time")
  func tuneAndFilter() throws {
    let json = #"""
      {"kind": "synth", "oscillators": [{"wave": "saw"}],
       "filter": {"cutoff": 300, "resonance": 1, "amount": 4, "keytrack": 1,
                  "envelope": {"attack": 0.001, "decay": 0.6, "sustain": 0}},
       "envelope": {"attack": 0.005, "sustain": 1}}
      """#
    for (note, hz) in [("A2", 110.0), ("A4", 440.0), ("E6", 1318.510_227_5)] {
      let x = try render(json, "melody { s \(note) 0 dur=1.5; }")
      // Rising zero crossings at least 0.6 of a period apart (a resonant filter can wiggle around zero).
      var crossings: [Double] = []
      for i in 33_601..<70_000 where x[i - 1] < 0 && x[i] >= 0 {  // after the filter envelope settles
        let t = Double(i - 1) + x[i - 1] / (x[i - 1] - x[i])
        if let last = crossings.last, t - last < 0.6 * 48_000 / hz { continue }
        crossings.append(t)
      }
      let f = 48_000 * Double(crossings.count - 1) / (crossings.last! - crossings.first!)
      #expect(abs(1200 * log2(f / hz)) < 1, "\(note): \(f) Hz")
    }
    // Octave and detune move the oscillator: a sine an octave down and 50 cents up.
    let shifted = try render(
      #"{"kind": "synth", "oscillators": [{"wave": "sine", "octave": -1, "detune": 50}], "envelope": {"sustain": 1}}"#,
      "melody { s A4 0 dur=1.5; }")
    var crossings: [Double] = []
    for i in 24_001..<64_000 where shifted[i - 1] < 0 && shifted[i] >= 0 {
      crossings.append(Double(i - 1) + shifted[i - 1] / (shifted[i - 1] - shifted[i]))
    }
    let f = 48_000 * Double(crossings.count - 1) / (crossings.last! - crossings.first!)
    #expect(abs(1200 * log2(f / 220) - 50) < 1, "\(f) Hz")
    // Brightness: the sample-to-sample difference (a high-pass) relative to level falls as the filter closes.
    let x = try render(json, "melody { s A3 0 dur=1.5; }")
    // RMS of the first difference over RMS of the signal: harmonic n counts n times more, so it tracks cutoff.
    func brightness(_ r: Range<Int>) -> Double {
      let diff = r.dropFirst().map { (x[$0] - x[$0 - 1]) * (x[$0] - x[$0 - 1]) }.reduce(0, +)
      return (diff / r.map { x[$0] * x[$0] }.reduce(0, +)).squareRoot()
    }
    #expect(
      brightness(2_400..<7_200) > 1.5 * brightness(48_000..<52_800),
      "\(brightness(2_400..<7_200)) vs \(brightness(48_000..<52_800))")
  }

  @Test("synth file errors name the oscillator or filter field")
  func errors() throws {
    let dir = Scratch.folder()
    let cases = [
      ("a", #"{"kind": "synth", "oscillators": []}"#, "a.json: oscillators: expected 1 … 4 oscillators"),
      (
        "b", #"{"kind": "synth", "oscillators": [{"wave": "saww"}]}"#,
        "b.json: oscillators[0].wave: expected one of sine, triangle, saw, square — did you mean 'saw'?"
      ),
      (
        "c", #"{"kind": "synth", "filter": {"cutof": 100}}"#,
        "c.json: filter.cutof: unknown field — did you mean 'cutoff'?"
      ),
      (
        "d", #"{"kind": "synth", "filter": {"resonance": 50}}"#,
        "d.json: filter.resonance: expected a number 0.5 … 20 (Q), found 50"
      ),
      (
        "e", #"{"kind": "synth", "wave": "saw", "oscillators": [{"wave": "saw"}]}"#,
        "e.json: wave: use \"wave\" or \"oscillators\", not both"
      ),
    ]
    for (name, text, _) in cases { try text.write(toFile: "\(dir)/\(name).json", atomically: true, encoding: .utf8) }
    let reasons = Dictionary(
      uniqueKeysWithValues: InstrumentLibrary.load(InstrumentSearchPath(folders: [dir])).catalog.unavailable.map {
        ($0.name, $0.reason)
      })
    for (name, _, expected) in cases {
      #expect(reasons[name]?.hasPrefix(expected) == true, "\(name): \(reasons[name] ?? "nil")")
    }
  }
}
