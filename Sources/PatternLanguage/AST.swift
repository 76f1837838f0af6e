/// The syntax tree of one pattern file. Every node keeps its source range.
///
/// Items keep their source order within each list; top-level order between lists does not matter, except that
/// blocks become tracks in the order written.
public struct PatternFile: Hashable, Sendable {
  public var imports: [ImportDecl] = []
  public var tempos: [TempoDecl] = []
  public var meters: [MeterDecl] = []
  public var seeds: [SeedDecl] = []
  /// `title`, `artist`, `album`.
  public var tags: [TagDecl] = []
  public var swings: [SwingDecl] = []
  public var blocks: [Block] = []
  public var motifs: [MotifDecl] = []
  public var sections: [SectionDecl] = []
  public var arrangements: [ArrangeDecl] = []
  /// `bus NAME = effect -> …;`, in declaration order (the order buses are mixed in).
  public var buses: [BusDecl] = []
  /// `master(fx=…);` (more than one is an error).
  public var masters: [MasterDecl] = []
  /// `scale D:dorian;`, `scale G:major at 32;` at the top level, in source order.
  public var scales: [ScaleDecl] = []

  public init() {}
}

/// A name as written, with where it was written.
public struct Name: Hashable, Sendable {
  public var text: String
  public var range: SourceRange

  public init(_ text: String, _ range: SourceRange) {
    self.text = text
    self.range = range
  }
}

/// `import piano from "grand";`: binds the local instrument name `piano` to the module `grand`;
/// `import ch4 from "grand" channel=4;` also pins its notes to MIDI channel 4 (1 … 16) in MIDI export.
public struct ImportDecl: Hashable, Sendable {
  public var name: Name
  public var module: Name
  public var range: SourceRange
  /// `channel=N`: the MIDI channel, as written (checked to be 1 … 16 by the resolver); nil when absent.
  public var channel: NumberLiteral? = nil
}

/// `tempo 120;`, `tempo 140 at 32;`, `tempo 120 -> 140 over 8 at 16;`: beats per minute from a beat on
/// (0 when `at` is absent), optionally ramping to a second tempo over a number of beats.
public struct TempoDecl: Hashable, Sendable {
  public var beatsPerMinute: NumberLiteral
  /// The tempo a ramp ends at, and its length in beats.
  public var rampTo: NumberLiteral?
  public var rampBeats: NumberLiteral?
  public var at: TimeExpr?
  public var range: SourceRange
}

/// `meter 3/4;`: beats per bar, for `bar:beat` times and section lengths; `meter 3/4 at 9:1;` changes the meter
/// at a bar line (top level only). Inside a section, the section's meter.
public struct MeterDecl: Hashable, Sendable {
  public var numerator: NumberLiteral
  public var denominator: NumberLiteral
  /// Where a change happens (nil: the opening meter, or a section's).
  public var at: TimeExpr?
  public var range: SourceRange
}

/// `seed 7;`: the root of every seeded random stream (and of the noise voices).
public struct SeedDecl: Hashable, Sendable {
  public var value: NumberLiteral
  public var range: SourceRange
}

/// `title "…";`, `artist "…";`, `album "…";`.
public struct TagDecl: Hashable, Sendable {
  public var key: Name
  public var value: Name
  public var range: SourceRange
}

/// `swing 1/3 per 1/2;`: the second of each pair of `per`-beat steps is late by `amount` × a step.
public struct SwingDecl: Hashable, Sendable {
  public var amount: NumberLiteral
  public var grid: NumberLiteral
  public var range: SourceRange
}

/// The four block kinds of the original grammar. Each block is a track (and later a stem).
public enum BlockKind: String, Hashable, Sendable, CaseIterable {
  case melody, rhythm, harmony, contrast
}

/// `melody(gain=-6, pan=-0.3) { … }`: a track of statements.
public struct Block: Hashable, Sendable {
  public var kind: BlockKind
  public var keyword: Name
  /// `gain=` (dB), `pan=` (−1 … 1) and `width=` (0 … 2) for the whole track.
  public var attributes: [Attribute]
  /// `send room=-12`: post-fader sends to buses.
  public var sends: [SendDecl] = []
  /// `fx=eq(…) -> comp(…)`: the track's insert chain (empty when not written).
  public var inserts: [EffectCall] = []
  public var statements: [Statement]
  public var range: SourceRange
}

/// `let hook = { … };`: a motif, played with `play`.
public struct MotifDecl: Hashable, Sendable {
  public var name: Name
  public var statements: [Statement]
  public var range: SourceRange
}

/// `section verse(length=16) { meter 6/8; melody {…} rhythm {…} arrange {…} }`.
public struct SectionDecl: Hashable, Sendable {
  public var name: Name
  public var attributes: [Attribute]
  public var blocks: [Block]
  /// Sections placed inside this one, from its start.
  public var arrangements: [ArrangeDecl]
  public var range: SourceRange
  /// `meter 6/8;` inside the section: the meter while it plays (more than one is an error).
  public var meters: [MeterDecl] = []
  /// `scale E:minor;` inside the section (times from the section's start).
  public var scales: [ScaleDecl] = []
}

/// `arrange { intro; verse x2; chorus; }`: sections back to back.
public struct ArrangeDecl: Hashable, Sendable {
  public var entries: [ArrangeEntry]
  public var range: SourceRange
}

/// `verse x2;`
public struct ArrangeEntry: Hashable, Sendable {
  public var section: Name
  public var count: Int
  public var range: SourceRange
}

/// One statement inside a block, motif or repeat.
public indirect enum Statement: Hashable, Sendable {
  case note(NoteStatement)
  case `repeat`(RepeatStatement)
  case play(PlayStatement)

  public var range: SourceRange {
    switch self {
    case .note(let s): return s.range
    case .repeat(let s): return s.range
    case .play(let s): return s.range
    }
  }
}

/// `repeat 4 every 2 { … }`: the body `count` times, each `every` beats later than the last.
public struct RepeatStatement: Hashable, Sendable {
  public var count: NumberLiteral
  public var every: NumberLiteral
  public var body: [Statement]
  public var range: SourceRange
}

/// `play hook at 8 transpose=5 vel=0.8 gain=-3;`
public struct PlayStatement: Hashable, Sendable {
  public var motif: Name
  public var at: TimeExpr
  public var attributes: [Attribute]
  public var range: SourceRange
  /// Bare transformations: `reverse`, `invert`.
  public var flags: [Name] = []
  /// `every=2:reverse`: a transformation on every 2nd repetition of the enclosing `repeat`.
  public var every: [EveryClause] = []
}

/// A number as written (`0.5`, `3/2`, `-0.3`) and its exact value.
public struct NumberLiteral: Hashable, Sendable {
  public var value: BeatTime
  public var text: String
  public var range: SourceRange
}

/// What a statement plays: a pitch (`C4`, or a MIDI number such as `60`) or a named hit (`Kick`).
public enum NoteValue: Hashable, Sendable {
  case pitch(midi: Int)
  case hit(String)
}

/// A note as written, with its interpretation.
public struct NoteLiteral: Hashable, Sendable {
  public var value: NoteValue
  public var text: String
  public var range: SourceRange
}

/// The note part of a statement. The common cases are held inline in the statement (a box for each was two of a
/// note statement's four allocations); the large and rare ones are boxed.
public enum NoteExpr: Hashable, Sendable {
  /// `C4`, `60`, `Kick`.
  case single(NoteLiteral)
  /// `C4'maj7`: a root and a chord quality from `Chord.qualities`.
  indirect case namedChord(root: NoteLiteral, quality: Name, range: SourceRange)
  /// `[C4 E4 G4]`: every element at once.
  case chord([NoteExpr], range: SourceRange)
  /// `~`: nothing.
  case rest(SourceRange)
  /// `choose(C4, E4, ~)`: one element, drawn from the statement's seeded stream.
  case choose([NoteExpr], range: SourceRange)
  /// `^3`, `^b3`: a degree of the scale in force when the note plays.
  case degree(DegreeLiteral)
  /// `arp(C4'min7, up, octaves=2)`: a chord's notes one after another (its times are a `TimeExpr.run`).
  indirect case arp(ArpSpec)
  /// `"kick*2 [snare clap]"`: a mini-notation string (its times are a `TimeExpr.cycles`).
  indirect case mini(MiniNotation)

  public var range: SourceRange {
    switch self {
    case .single(let n): return n.range
    case .namedChord(_, _, let r), .chord(_, let r), .rest(let r), .choose(_, let r): return r
    case .degree(let d): return d.range
    case .arp(let a): return a.range
    case .mini(let m): return m.range
    }
  }
}

/// When a statement plays. A plain number of beats is held inline; the larger forms are boxed (see `NoteExpr`).
public enum TimeExpr: Hashable, Sendable {
  /// `0.5`, `1/3`: beats from the start of the enclosing block, motif or section.
  case beats(NumberLiteral)
  /// `3:2.5`: bar 3, beat 2.5 (both from 1) in the file's meter.
  indirect case barBeat(bar: NumberLiteral, beat: NumberLiteral, range: SourceRange)
  /// `euclid(5,8,2) step 1/4 at 0`: `pulses` onsets spread over `steps` steps (Bjorklund), rotated left by
  /// `rotation`, each step `step` beats long, from `at`.
  indirect case euclid(EuclidSpec)
  /// `step 1/8 at 0 for 4` after `arp(…)`: a note every `step` beats from `at` until `for` beats have passed.
  indirect case run(RunSpec)
  /// `over 4 cycles 8 at 16` after a mini-notation string.
  indirect case cycles(CycleSpec)

  public var range: SourceRange {
    switch self {
    case .beats(let n): return n.range
    case .barBeat(_, _, let r): return r
    case .euclid(let e): return e.range
    case .run(let r): return r.range
    case .cycles(let c): return c.range
    }
  }
}

/// The parts of `euclid(pulses, steps, rotation) step STEP at TIME`.
public struct EuclidSpec: Hashable, Sendable {
  public var pulses: NumberLiteral
  public var steps: NumberLiteral
  public var rotation: NumberLiteral?
  public var step: NumberLiteral
  public var at: TimeExpr
  public var range: SourceRange
}

/// `over BEATS cycles N at TIME` after a mini-notation string, each part optional and in any order.
public struct CycleSpec: Hashable, Sendable {
  /// Beats one cycle spans (nil: one bar of the meter where the string starts).
  public var over: NumberLiteral?
  /// Cycles played back to back (nil: 1).
  public var cycles: NumberLiteral?
  /// Where the first cycle starts (nil: 0).
  public var at: TimeExpr?
  /// The string's range through the last part written.
  public var range: SourceRange
}

/// `piano C4 0 dur=2 vel=0.8;`: INSTRUMENT NOTE TIME ATTRIBUTE* `;`
public struct NoteStatement: Hashable, Sendable {
  public var instrument: Name
  public var note: NoteExpr
  public var time: TimeExpr
  public var attributes: [Attribute]
  public var range: SourceRange
}
