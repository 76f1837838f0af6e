import Foundation
import Testing

@testable import PatternLanguage

/// Compiles `text`, expecting no errors, and returns the events without their source locations (so sugar can
/// be compared with what it stands for).
func events(_ text: String, limits: LanguageLimits = .default) -> [String] {
  let compiled = PatternCompiler.compile(SourceFile(name: "t.pattern", text: text), limits: limits)
  #expect(!compiled.diagnostics.hasErrors, "\(compiled.diagnostics.map(\.message))")
  return compiled.score.events.map { e in
    "\(e.start) \(e.duration) \(compiled.score.tracks[e.track].name) \(e.instrumentName) \(e.note.displayName) "
      + "v\(e.velocity) p\(e.pan) g\(e.gainDecibels)"
  }
}

func errors(_ text: String, limits: LanguageLimits = .default) -> [Diagnostic] {
  PatternCompiler.compile(SourceFile(name: "t.pattern", text: text), limits: limits).diagnostics.filter {
    $0.severity == .error
  }
}

@Suite("The grown language")
struct LanguageTests {
  @Test("the seed-grammar corpus resolves to the events pinned before the language grew")
  func seedCorpus() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SeedCorpus")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pattern") }
    #expect(names.count >= 8)
    for name in names.sorted() {
      let url = folder.appendingPathComponent(name)
      let compiled = PatternCompiler.compile(SourceFile(name: name, bytes: Array(try Data(contentsOf: url))))
      #expect(!compiled.diagnostics.hasErrors, "\(name)")
      let pinned = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("events"), encoding: .utf8)
      let listing = compiled.score.events.isEmpty ? "" : compiled.score.eventListing + "\n"
      #expect(listing == pinned, "\(name)")
    }
  }

  @Test("NoteAttribute.named finds every attribute by its name, as init(rawValue:) does, and nothing else")
  func attributeNames() {
    for kind in NoteAttribute.allCases {
      #expect(NoteAttribute.named(kind.rawValue) == kind)
      #expect(NoteAttribute.named(kind.rawValue + "s") == NoteAttribute(rawValue: kind.rawValue + "s"))
      #expect(NoteAttribute.named(String(kind.rawValue.dropLast())) == nil)
      #expect(NoteAttribute.named(kind.rawValue.uppercased()) == nil)
    }
    for name in ["", "d", "x", "dor", "spees", "stapt", "vél", "durée", "\u{212A}"] {
      #expect(NoteAttribute.named(name) == NoteAttribute(rawValue: name), "\(name)")
    }
  }

  @Test("repeat 3 every 1 { x } equals three explicit statements")
  func repeatSugar() {
    #expect(
      events("melody { repeat 3 every 1 { piano C4 0 dur=1/4; piano E4 1/2; } }")
        == events(
          "melody { piano C4 0 dur=1/4; piano E4 1/2; piano C4 1 dur=1/4; piano E4 3/2; piano C4 2 dur=1/4; piano E4 5/2; }"
        ))
    #expect(
      events("melody { repeat 2 every 4 { repeat 2 every 1 { sine C5 0; } } }")
        == events("melody { sine C5 0; sine C5 1; sine C5 4; sine C5 5; }"))
  }

  @Test("[C4 E4] equals two statements at one time, and named chords spell their intervals")
  func chordSugar() {
    #expect(
      events("melody { piano [C4 E4] 1 dur=2 vel=0.5; }")
        == events("melody { piano C4 1 dur=2 vel=0.5; piano E4 1 dur=2 vel=0.5; }"))
    #expect(events("melody { piano C4'maj7 0; }") == events("melody { piano [C4 E4 G4 B4] 0; }"))
    #expect(events("melody { piano A3'min 0; }") == events("melody { piano [A3 C4 E4] 0; }"))
    #expect(events("melody { piano B3'dim 0; }") == events("melody { piano [B3 D4 F4] 0; }"))
    #expect(events("melody { piano C4'aug 0; }") == events("melody { piano [C4 E4 G#4] 0; }"))
    #expect(
      events("melody { piano D4'sus2 0; piano D4'sus4 1; }")
        == events("melody { piano [D4 E4 A4] 0; piano [D4 G4 A4] 1; }"))
    #expect(
      events("melody { piano G3'7 0; piano D4'min7 1; }")
        == events("melody { piano [G3 B3 D4 F4] 0; piano [D4 F4 A4 C5] 1; }"))
    #expect(events("melody { piano ~ 0; piano C4 1; }") == events("melody { piano C4 1; }"))
  }

  @Test("Bjorklund: euclid(3,8) at 0, 3, 6; rotation turns left; steps scale by the step length")
  func euclid() {
    #expect(Euclid.onsets(pulses: 3, steps: 8) == [0, 3, 6])
    #expect(Euclid.onsets(pulses: 5, steps: 8) == [0, 2, 3, 5, 6])
    #expect(Euclid.onsets(pulses: 4, steps: 9) == [0, 2, 4, 6])
    #expect(Euclid.onsets(pulses: 2, steps: 5) == [0, 2])
    #expect(Euclid.onsets(pulses: 3, steps: 4) == [0, 1, 2])  // Tidal's rotation of Toussaint's x.xx
    #expect(Euclid.onsets(pulses: 4, steps: 4) == [0, 1, 2, 3])
    #expect(Euclid.onsets(pulses: 0, steps: 4) == [])
    #expect(Euclid.onsets(pulses: 3, steps: 8, rotation: 3) == [0, 3, 5])
    #expect(Euclid.onsets(pulses: 3, steps: 8, rotation: 8) == [0, 3, 6])
    #expect(
      events("rhythm { synth HiHat euclid(3,8) step 1/4 at 2; }")
        == events("rhythm { synth HiHat 2 dur=1/4; synth HiHat 11/4 dur=1/4; synth HiHat 7/2 dur=1/4; }"))
  }

  @Test("a motif played with transpose, vel and gain equals the notes written out")
  func motifs() {
    #expect(
      events("let m = { piano C4 0 vel=0.5; synth Kick 1; }; melody { play m at 2 transpose=7 vel=0.5 gain=-3; }")
        == events("melody { piano G4 2 vel=0.25 gain=-3; synth Kick 3 vel=0.5 gain=-3; }"))
    // Motifs can play motifs, each relative to where it is played.
    #expect(
      events("let a = { sine C5 0; }; let b = { play a at 1; play a at 2 transpose=2; }; melody { play b at 4; }")
        == events("melody { sine C5 5; sine D5 6; }"))
  }

  @Test("sections are placed back to back, lengths round up to bars (or length=), tracks are shared")
  func sections() {
    let text = """
      meter 3/4;
      section a { melody { piano C4 0; } }
      section b(length=5) { melody { piano D4 0; } rhythm { synth Kick 1; } }
      arrange { a x2; b; a; }
      """
    #expect(
      events(text)
        == events("meter 3/4; melody { piano C4 0; piano C4 3; piano D4 6; piano C4 11; } rhythm { synth Kick 7; }"))
    let compiled = PatternCompiler.compile(SourceFile(name: "t", text: text))
    #expect(compiled.score.sections.map(\.name) == ["a", "a", "b", "a"])
    #expect(compiled.score.sections.map(\.start) == [0, 3, 6, 11].map { BeatTime(Int64($0)) })
    #expect(compiled.score.tracks.map(\.name) == ["melody", "rhythm"])
  }

  @Test("bar:beat times follow the meter; swing moves off-beats and keeps on-beats")
  func meterAndSwing() {
    #expect(events("meter 7/8; melody { piano C4 2:1.5; }") == events("melody { piano C4 4; }"))
    let swung = events("swing 1/3 per 1/2; melody { sine C5 1/2; sine C5 1/4; sine C5 1; }")
    #expect(swung.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == ["1/3 1/2", "2/3 1/3", "1 2/3"])
    // A note spanning the off-beat keeps its start and end on the swung grid: 0 → 1 stays 0 → 1.
    #expect(events("swing 1/3 per 1/2; melody { sine C5 0 dur=1; }") == events("melody { sine C5 0 dur=1; }"))
  }

  @Test("seeded draws: the same file gives the same events, another seed others, edits elsewhere change nothing")
  func seededStreams() {
    let song = { (seed: Int, extra: String) in
      """
      seed \(seed);
      melody { repeat 32 every 1/2 { sine choose(C5, D5, E5, G5, A5) 0 prob=0.7 nudge=0.05; } \(extra) }
      """
    }
    let a = events(song(1, ""))
    #expect(a == events(song(1, "")))
    #expect(a != events(song(2, "")))
    #expect(a.count > 10 && a.count < 32)
    // Adding a statement after the repeat does not reshuffle the repeat's draws.
    let edited = events(song(1, "piano C2 20;")).filter { !$0.contains("piano") }
    #expect(edited == a)
    // Without a seed, seed 0.
    #expect(events("melody { sine choose(C5, D5, E5) 0; }") == events("seed 0; melody { sine choose(C5, D5, E5) 0; }"))
    // prob=1 always plays; prob=0 never.
    #expect(events("melody { repeat 10 every 1 { sine C5 0 prob=1; } }").count == 10)
    #expect(events("melody { repeat 10 every 1 { sine C5 0 prob=0; } sine C5 0; }").count == 1)
  }

  @Test("tempo changes and ramps resolve in beat order")
  func tempo() {
    let compiled = PatternCompiler.compile(
      SourceFile(name: "t", text: "tempo 75 at 12; tempo 100; tempo 100 -> 150 over 4 at 4; melody { sine C5 0; }"))
    #expect(!compiled.diagnostics.hasErrors)
    #expect(compiled.score.tempo.map(\.beat) == [0, 4, 12].map { BeatTime(Int64($0)) })
    #expect(compiled.score.tempo[1].ramp == TempoRamp(beatsPerMinute: BeatTime(150), beats: BeatTime(4)))
  }

  @Test("absurd sizes are errors, quickly: event limit, expansion limit, nesting, repeat counts")
  func limits() {
    var small = LanguageLimits()
    small.maxEvents = 1000
    small.maxExpansionSteps = 5000
    let tooMany = errors("melody { repeat 2000 every 1 { sine C5 0; } }", limits: small)
    #expect(tooMany.map(\.message) == ["more than 1000 notes"])
    let spin = errors("melody { repeat 10000 every 1 { repeat 10000 every 1 { sine ~ 0; } } }", limits: small)
    #expect(spin.map(\.message) == ["the song expands to more than 5000 statement instances"])
    #expect(spin.first?.range.start.line == 1)
    // Exponential nesting with empty bodies stops at the limit too (every iteration counts).
    let nested =
      "melody { " + String(repeating: "repeat 10 every 1 { ", count: 20) + String(repeating: "} ", count: 20) + "}"
    #expect(errors(nested, limits: small).count == 1)
    let deep =
      "melody { " + String(repeating: "repeat 2 every 1 { ", count: 80) + "sine C5 0;"
      + String(repeating: " }", count: 80) + " }"
    #expect(errors(deep).map(\.message) == ["nested more than 64 levels deep"])
    let chords =
      "melody { sine " + String(repeating: "[", count: 100) + "C5" + String(repeating: "]", count: 100) + " 0; }"
    #expect(errors(chords).map(\.message) == ["nested more than 64 levels deep"])
  }

  @Test("recursion is an error at the statement that closes the loop")
  func recursion() {
    let selfPlay = errors("let a = { play a at 1; }; melody { play a at 0; }")
    #expect(selfPlay.map(\.message) == ["motif 'a' plays itself (a → a)"])
    let selfArranged = errors("section s { melody { sine C5 0; } arrange { s; } } arrange { s; }")
    #expect(selfArranged.map(\.message) == ["section 's' is arranged inside itself (s → s)"])
  }
}
