/// Syntax nodes for the expressive additions: scales and degrees, arpeggios and motif transformations.

/// `scale D:dorian;`, `scale D3:minor at 16;`: the scale degrees resolve through from a beat on (0 when `at`
/// is absent; in a section, beats from the section's start).
public struct ScaleDecl: Hashable, Sendable {
  /// `D`, `F#`, `Bb3`: the tonic, in octave 4 unless an octave is written.
  public var tonic: Name
  /// `dorian`, `harmonic_minor`: one of `Scale.names`.
  public var name: Name
  public var at: TimeExpr?
  public var range: SourceRange
}

/// `^1 … ^15`, with accidentals: `^b3` is a semitone below the third degree, `^#4` one above the fourth.
public struct DegreeLiteral: Hashable, Sendable {
  /// The degree as written, 1 … 15.
  public var number: Int
  /// Semitones from the accidentals: −2 … 2 (`bb` … `##`).
  public var accidental: Int
  public var text: String
  public var range: SourceRange
}

/// `arp(C4'min7, updown, octaves=2)`: the chord whose notes are played one after another, in which order,
/// and over how many octaves (upward).
public struct ArpSpec: Hashable, Sendable {
  /// A named chord, a bracket chord, degrees, or a single note.
  public var chord: NoteExpr
  /// `up`, `down`, `updown` or `random`.
  public var mode: Name
  /// `octaves=N`, 1 … 4 (1 when absent).
  public var octaves: NumberLiteral?
  public var range: SourceRange
}

/// `step 1/8 at 0 for 4`: onsets every `step` beats from `at` while less than `length` beats have passed.
public struct RunSpec: Hashable, Sendable {
  public var step: NumberLiteral
  public var at: TimeExpr
  /// `for L`: how long the run lasts, in beats.
  public var length: NumberLiteral
  public var range: SourceRange
}

/// `every=2:reverse`, `every=4:speed=2`: one transformation of a `play`, applied on the Nth, 2Nth, …
/// repetition of the innermost `repeat` around it.
public struct EveryClause: Hashable, Sendable {
  public var period: NumberLiteral
  public var modifier: PlayModifier
  public var range: SourceRange
}

/// What an `every=` clause applies: a bare transformation or an attribute.
public enum PlayModifier: Hashable, Sendable {
  /// `reverse`, `invert`.
  case flag(Name)
  /// `speed=2`, `steps=1`, `transpose=12`, …
  case attribute(Attribute)
}
