/// The syntax tree of one pattern file. Every node keeps its source range.
public struct PatternFile: Hashable, Sendable {
  public var imports: [ImportDecl] = []
  public var tempos: [TempoDecl] = []
  public var blocks: [Block] = []

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

/// `import piano from "grand";`: binds the local instrument name `piano` to the module `grand`.
public struct ImportDecl: Hashable, Sendable {
  public var name: Name
  public var module: Name
  public var range: SourceRange
}

/// `tempo 120;`: beats per minute from the start of the song.
public struct TempoDecl: Hashable, Sendable {
  public var beatsPerMinute: NumberLiteral
  public var range: SourceRange
}

/// The four block kinds of the original grammar. Each block is a track (and later a stem).
public enum BlockKind: String, Hashable, Sendable, CaseIterable {
  case melody, rhythm, harmony, contrast
}

/// `melody { … }`: a track of note statements.
public struct Block: Hashable, Sendable {
  public var kind: BlockKind
  public var keyword: Name
  public var statements: [NoteStatement]
  public var range: SourceRange
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

/// `dur=2`, `vel=0.8`, `pan=-0.5`.
public struct Attribute: Hashable, Sendable {
  public var name: Name
  public var value: NumberLiteral
  public var range: SourceRange
}

/// `piano C4 0 dur=2 vel=0.8;`: INSTRUMENT NOTE TIME ATTRIBUTE* `;`
public struct NoteStatement: Hashable, Sendable {
  public var instrument: Name
  public var note: NoteLiteral
  public var time: NumberLiteral
  public var attributes: [Attribute]
  public var range: SourceRange
}

/// The per-note attributes the language knows, with their valid ranges.
public enum NoteAttribute: String, CaseIterable, Sendable {
  /// Duration in beats, > 0.
  case dur
  /// Velocity 0 … 1 (values above 1 up to 127 are read as MIDI velocities and divided by 127).
  case vel
  /// Stereo position −1 (left) … 1 (right).
  case pan
  /// Envelope attack time in seconds (overrides the instrument's), 0 … 60.
  case attack
  /// Envelope decay time in seconds, 0 … 60.
  case decay
  /// Envelope sustain level 0 … 1.
  case sustain
  /// Envelope release time in seconds, 0 … 60.
  case release
}
