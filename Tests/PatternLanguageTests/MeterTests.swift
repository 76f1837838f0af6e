import Testing

@testable import PatternLanguage

private func beats(_ n: Int64, _ d: Int64 = 1) -> BeatTime { BeatTime(n, d) }

/// The meter map of `text`, which must compile without errors.
private func meters(_ text: String) -> MeterMap {
  let compiled = PatternCompiler.compile(SourceFile(name: "t.pattern", text: text))
  #expect(!compiled.diagnostics.hasErrors, "\(compiled.diagnostics.map(\.message))")
  return compiled.score.meterMap
}

@Suite("Meter changes")
struct MeterTests {
  @Test("bar:beat across a change: in 4/4 then 3/4 from bar 3, 4:1 is beat 11")
  func barBeatAcrossAChange() {
    let map = meters("meter 4/4; meter 3/4 at 3:1; melody { sine C5 0; }")
    #expect(map.changes.map(\.beat) == [beats(0), beats(8)])
    #expect(map.changes.map(\.bar) == [1, 3])
    #expect(map.start(ofBar: 4) == beats(11))
    #expect(map.position(of: beats(11)) == (4, beats(1)))
    #expect(map.position(of: beats(10)) == (3, beats(3)))
    #expect(map.position(of: beats(15, 2)) == (2, beats(9, 2)))
    #expect(map.barBeatText(beats(23, 2)) == "4:1.5")
    #expect(map.barBeatText(beats(34, 3)) == "4:4/3")
    #expect(
      events("meter 4/4; meter 3/4 at 3:1; melody { piano C4 4:1; piano D4 3:2.5; piano E4 2:4; }")
        == events("melody { piano E4 7; piano D4 9.5; piano C4 11; }"))
  }

  @Test("a change in beats is the same as at its bar; bars count in the meter before the change")
  func changeInBeats() {
    #expect(meters("meter 3/4 at 8; melody { sine C5 0; }") == meters("meter 3/4 at 3:1; melody { sine C5 0; }"))
    // 6/8 bars are 3 beats: bar 3 starts at beat 6, and 4/4 bars count on from there.
    let map = meters("meter 6/8; meter 4/4 at 3:1; meter 7/8 at 5:1; melody { sine C5 0; }")
    #expect(map.changes.map(\.beat) == [beats(0), beats(6), beats(14)])
    #expect(map.changes.map(\.meter.description) == ["6/8", "4/4", "7/8"])
    #expect(map.start(ofBar: 6) == beats(35, 2))
    // A change at 1:1 without an opening meter is the opening meter; `tempo … at` counts through the map.
    #expect(meters("meter 3/4 at 1:1; melody { sine C5 0; }") == meters("meter 3/4; melody { sine C5 0; }"))
    let tempo = PatternCompiler.compile(
      SourceFile(name: "t", text: "meter 2/4; meter 5/4 at 3:1; tempo 90 at 4:1; melody { sine C5 0; }")
    ).score.tempo
    #expect(tempo.map(\.beat) == [beats(0), beats(9)])
  }

  @Test("a change that repeats the meter on its bar line adds nothing")
  func redundantChange() {
    #expect(meters("meter 4/4; meter 4/4 at 3:1; melody { sine C5 0; }") == MeterMap())
  }

  @Test("each mistake in a meter change is one error with a hint")
  func oneErrorEach() {
    let cases = [
      "meter 3/4 at 3:2; melody { sine C5 0; }": "a meter change starts a bar, so its beat is 1",
      "meter 3/4 at 9; melody { sine C5 0; }":
        "beat 9 is not on a bar line of meter 4/4: the nearest are beat 8 (bar 3) and beat 12 (bar 4)",
      "meter 3/4 at 5:1; meter 2/4 at 3:1; melody { sine C5 0; }":
        "meter changes are written in time order: this one (bar 3) comes before the change at bar 5",
      "meter 4/4; meter 3/4 at 1:1; melody { sine C5 0; }": "meter is set twice at bar 1",
      "meter 3/4 at 2:1; meter 2/4 at 2:1; melody { sine C5 0; }": "meter is set twice at bar 2",
      "meter 3/4 at 2:1; section a { meter 6/8; melody { sine C5 0; } } arrange { a; }":
        "this song's sections set their own meter, so the meter cannot also change with 'at'",
      "section a { meter 6/8 at 2:1; melody { sine C5 0; } } arrange { a; }":
        "a section's meter holds for the whole section; it cannot change with 'at'",
      "section a { meter 6/8; meter 3/4; melody { sine C5 0; } } arrange { a; }": "meter is set twice in section 'a'",
      "meter 3/4 at 3:1; melody { sine C5 3:4; }": "beat 4 is not in a bar of 3 beats (meter 3/4)",
    ]
    for (text, message) in cases {
      let found = errors(text)
      #expect(found.map(\.message) == [message], "\(text)")
      #expect(found.allSatisfy { $0.hint != nil }, "\(text)")
    }
  }

  @Test("a section in 6/8 inside a 4/4 song: its bars, its length, and the song's bars around it")
  func sectionMeter() {
    let text = """
      meter 4/4;
      section verse { melody { piano C4 1:1; piano E4 2:1 dur=2; } }
      section bridge { meter 6/8; melody { piano G4 1:1; piano A4 2:1; piano B4 2:2; } }
      arrange { verse; bridge; verse; }
      rhythm { synth Kick 4:1; synth Snare 5:2; }
      tempo 120; tempo 90 at 5:1;
      """
    let compiled = PatternCompiler.compile(SourceFile(name: "t", text: text))
    #expect(!compiled.diagnostics.hasErrors, "\(compiled.diagnostics.map(\.message))")
    let score = compiled.score
    // verse ends at 6 → two 4/4 bars (8 beats); bridge ends at 4.5 → two 6/8 bars (6 beats).
    #expect(score.sections.map(\.start) == [beats(0), beats(8), beats(14)])
    #expect(score.sections.map(\.length) == [beats(8), beats(6), beats(8)])
    #expect(score.meterMap.changes.map(\.beat) == [beats(0), beats(8), beats(14)])
    #expect(score.meterMap.changes.map(\.bar) == [1, 3, 5])
    #expect(score.meterMap.changes.map(\.meter.description) == ["4/4", "6/8", "4/4"])
    #expect(score.meter == Meter(numerator: 4, denominator: 4))
    let starts = { (note: String) in score.events.filter { $0.note.displayName == note }.map(\.start) }
    #expect(starts("G4") == [beats(8)])
    #expect(starts("A4") == [beats(11)])
    #expect(starts("B4") == [beats(12)])
    // Top-level times count through the song's map: bar 4 is the bridge's second bar, bar 5 the verse again.
    #expect(starts("Kick") == [beats(11)])
    #expect(starts("Snare") == [beats(15)])
    #expect(score.tempo.map(\.beat) == [beats(0), beats(14)])
    #expect(score.meterMap.barBeatText(beats(12)) == "4:2")
  }

  @Test("nested sections: the inner meter holds while it plays, then the outer one resumes at a bar line")
  func nestedSectionMeters() {
    let map = meters(
      """
      section inner { meter 3/4; melody { sine C5 0; } }
      section outer { meter 6/8; arrange { inner; } rhythm { synth Kick 0; synth Kick 5; } }
      arrange { outer; outer; }
      """)
    // inner: 3 beats; outer: 6 beats (its kick ends at 5.5). Per outer: 3/4 at its start, 6/8 after inner.
    #expect(map.changes.map(\.beat) == [0, 3, 6, 9, 12].map { beats($0) })
    #expect(map.changes.map(\.meter.description) == ["3/4", "6/8", "3/4", "6/8", "4/4"])
    #expect(map.changes.map(\.bar) == [1, 2, 3, 4, 5])
  }

  @Test("a section of length= other than whole bars cuts its last bar short; the next bar starts after it")
  func cutBar() {
    let map = meters("section a(length=4) { meter 3/4; melody { sine C5 0; } } arrange { a; } melody { sine C5 3:1; }")
    #expect(map.changes.map(\.bar) == [1, 3])
    #expect(map.length(ofBar: 2) == beats(1))
    #expect(map.bars(before: beats(9)).map(\.end) == [3, 4, 8, 12].map { beats($0) })
    #expect(
      events("section a(length=4) { meter 3/4; melody { sine C5 0; } } arrange { a; } melody { sine C5 3:1; }")
        .contains { $0.hasPrefix("4 ") })
    #expect(
      errors("section a(length=4) { meter 3/4; melody { sine C5 0; } } arrange { a; } melody { sine C5 2:2; }")
        .map(\.message) == ["beat 2 is not in bar 2: a meter change cuts that bar to 1 beat"])
  }

  @Test("parse JSON keeps the opening meter and lists the changes; a section says its meter")
  func parseJSON() {
    let json = PatternCompiler.compile(
      SourceFile(name: "t", text: "meter 4/4; meter 3/4 at 3:1; melody { sine C5 4:1; }")
    ).parseJSON.serialized()
    #expect(json.contains(#""meter":"4/4""#))
    #expect(json.contains(#""meter_changes":[{"beat":0,"bar":1,"meter":"4/4"},{"beat":8,"bar":3,"meter":"3/4"}]"#))
    #expect(json.contains(#""time":11"#))
    let section = PatternCompiler.compile(
      SourceFile(name: "t", text: "section b { meter 6/8; melody { sine C5 2:1; } } arrange { b; }")
    ).parseJSON.serialized()
    #expect(section.contains(#""meter":"6/8""#))
    #expect(section.contains(#""time":3"#))
  }

  @Test("a motif's notes name the play statements that placed them, outermost first")
  func playSites() {
    let score = PatternCompiler.compile(
      SourceFile(
        name: "t",
        text: """
          let a = { sine C5 0; };
          let b = { play a at 1; };
          melody { play b at 4; sine D5 0; }
          """)
    ).score
    #expect(score.events.map(\.playSites.description) == ["[]", "[3:10, 2:11]"])
    #expect(score.events.map(\.location.description) == ["3:23", "1:11"])
  }
}
