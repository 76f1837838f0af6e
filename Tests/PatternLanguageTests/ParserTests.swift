import Testing

@testable import PatternLanguage

func compile(_ text: String, name: String = "song.pattern") -> CompiledPattern {
  PatternCompiler.compile(SourceFile(name: name, text: text))
}

@Suite("Parser and resolver")
struct ParserTests {
  static let original = """
    import piano from "grand";
    melody { piano C4 0; piano E4 0.5; }
    rhythm { synth Kick 0; synth Snare 1; }
    """

  @Test("the original grammar's example parses to the original JSON shape")
  func originalExampleJSON() {
    let result = compile(Self.original)
    #expect(result.diagnostics.isEmpty)
    let json = result.parseJSON.serialized()
    #expect(
      json == """
        {"success":true,"pattern":{"imports":[{"instrument":"piano","module":"grand"}],"patterns":{"melody":[\
        {"instrument":"piano","note":"C4","time":0,"velocity":1,"duration":0.5,"line":2,"column":10},\
        {"instrument":"piano","note":"E4","time":0.5,"velocity":1,"duration":0.5,"line":2,"column":22}],\
        "rhythm":[{"instrument":"synth","note":"Kick","time":0,"velocity":1,"duration":0.5,"line":3,"column":10},\
        {"instrument":"synth","note":"Snare","time":1,"velocity":1,"duration":0.5,"line":3,"column":24}]}},"error":null}
        """)
  }

  @Test("the original example resolves to exact-beat events bound to instruments")
  func originalExampleScore() {
    let score = compile(Self.original).score
    #expect(
      score.eventListing == """
        0/1 → 1/2 | melody | piano C4 vel:1 pan:0 @2:10
        0/1 → 1/2 | rhythm | synth Kick vel:1 pan:0 @3:10
        1/2 → 1/1 | melody | piano E4 vel:1 pan:0 @2:22
        1/1 → 3/2 | rhythm | synth Snare vel:1 pan:0 @3:24
        """)
    // "grand" is the modelled grand, its own instrument (not the built-in `piano`).
    #expect(score.events.map(\.instrument.id.rawValue) == ["grand", "synth", "grand", "synth"])
    #expect(score.tracks.map(\.name) == ["melody", "rhythm"])
    #expect(score.tempo == [TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60))])
  }

  @Test("several blocks of one kind append in order in the JSON and stay separate tracks")
  func repeatedBlocks() {
    let result = compile("melody { sine C4 0; }\nrhythm { synth Kick 0; }\nmelody { sine D4 1; }")
    guard case .object(let top) = result.parseJSON, case .object(let pattern) = top[1].1,
      case .object(let patterns) = pattern[1].1
    else {
      Issue.record("unexpected JSON shape")
      return
    }
    #expect(patterns.map(\.0) == ["melody", "rhythm"])
    #expect(patterns[0].1.serialized().contains("\"D4\""))
    #expect(result.score.tracks.map(\.name) == ["melody", "rhythm", "melody 2"])
  }

  @Test("pitches: C4 is MIDI 60, sharps, flats, MIDI numbers")
  func pitches() {
    #expect(Pitch.midiNumber("C4") == 60)
    #expect(Pitch.midiNumber("A4") == 69)
    #expect(Pitch.midiNumber("F#3") == 54)
    #expect(Pitch.midiNumber("Bb2") == 46)
    #expect(Pitch.midiNumber("Cb4") == 59)
    #expect(Pitch.midiNumber("G9") == 127)
    #expect(Pitch.midiNumber("A9") == nil)
    #expect(Pitch.midiNumber("Kick") == nil)
    let score = compile("melody { sine 69 0; }").score
    #expect(score.events.first?.note == .pitch(midi: 69))
  }

  @Test("tempo, ratios and per-note attributes are exact")
  func tempoAndAttributes() {
    let result = compile("tempo 90;\nmelody { sine C4 1/3 dur=2/3 vel=0.25 pan=-0.5; sine D4 2.75 vel=64; }")
    #expect(result.diagnostics.isEmpty)
    let e = result.score.events
    #expect(e[0].start == BeatTime(1, 3))
    #expect(e[0].duration == BeatTime(2, 3))
    #expect(e[0].velocity == 0.25)
    #expect(e[0].pan == -0.5)
    #expect(e[1].start == BeatTime(11, 4))
    #expect(e[1].velocity == 64.0 / 127)
    #expect(result.score.tempo[0].beatsPerMinute == BeatTime(90))
  }

  @Test("exact rational arithmetic")
  func beatTime() {
    let third = BeatTime(1, 3)
    #expect(third + third + third == .one)
    #expect(BeatTime(2, 4) == BeatTime(1, 2))
    #expect(BeatTime.parseDecimal("0.125") == BeatTime(1, 8))
    #expect(BeatTime.parseDecimal("1234567890123") == nil)
    #expect(BeatTime(3, -6) == BeatTime(-1, 2))
    #expect(BeatTime(1, 3) < BeatTime(1, 2))
  }

  @Test("error recovery reports every error in one run")
  func recovery() {
    let result = compile(
      """
      import piano from grand;
      melody { piano C4 0 piano E4 0.5; pian G4 1; piano H4 2; }
      rhythm { synth Kik 0; synth Snare -1; }
      melodi { piano C4 0; }
      """)
    let messages = result.diagnostics.map { "\($0.range.start): \($0.message)" }
    #expect(
      messages == [
        "1:19: expected a module name in double quotes",
        "2:20: expected ';' after the time",
        "2:35: unknown instrument 'pian'",
        "2:52: 'H4' is not a pitch",
        "3:16: synth has no sound called 'Kik'",
        "3:35: the time must not be negative",
        "4:1: unknown block kind 'melodi'",
      ])
  }

  @Test("hints: misspelt keywords, block kinds, instruments, drum names, attributes, modules")
  func hints() {
    func hint(_ text: String) -> String? { compile(text).diagnostics.first?.hint }
    #expect(hint("improt piano from \"grand\";") == "did you mean 'import'?")
    #expect(hint("rhythym { synth Kick 0; }") == "did you mean 'rhythm'?")
    #expect(hint("melody { pinao C4 0; }") == "did you mean 'piano'?")
    #expect(hint("rhythm { synth kik 0; }") == "did you mean 'Kick'?")
    #expect(hint("melody { sine C4 0 vol=1; }") == "did you mean 'vel'?")
    #expect(hint("import p from \"grnd\";") == "did you mean 'grand'?")
    #expect(hint("import kik from \"drums\"; rhythm { kick Kick 0; }") == "did you mean 'kik'?")
  }

  @Test("duplicate imports and notes out of range are diagnostics with locations")
  func resolverChecks() {
    let r = compile(
      "import p from \"grand\";\nimport p from \"drums\";\nmelody { p D8 0; guitar A5 0; synth C4 0; sine Kick 0; }")
    let d = r.diagnostics
    #expect(
      d.map(\.message) == [
        "'p' is imported twice", "p cannot play D8", "guitar cannot play A5",
        "synth is a drum kit and plays named sounds, not pitches", "'Kick' is not a pitch",
      ])
    #expect(d[0].notes.first?.range.start.line == 1)
    #expect(d[1].hint == "p plays A0–C8")
    #expect(d[2].range.start.description == "3:25")
  }

  @Test("drum names match case-insensitively and are reported canonically")
  func drumCase() {
    let score = compile("rhythm { synth kick 0; synth HIHAT 1; }").score
    #expect(score.events.map(\.note.displayName) == ["Kick", "HiHat"])
  }

  @Test("an empty file and a comment-only file are valid, empty scores")
  func emptyFiles() {
    #expect(compile("").succeeded)
    #expect(compile("// nothing\n/* here */").score.events.isEmpty)
  }

  @Test("limits: too many notes, too-large numbers")
  func limits() {
    var limits = LanguageLimits()
    limits.maxEvents = 3
    let r = PatternCompiler.compile(
      SourceFile(name: "t", text: "melody { sine C4 0; sine C4 1; sine C4 2; sine C4 3; }"), limits: limits)
    #expect(r.diagnostics.map(\.message) == ["more than 3 notes"])
    #expect(compile("melody { sine C4 1000000; }").diagnostics.first?.message == "number '1000000' is too large")
    #expect(compile("tempo 0;").diagnostics.first?.message == "tempo 0 is out of range")
  }
}
