import Foundation
import Testing

@testable import PatternLanguage

/// Scales and degrees, arpeggios, motif transformations and velocity spreads: each spelling against what it
/// stands for.
@Suite("Expression: scales, arpeggios, transformations, humanizing")
struct ExpressionTests {
  // MARK: - Scales and degrees

  @Test("^1 in C major is C4, ^b3 is Eb4, ^#4 is F#4, ^8 the octave; a written octave moves ^1")
  func degrees() {
    #expect(events("scale C:major; melody { piano ^1 0; }") == events("melody { piano C4 0; }"))
    #expect(events("scale C:major; melody { piano ^b3 0; }") == events("melody { piano Eb4 0; }"))
    #expect(events("scale C:major; melody { piano ^#4 0; }") == events("melody { piano F#4 0; }"))
    #expect(
      events("scale C:major; melody { piano ^8 0; piano ^15 1; }") == events("melody { piano C5 0; piano C6 1; }"))
    #expect(
      events("scale D3:minor; melody { piano ^1 0; piano ^3 1; }") == events("melody { piano D3 0; piano F3 1; }"))
    #expect(events("scale Bb:major; melody { piano ^2 0; }") == events("melody { piano C5 0; }"))
    #expect(
      events("scale C:major; melody { piano ^bb7 0; piano ^##4 1; }") == events("melody { piano A4 0; piano G4 1; }"))
  }

  @Test("degrees count on through the octaves of 5-, 6- and 12-note scales")
  func degreesBeyondTheScale() {
    #expect(
      events("scale A3:minor_pentatonic; melody { piano ^5 0; piano ^6 1; piano ^7 2; }")
        == events("melody { piano G4 0; piano A4 1; piano C5 2; }"))
    #expect(events("scale C:blues; melody { piano ^7 0; }") == events("melody { piano C5 0; }"))
    #expect(
      events("scale C:chromatic; melody { piano ^13 0; piano ^2 1; }") == events("melody { piano C5 0; piano C#4 1; }"))
    #expect(
      events("scale E:hirajoshi; melody { piano ^2 0; piano ^6 1; }") == events("melody { piano F#4 0; piano E5 1; }"))
  }

  @Test("degrees work in chords, choose and named aliases; the scale math goes below the tonic")
  func degreesEverywhere() {
    #expect(
      events("scale G:mixolydian; melody { piano [^1 ^3 ^5 ^7] 0; }")
        == events("melody { piano [G4 B4 D5 F5] 0; }"))
    #expect(
      events("seed 3; scale C:major; melody { repeat 8 every 1 { piano choose(^1, ^5) 0; } }")
        == events("seed 3; melody { repeat 8 every 1 { piano choose(C4, G4) 0; } }"))
    #expect(events("scale C:ionian; melody { piano ^3 0; }") == events("scale C:major; melody { piano ^3 0; }"))
    #expect(
      events("scale C:hijaz; melody { piano ^2 0; }") == events("scale C:phrygian_dominant; melody { piano ^2 0; }"))
    let c = Scale(name: "major", tonicMIDI: 60, intervals: Scale.intervals("major")!)
    #expect(c.midi(index: -1) == 59)
    #expect(c.midi(index: -7) == 48)
    #expect(c.midi(index: -8) == 47)
    #expect(c.degree(below: 61) == (index: 0, offset: 1))
    #expect(c.degree(below: 59) == (index: -1, offset: 0))
    #expect(c.degree(below: 47) == (index: -8, offset: 0))
  }

  @Test("a degree resolves through the scale in force at its time: changes, sections, motifs played later")
  func scaleTimeline() {
    #expect(
      events("scale C:major; scale D:minor at 4; melody { piano ^3 0; piano ^3 4; piano ^3 3; }")
        == events("melody { piano E4 0; piano F4 4; piano E4 3; }"))
    // A motif follows the scale where it plays.
    #expect(
      events(
        "scale C:major; scale A:minor at 8; let m = { piano ^1 0; piano ^3 1; }; melody { play m at 0; play m at 8; }")
        == events("melody { piano C4 0; piano E4 1; piano A4 8; piano C5 9; }"))
    // A section's scale counts from its start and falls back to the song's before it starts.
    let song = """
      scale C:major;
      section a { melody { piano ^3 0; } }
      section b { scale E:minor at 2; melody { piano ^3 0; piano ^3 2; } }
      arrange { a; b; a; }
      """
    #expect(
      events(song)
        == events("melody { piano E4 0; piano E4 4; piano G4 6; piano E4 8; }"))
    // `at` takes bar:beat in the song's meter.
    #expect(
      events("meter 3/4; scale C:major; scale G:major at 2:1; melody { piano ^1 3; }")
        == events("melody { piano G4 3; }"))
    // Bars count through meter changes, and in a section's own meter from its start.
    #expect(
      events("meter 4/4; meter 3/4 at 2:1; scale C:major; scale G:major at 3:1; melody { piano ^1 6; piano ^1 7; }")
        == events("melody { piano C4 6; piano G4 7; }"))
    #expect(
      events(
        "scale C:major; section s { meter 3/4; scale D:major at 2:1; melody { piano ^1 0; piano ^1 3; } } arrange { s; }"
      )
        == events("melody { piano C4 0; piano D4 3; }"))
  }

  @Test("steps=2 on a motif of degrees equals the degrees written two higher; absolute pitches keep their colour")
  func steps() {
    #expect(
      events("scale C:major; let m = { piano ^1 0; piano ^b3 1; piano ^7 2; }; melody { play m at 0 steps=2; }")
        == events("scale C:major; melody { piano ^3 0; piano ^b5 1; piano ^9 2; }"))
    #expect(
      events(
        "scale C:major; let m = { piano C4 0; piano C#4 1; piano B3 2; synth Kick 3; }; melody { play m at 0 steps=1; }"
      )
        == events("melody { piano D4 0; piano D#4 1; piano C4 2; synth Kick 3; }"))
    #expect(
      events("scale C:major; let m = { piano ^1 0; }; melody { play m at 0 steps=-1; play m at 1 steps=7; }")
        == events("melody { piano B3 0; piano C5 1; }"))
    // steps first, then transpose; nested plays add up.
    #expect(
      events("scale C:major; let m = { piano ^1 0; }; melody { play m at 0 steps=2 transpose=1; }")
        == events("melody { piano F4 0; }"))
    #expect(
      events(
        "scale C:major; let a = { piano ^1 0; }; let b = { play a at 0 steps=1; }; melody { play b at 0 steps=1; }")
        == events("melody { piano E4 0; }"))
  }

  // MARK: - Motif transformations

  static let hook = "let hook = { piano C4 0; piano E4 1/2 vel=0.5; piano G4 1 dur=1; synth Kick 3/2; };"

  @Test("reverse mirrors times within the motif's length; reverse twice is the motif as written")
  func reverse() {
    #expect(
      events(Self.hook + " melody { play hook at 4 reverse; }")
        == events("melody { piano C4 11/2; piano E4 5 vel=0.5; piano G4 4 dur=1; synth Kick 4; }"))
    let twice = "let r = { play hook at 0 reverse; }; melody { play r at 2 reverse; }"
    #expect(events(Self.hook + twice) == events(Self.hook + " melody { play hook at 2; }"))
  }

  @Test("speed=2 halves times and lengths, speed=1/2 doubles them; speed and reverse compose")
  func speed() {
    #expect(
      events(Self.hook + " melody { play hook at 1 speed=2; }")
        == events(
          "melody { piano C4 1 dur=1/4; piano E4 5/4 dur=1/4 vel=0.5; piano G4 3/2 dur=1/2; synth Kick 7/4 dur=1/4; }"))
    #expect(
      events(Self.hook + " melody { play hook at 0 speed=1/2; }")
        == events("melody { piano C4 0 dur=1; piano E4 1 dur=1 vel=0.5; piano G4 2 dur=2; synth Kick 3 dur=1; }"))
    #expect(
      events(Self.hook + " melody { play hook at 0 speed=2 reverse; }")
        == events(Self.hook + " let r = { play hook at 0 reverse; }; melody { play r at 0 speed=2; }"))
    // A section's length counts the faster motif's end.
    let compiled = compile(Self.hook + " section s { melody { play hook at 0 speed=1/4; } } arrange { s; }")
    #expect(compiled.score.sections.first?.length == BeatTime(8))
  }

  @Test("invert mirrors pitches around the first note: in semitones, or in scale steps for degrees; hits stay")
  func invert() {
    #expect(
      events(Self.hook + " melody { play hook at 0 invert; }")
        == events("melody { piano C4 0; piano G#3 1/2 vel=0.5; piano F3 1 dur=1; synth Kick 3/2; }"))
    #expect(
      events("scale C:major; let m = { piano ^1 0; piano ^2 1; piano ^3 2; }; melody { play m at 0 invert; }")
        == events("melody { piano C4 0; piano B3 1; piano A3 2; }"))
    // The first note in time is the axis, wherever it is written; inverting twice is the identity.
    #expect(
      events("let m = { piano G4 1; piano E4 0; }; melody { play m at 0 invert; }")
        == events("melody { piano C#4 1; piano E4 0; }"))
    #expect(
      events(Self.hook + " let i = { play hook at 0 invert; }; melody { play i at 0 invert; }")
        == events(Self.hook + " melody { play hook at 0; }"))
  }

  @Test("rotate keeps the rhythm and moves what sounds by N places; rotating by the count is the identity")
  func rotate() {
    let m = "let m = { piano C4 0; piano D4 1/2 vel=0.5; piano E4 1 dur=1; piano G4 2; };"
    #expect(
      events(m + " melody { play m at 0 rotate=1; }")
        == events("melody { piano D4 0 vel=0.5; piano E4 1/2; piano G4 1 dur=1; piano C4 2; }"))
    #expect(
      events(m + " melody { play m at 0 rotate=-1; }")
        == events("melody { piano G4 0; piano C4 1/2; piano D4 1 dur=1 vel=0.5; piano E4 2; }"))
    #expect(events(m + " melody { play m at 0 rotate=4; }") == events(m + " melody { play m at 0; }"))
    #expect(events(m + " melody { play m at 0 rotate=5; }") == events(m + " melody { play m at 0 rotate=1; }"))
    // Pitches move after the rotation, with the scale of the place a note lands on.
    #expect(
      events(
        "scale C:major; scale C:minor at 1; let m = { piano E4 0; piano C4 1; }; melody { play m at 0 rotate=1 steps=1; }"
      )
        == events("melody { piano D4 0; piano F#4 1; }"))
  }

  @Test("every=N:T applies on the Nth, 2Nth, … repetition of the innermost repeat, replacing values")
  func every() {
    let m = "let m = { piano C4 0; piano E4 1/2; };"
    #expect(
      events(m + " melody { repeat 4 every 1 { play m at 0 every=2:reverse every=4:transpose=12; } }")
        == events(
          m
            + " melody { play m at 0; play m at 1 reverse; play m at 2; play m at 3 reverse transpose=12; }"))
    #expect(
      events(m + " melody { repeat 2 every 1 { play m at 0 transpose=2 every=2:transpose=7; } }")
        == events(m + " melody { play m at 0 transpose=2; play m at 1 transpose=7; }"))
    // Outside a repeat a play is the first repetition: a warning, and every=1 applies.
    let compiled = compile(m + " melody { play m at 0 every=2:reverse; }")
    #expect(compiled.diagnostics.map(\.severity) == [.warning])
    #expect(
      events(m + " melody { play m at 0 every=1:transpose=1; }") == events(m + " melody { play m at 0 transpose=1; }"))
  }

  // MARK: - Arpeggios

  @Test("arp up with octaves=1 over C4'maj is the three notes at their steps; down and updown turn without repeats")
  func arpOrders() {
    #expect(
      events("melody { saw arp(C4'maj, up) step 1/4 at 1 for 3/4; }")
        == events("melody { saw C4 1 dur=1/4; saw E4 5/4 dur=1/4; saw G4 3/2 dur=1/4; }"))
    #expect(
      events("melody { saw arp(C4'maj, up) step 1/4 at 1 for 1; }")
        == events("melody { saw C4 1 dur=1/4; saw E4 5/4 dur=1/4; saw G4 3/2 dur=1/4; saw C4 7/4 dur=1/4; }"))
    #expect(
      events("melody { saw arp([G4 C4 E4], down) step 1/2 at 0 for 3/2 dur=1 vel=0.5; }")
        == events("melody { saw G4 0 dur=1 vel=0.5; saw E4 1/2 dur=1 vel=0.5; saw C4 1 dur=1 vel=0.5; }"))
    let updown = events("melody { saw arp(C4'maj, updown, octaves=2) step 1 at 0 for 12; }")
    #expect(
      updown.map { $0.split(separator: " ")[4] }
        == ["C4", "E4", "G4", "C5", "E5", "G5", "E5", "C5", "G4", "E4", "C4", "E4"])
    // `for` need not be a multiple of the step: notes start while less than `for` beats have passed.
    #expect(events("melody { saw arp(C4'maj, up) step 1 at 0 for 5/2; }").count == 3)
    #expect(
      events("scale C:major; melody { saw arp([^5 ^1 ^3], up) step 1 at 0 for 3; }")
        == events("melody { saw C4 0 dur=1; saw E4 1 dur=1; saw G4 2 dur=1; }"))
  }

  @Test("a random arp is the same on every run, changes with the seed, and ignores edits elsewhere")
  func arpRandom() {
    let song = { (seed: Int, extra: String) in
      "seed \(seed); melody { saw arp(C4'maj7, random, octaves=2) step 1/8 at 0 for 8; \(extra) }"
    }
    let a = events(song(1, ""))
    #expect(a.count == 64)
    #expect(a == events(song(1, "")))
    #expect(a != events(song(2, "")))
    #expect(Set(a.map { $0.split(separator: " ")[4] }).count > 4)
    #expect(events(song(1, "piano C2 20;")).filter { !$0.contains("piano") } == a)
    #expect(events(song(1, "piano C2 20 vel=0.3 ~ 0.2;")).filter { !$0.contains("piano") } == a)
  }

  // MARK: - Humanizing velocity

  @Test("vel=0.8 ~ 0 equals vel=0.8; a spread stays in its range, is the same each run, ignores other edits")
  func velocitySpread() {
    #expect(events("melody { piano C4 0 vel=0.8 ~ 0; }") == events("melody { piano C4 0 vel=0.8; }"))
    let song = { (seed: Int, extra: String) in
      "seed \(seed); melody { repeat 64 every 1/4 { piano [C4 E4] 0 vel=0.8 ~ 0.1; } \(extra) }"
    }
    let a = compile(song(1, "")).score.events.map(\.velocity)
    #expect(a.count == 128)
    #expect(a.allSatisfy { $0 >= 0.7 - 1e-12 && $0 <= 0.9 + 1e-12 })
    #expect(Set(a).count > 100)
    #expect(a == compile(song(1, "")).score.events.map(\.velocity))
    #expect(a != compile(song(2, "")).score.events.map(\.velocity))
    let edited = compile(song(1, "sine C5 40 vel=0.5 ~ 0.5;")).score.events.filter { $0.instrumentName == "piano" }
    #expect(edited.map(\.velocity) == a)
    // Clamped to 0 … 1; a MIDI velocity's spread is in MIDI steps too.
    let loud = compile("melody { repeat 32 every 1 { piano C4 0 vel=0.95 ~ 0.5; } }").score.events.map(\.velocity)
    #expect(loud.allSatisfy { $0 <= 1 } && loud.contains(1))
    let midi = compile("melody { repeat 32 every 1 { piano C4 0 vel=100 ~ 10; } }").score.events.map(\.velocity)
    #expect(midi.allSatisfy { $0 >= 90.0 / 127 - 1e-12 && $0 <= 110.0 / 127 + 1e-12 })
  }

  @Test("a play's vel spread multiplies each note by its own factor; ~ 0 equals the plain factor")
  func playVelocitySpread() {
    let m = "let m = { repeat 16 every 1 { piano C4 0 vel=0.5; } };"
    #expect(events(m + " melody { play m at 0 vel=0.8 ~ 0; }") == events(m + " melody { play m at 0 vel=0.8; }"))
    let v = compile(m + " melody { play m at 0 vel=0.8 ~ 0.2; }").score.events.map(\.velocity)
    #expect(v.allSatisfy { $0 >= 0.3 - 1e-12 && $0 <= 0.5 + 1e-12 })
    #expect(Set(v).count > 10)
    #expect(
      compile("melody { saw arp(C4'maj, up) step 1/4 at 0 for 4 vel=0.5 ~ 0.5; }").score.events.map(\.velocity)
        .contains { $0 != 0.5 })
  }

  // MARK: - Around the language

  @Test("pstudio parse keeps its fields and adds the new ones")
  func parseJSON() {
    let json = compile(
      """
      scale D:dorian;
      let m = { piano ^1 0; };
      melody {
        piano ^b3 0 vel=0.8 ~ 0.1;
        saw arp(C4'maj, updown, octaves=2) step 1/8 at 1 for 2;
        play m at 2 reverse every=2:speed=2;
      }
      """
    ).parseJSON.serialized()
    #expect(
      json.contains(#""note":"^b3","time":0,"notes":["^b3"],"velocity":0.8,"velocity_spread":0.1,"duration":0.5"#))
    #expect(json.contains(#""arp":{"mode":"updown","octaves":2,"step":0.125,"for":2},"notes":["C4","E4","G4"]"#))
    #expect(json.contains(#""play":"m","time":2,"reverse":true,"every":[{"period":2,"speed":2}]"#))
    #expect(json.contains(#""scales":[{"tonic":"D4","scale":"dorian","time":0"#))
  }

  @Test("an arp's notes, and every transformed motif, stay within the limits")
  func limits() {
    #expect(
      errors("melody { saw arp(C4'maj, up) step 1/1000 at 0 for 100; }").map(\.message)
        == ["an arp of 100000 notes; the limit is 65536"])
    var small = LanguageLimits()
    small.maxEvents = 100
    let inverted = errors(
      "let m = { repeat 200 every 1 { piano C4 0; } }; melody { play m at 0 invert; }", limits: small)
    #expect(inverted.map(\.message) == ["more than 100 notes"])
  }
}
