/// How a `play` changes the motif it plays: where its pitches move, how loud it is, and its transformations.
/// Built from the play's attributes and bare words; `every=N:…` clauses apply further changes on some
/// repetitions.
struct PlayShape: Hashable {
  /// `transpose=`: semitones.
  var transpose = 0
  /// `steps=`: steps along the scale in force (applied before `transpose`).
  var steps = 0
  /// `vel=`: multiplies each note's velocity; with `~`, drawn per note in velocity ± spread.
  var velocity = 1.0
  var velocitySpread = 0.0
  /// `gain=`: decibels added to each note.
  var gainDecibels = 0.0
  /// `speed=`: an exact ratio; 2 halves times and lengths.
  var speed = BeatTime.one
  /// `reverse`: a note at t lasting d moves to end − t − d (the motif's `end`).
  var reverse = false
  /// `invert`: pitches mirrored around the motif's first note.
  var invert = false
  /// `rotate=`: each note's place takes the pitch (and level) of the note N places later.
  var rotate = 0

  /// One change, as written: a bare word or an attribute's value.
  enum Change: Hashable {
    case reverse, invert
    case transpose(Int), steps(Int), rotate(Int)
    case velocity(Double, spread: Double)
    case gain(Double)
    case speed(BeatTime)
  }

  mutating func apply(_ change: Change) {
    switch change {
    case .reverse: reverse = true
    case .invert: invert = true
    case .transpose(let n): transpose = n
    case .steps(let n): steps = n
    case .rotate(let n): rotate = n
    case .velocity(let v, let spread): (velocity, velocitySpread) = (v, spread)
    case .gain(let g): gainDecibels = g
    case .speed(let r): speed = r
    }
  }

  /// Invert and rotate need all of the motif's notes at once, so the play collects them before they sound.
  var needsWholeMotif: Bool { invert || rotate != 0 }

  /// Whether it moves pitches (for range errors, which then point at the play).
  var movesPitches: Bool { transpose != 0 || steps != 0 || invert || rotate != 0 }

  /// Where a motif whose notes span `start` … `end` (beats from its origin) starts and ends when played with
  /// this shape, in beats from the play's time.
  func extent(start: BeatTime, end: BeatTime) -> (start: BeatTime, end: BeatTime) {
    reverse ? (.zero, (end - start) / speed) : (start / speed, end / speed)
  }
}
