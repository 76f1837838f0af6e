/// Expands a checked program into note events: repeats unrolled, motifs played (and transformed), sections
/// placed back to back, chords spread, arpeggios ordered, degrees resolved through the scale in force, `choose`,
/// `prob`, `nudge` and velocity spreads drawn from seeded streams, swing applied.
///
/// Every random draw is keyed by (seed, section and its occurrence, block, statement position, repeat
/// iteration, play), never by a running counter, so editing one statement does not reshuffle the others.
struct Expander {
  let program: Program
  let limits: LanguageLimits
  let seed: UInt64
  let swing: Swing?
  var events: [NoteEvent] = []
  /// The top-level statements' events when they were expanded side by side (`expandBlocksInParts`), each run's in
  /// start order; `events` then holds only what came after them, and `takeSortedEvents` merges the two.
  var sortedParts: [[NoteEvent]] = []
  /// How many events `sortedParts` hold (counted against the limit as if they were in `events`).
  var eventsInParts = 0
  var diagnostics: [Diagnostic] = []
  private(set) var placements: [SectionPlacement] = []
  var steps = 0
  /// Work done evaluating random mini-notation strings so far (`Expander+Mini`).
  var miniWork = 0
  var stopped = false
  var reported: Set<String> = []
  private var occurrences: [Int: Int] = [:]
  /// Notes of the plays being transformed as a whole (`invert`, `rotate`), innermost last; while one is open,
  /// notes wait here instead of becoming events.
  var collecting: [[PendingNote]] = []
  /// The "no scale in force" error later cases fold into, and how many did.
  var noScale: (diagnostic: Int, uses: Int)?

  /// Draw purposes: each kind of draw has its own stream, so adding `prob=` never changes a `choose`.
  enum Draw: UInt64 {
    case choose = 0x43, prob = 0x50, nudge = 0x4E, velocity = 0x56, arp = 0x41, mini = 0x4D
  }

  init(program: Program, limits: LanguageLimits, seed: UInt64, swing: Swing?) {
    self.program = program
    self.limits = limits
    self.seed = seed
    self.swing = swing
  }

  /// The state a statement is expanded in.
  struct Context {
    /// A statement's time t sounds at song beat `origin + factor × t`: `factor` is below 1 in a faster play and
    /// negative in a reversed one (whose notes then run from their end).
    var origin = BeatTime.zero
    var factor = BeatTime.one
    /// Pitch moves of the enclosing plays, innermost first (up to the innermost play heard as a whole).
    var moves: [PitchMove] = []
    var velocity = 1.0
    /// `play … vel=V ~ S`: factors drawn per note, each with its play's key.
    var velocitySpreads: [(velocity: Double, spread: Double, key: UInt64)] = []
    var gainDecibels = 0.0
    var track: Int
    var key: UInt64
    var depth = 0
    /// The innermost `play` that moves pitches, for range errors.
    var transposedBy: SourceRange?
    /// The repetition (from 1) of the innermost `repeat`, for `every=`.
    var repetition = 1
    var scales: ScaleTimeline
    /// The `play` statements on the way here, outermost first (`NoteEvent.playSites`).
    var plays: [SourceLocation] = []
  }

  mutating func run() {
    let root = StreamKey.mix(seed)
    let scales = ScaleTimeline(points: program.scales)
    if !expandBlocksInParts(root: root, scales: scales) {
      for block in program.blocks {
        expand(block.nodes, Context(track: block.track, key: StreamKey.combine(root, block.key), scales: scales))
      }
    }
    arrange(program.arrangement, at: .zero, root: root, prefix: "", scales: scales)
  }

  /// The events by start time; equal starts keep the order they were produced in (source order). They are moved
  /// out: `events` is left empty.
  ///
  /// Positions are sorted, then the events are put in place along the permutation's cycles, each swapped once:
  /// no second array of events (a copy of every event, and as much memory again).
  mutating func takeSortedEvents() -> [NoteEvent] {
    let sorted = sortEventsInPlace()
    guard !sortedParts.isEmpty else { return sorted }
    defer { sortedParts = [] }
    // The blocks' events came first, in block order: equal starts keep that order.
    return Self.merge(sortedParts + [sorted])
  }

  /// `events` by start time, equal starts in the order produced; `events` is left empty.
  private mutating func sortEventsInPlace() -> [NoteEvent] {
    // Sorted as (start, position) pairs side by side, not by looking each event up: fewer cache misses. Stable, so
    // equal starts stay in position order.
    let pairs = events.indices.map { (start: events[$0].start, index: $0) }
    var order = StableSort.sorted(pairs) { $0.start < $1.start }.map(\.index)
    // `order[k]` is where the event for position k is; a placed position gets `order[k] = k`.
    for i in order.indices where order[i] != i {
      var k = i
      while order[k] != i {
        let source = order[k]
        events.swapAt(k, source)
        order[k] = k
        k = source
      }
      order[k] = k
    }
    defer { events = [] }
    return events
  }

  private mutating func arrange(
    _ slots: [ArrangeSlot], at start: BeatTime, root: UInt64, prefix: String, scales: ScaleTimeline
  ) {
    var t = start
    for slot in slots {
      for _ in 0..<slot.count {
        if stopped { return }
        let section = program.sections[slot.section]
        let occurrence = occurrences[slot.section, default: 0]
        occurrences[slot.section] = occurrence + 1
        let key = StreamKey.combine(StreamKey.combine(root, section.key), UInt64(occurrence))
        let inner = scales.overridden(by: section.scales, at: t)
        placements.append(
          SectionPlacement(name: prefix + section.name, start: t, length: section.length, location: section.location))
        for block in section.blocks {
          expand(
            block.nodes,
            Context(origin: t, track: block.track, key: StreamKey.combine(key, block.key), scales: inner))
        }
        arrange(section.arrangement, at: t, root: root, prefix: prefix + section.name + "/", scales: inner)
        t = t + section.length
      }
    }
  }

  mutating func expand(_ nodes: [Node], _ context: Context) {
    for node in nodes {
      if stopped { return }
      switch node {
      case .note(let note):
        emit(note, context)
      case .repeat(let count, let every, let body, let index, let location):
        let key = StreamKey.combine(context.key, UInt64(index))
        for i in 0..<count {
          // Iterations count as work even when the body is empty, so nothing nested can spin unbounded.
          guard countStep(at: SourceRange(at: location)) else { return }
          var inner = context
          inner.origin = context.origin + context.factor * every * BeatTime(Int64(i))
          inner.key = StreamKey.combine(key, UInt64(i))
          inner.depth += 1
          inner.repetition = i + 1
          expand(body, inner)
        }
      case .play(let play):
        self.play(play, context)
      }
    }
  }

  private mutating func play(_ play: PlayNode, _ context: Context) {
    let shape = play.shape(onRepetition: context.repetition)
    let motif = program.motifs[play.motif]
    var inner = context
    // Motif time x sounds at play time `at + x / speed`, or `at + (end − x) / speed` reversed.
    inner.origin = context.origin + context.factor * (play.at + (shape.reverse ? motif.end / shape.speed : .zero))
    inner.factor = context.factor / shape.speed * (shape.reverse ? BeatTime(-1) : .one)
    let own =
      (shape.steps != 0 ? [PitchMove.steps(shape.steps)] : [])
      + (shape.transpose != 0 ? [.semitones(shape.transpose)] : [])
    // A play heard as a whole moves its notes itself, after rotating them; the moves around it come last.
    inner.moves = shape.needsWholeMotif ? [] : own + context.moves
    if shape.velocitySpread > 0 {
      inner.velocitySpreads.append(
        (shape.velocity, shape.velocitySpread, StreamKey.combine(context.key, UInt64(play.index))))
    } else {
      inner.velocity *= shape.velocity
    }
    inner.gainDecibels += shape.gainDecibels
    inner.key = StreamKey.combine(context.key, UInt64(play.index) | 0x706C_6179_0000_0000)
    inner.depth += 1
    if shape.movesPitches { inner.transposedBy = play.range }
    inner.plays.append(play.range.start)
    guard inner.depth <= limits.maxNesting else {
      fail("motifs are nested more than \(limits.maxNesting) deep", at: play.range, hint: "flatten the motifs")
      return
    }
    guard shape.needsWholeMotif else {
      expand(motif.nodes, inner)
      return
    }
    collecting.append([])
    expand(motif.nodes, inner)
    var notes = collecting.removeLast()
    transform(&notes, shape, moves: own)
    for i in notes.indices {
      move(&notes[i], by: context.moves)
      if notes[i].transposedBy == nil { notes[i].transposedBy = context.transposedBy }
    }
    if collecting.isEmpty {
      for note in notes { finish(note) }
    } else {
      collecting[collecting.count - 1] += notes
    }
  }

  /// One more statement instance or repeat iteration; false (with the error, once) past the limit.
  mutating func countStep(at range: SourceRange) -> Bool {
    if stopped { return false }
    steps += 1
    if steps <= limits.maxExpansionSteps { return true }
    fail(
      "the song expands to more than \(limits.maxExpansionSteps) statement instances", at: range,
      hint: "lower the repeat counts")
    return false
  }

  mutating func fail(_ message: String, at range: SourceRange, hint: String) {
    diagnostics.append(.error(message, at: range, hint: hint))
    stopped = true
  }
}
