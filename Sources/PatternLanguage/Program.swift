/// The checked form of a file that expansion walks: every name bound, every attribute in range, every time
/// in beats. Built by `Lowering`, consumed by `Expander`.
struct Program {
  var tracks: [Track] = []
  var blocks: [LoweredBlock] = []
  var motifs: [LoweredMotif] = []
  var sections: [LoweredSection] = []
  /// The top-level `arrange`, if any.
  var arrangement: [ArrangeSlot] = []
  /// `bus …;` in declaration order, and the `master(fx=…)` chain.
  var buses: [MixBus] = []
  var master: [EffectSpec] = []
  /// The song's meters: the top-level ones, then (once lengths are known) each placement of a section with its
  /// own meter.
  var meterMap = MeterMap()
  /// Top-level `scale …;` directives, by beat from the song's start.
  var scales: [ScalePoint] = []
}

/// A block's statements, bound to a track, with the key of its random streams.
struct LoweredBlock {
  var track: Int
  var key: UInt64
  var nodes: [Node]
}

struct LoweredMotif {
  var name: String
  var nodes: [Node]
  var location: SourceLocation
  /// Its first onset and its last note's end (start + dur), beats from where it is played; set by `SongForm`.
  /// `reverse` mirrors times within 0 … `end`.
  var start: BeatTime = .zero
  var end: BeatTime = .zero
}

struct LoweredSection {
  var name: String
  var key: UInt64
  var blocks: [LoweredBlock]
  var arrangement: [ArrangeSlot]
  var explicitLength: BeatTime?
  /// `meter 6/8;` in the section (nil: the song's opening meter counts its bars and rounds its length).
  var meter: Meter?
  /// `scale …;` inside the section, by beat from its start.
  var scales: [ScalePoint] = []
  /// Filled in once motifs and nested sections are known: explicit, or the content's end rounded up to a bar.
  var length: BeatTime = .zero
  var location: SourceLocation
}

struct ArrangeSlot {
  var section: Int
  var count: Int
  var range: SourceRange
}

/// One statement, checked.
enum Node {
  case note(LoweredNote)
  /// `repeat count every { body }`; `index` is the statement's position in its body (for stream keys).
  indirect case `repeat`(count: Int, every: BeatTime, body: [Node], index: Int, location: SourceLocation)
  indirect case play(PlayNode)
}

/// One note a statement may sound: a fixed value, or a scale degree that resolves when the note is placed.
enum PickedNote: Hashable, Sendable {
  case value(NoteValue)
  /// The 0-based degree (`^3` is 2) and the semitones of its accidentals.
  case degree(index: Int, offset: Int)
}

/// What a note statement sounds: all of a chord, or one of a `choose`, down to plain notes. (Not `indirect`: the
/// arrays already hold the nesting, and a box per note statement was one more allocation each.)
enum NotePick: Sendable {
  /// These notes at once (none: a rest).
  case notes([PickedNote])
  case all([NotePick])
  case one([NotePick])

  /// `.notes([.value(.pitch(midi: m))])` for every MIDI note m, built once: the pick of most statements, shared
  /// instead of a one-element array allocated per statement.
  static let pitches: [NotePick] = (0...127).map { .notes([.value(.pitch(midi: $0))]) }
}

/// One note statement, checked: immutable once lowered, and shared by reference — expansion hands it to every
/// event on its way (a play's notes, a repeat's iterations), and copying a 280-byte struct with eight reference
/// fields retained and released each field each time (~7 % of compiling a large song).
final class LoweredNote {
  let instrumentName: String
  let instrument: InstrumentDescriptor
  let pick: NotePick
  /// Start times relative to the enclosing block, motif or section (several for `euclid`).
  let onsets: Onsets
  let duration: BeatTime
  let velocity: Double
  /// `vel=… ~ s`: each note's velocity is drawn in velocity ± s (0: none).
  let velocitySpread: Double
  /// `arp(…)`: the chord's notes one per onset, in this order (nil: every note at every onset).
  let arp: ArpPlan?
  let pan: Double
  let gainDecibels: Double
  let probability: Double?
  let nudge: BeatTime?
  let envelope: EnvelopeOverride
  /// The note's own sound; moving values in beats from the note's start.
  let expression: NoteExpression
  let location: SourceLocation
  let noteRange: SourceRange
  /// Position among all note statements of the file, in source order (the engine's noise key).
  let statementIndex: Int
  /// Position in its body (stream key).
  let index: Int
  /// A mini-notation string's pattern and cycles (its events replace `pick`, `onsets` and `duration`).
  var mini: MiniPlan? { miniPlan.first }
  /// `mini` kept out of line (none, or one): inline, its 144 bytes were a third of every lowered note.
  private let miniPlan: [MiniPlan]

  init(
    instrumentName: String, instrument: InstrumentDescriptor, pick: NotePick, onsets: Onsets, duration: BeatTime,
    velocity: Double, velocitySpread: Double = 0, arp: ArpPlan?, pan: Double, gainDecibels: Double,
    probability: Double?, nudge: BeatTime?, envelope: EnvelopeOverride, expression: NoteExpression,
    location: SourceLocation, noteRange: SourceRange, statementIndex: Int, index: Int, mini: MiniPlan? = nil
  ) {
    self.instrumentName = instrumentName
    self.instrument = instrument
    self.pick = pick
    self.onsets = onsets
    self.duration = duration
    self.velocity = velocity
    self.velocitySpread = velocitySpread
    self.arp = arp
    self.pan = pan
    self.gainDecibels = gainDecibels
    self.probability = probability
    self.nudge = nudge
    self.envelope = envelope
    self.expression = expression
    self.location = location
    self.noteRange = noteRange
    self.statementIndex = statementIndex
    self.index = index
    self.miniPlan = mini.map { [$0] } ?? []
  }

  /// One event of a mini-notation string: this note with the event's pick, onset, length, sound and place, and no
  /// string.
  func event(
    pick: NotePick, onset: BeatTime, duration: BeatTime, expression: NoteExpression, range: SourceRange
  ) -> LoweredNote {
    LoweredNote(
      instrumentName: instrumentName, instrument: instrument, pick: pick, onsets: .one(onset), duration: duration,
      velocity: velocity, velocitySpread: velocitySpread, arp: arp, pan: pan, gainDecibels: gainDecibels,
      probability: probability, nudge: nudge, envelope: envelope, expression: expression, location: range.start,
      noteRange: range, statementIndex: statementIndex, index: index)
  }
}

struct PlayNode {
  var motif: Int
  var at: BeatTime
  var shape: PlayShape
  /// `every=N:…`: changes on the Nth, 2Nth, … repetition of the innermost `repeat`.
  var every: [(period: Int, change: PlayShape.Change)] = []
  var range: SourceRange
  var index: Int

  /// The shape on repetition `iteration` (from 1) of the innermost enclosing `repeat`.
  func shape(onRepetition iteration: Int) -> PlayShape {
    var shape = shape
    for clause in every where iteration % clause.period == 0 { shape.apply(clause.change) }
    return shape
  }
}

/// How `arp(…)` orders its chord: `octaves` copies of it, each 12 semitones up, in `mode`'s order.
struct ArpPlan {
  enum Mode: String { case up, down, updown, random }
  var mode: Mode
  var octaves: Int
}

/// Keys of the seeded random streams: 64-bit mixes of (seed, section, block, statement, iteration) parts.
public enum StreamKey {
  /// SplitMix64's finaliser: every input bit affects every output bit. (Shared with the engine's noise keys
  /// and the golden digests.)
  @inlinable
  public static func mix(_ z: UInt64) -> UInt64 {
    var z = z &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func combine(_ key: UInt64, _ part: UInt64) -> UInt64 { mix(key ^ mix(part)) }

  /// FNV-1a of a name's UTF-8: keys that depend on what a thing is called, not where it sits.
  static func name(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }

  /// A draw in [0, 1) with 53 bits.
  static func unit(_ key: UInt64) -> Double { Double(mix(key) >> 11) * 0x1p-53 }
}
