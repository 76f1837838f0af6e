/// Expands a checked program into note events: repeats unrolled, motifs played, sections placed back to
/// back, chords spread, `choose`, `prob` and `nudge` drawn from seeded streams, swing applied.
///
/// Every random draw is keyed by (seed, section and its occurrence, block, statement position, repeat
/// iteration, play), never by a running counter, so editing one statement does not reshuffle the others.
struct Expander {
  let program: Program
  let limits: LanguageLimits
  let seed: UInt64
  let swing: Swing?
  private(set) var events: [NoteEvent] = []
  private(set) var diagnostics: [Diagnostic] = []
  private(set) var placements: [SectionPlacement] = []
  private var steps = 0
  private var stopped = false
  private var reported: Set<String> = []
  private var occurrences: [Int: Int] = [:]

  /// Draw purposes: each kind of draw has its own stream, so adding `prob=` never changes a `choose`.
  private enum Draw: UInt64 {
    case choose = 0x43, prob = 0x50, nudge = 0x4E
  }

  init(program: Program, limits: LanguageLimits, seed: UInt64, swing: Swing?) {
    self.program = program
    self.limits = limits
    self.seed = seed
    self.swing = swing
  }

  /// The state a statement is expanded in.
  private struct Context {
    var origin = BeatTime.zero
    var transpose = 0
    var velocity = 1.0
    var gainDecibels = 0.0
    var track: Int
    var key: UInt64
    var depth = 0
    /// The innermost `play` that transposes, for range errors.
    var transposedBy: SourceRange?
    /// The `play` statements on the way here, outermost first (`NoteEvent.playSites`).
    var plays: [SourceLocation] = []
  }

  mutating func run() {
    let root = StreamKey.mix(seed)
    for block in program.blocks {
      expand(block.nodes, Context(track: block.track, key: StreamKey.combine(root, block.key)))
    }
    arrange(program.arrangement, at: .zero, root: root, prefix: "")
  }

  /// Events by start time; equal starts keep the order they were produced in (source order).
  func sortedEvents() -> [NoteEvent] {
    let order = events.indices.sorted { a, b in
      events[a].start != events[b].start ? events[a].start < events[b].start : a < b
    }
    return order.map { events[$0] }
  }

  private mutating func arrange(_ slots: [ArrangeSlot], at start: BeatTime, root: UInt64, prefix: String) {
    var t = start
    for slot in slots {
      for _ in 0..<slot.count {
        if stopped { return }
        let section = program.sections[slot.section]
        let occurrence = occurrences[slot.section, default: 0]
        occurrences[slot.section] = occurrence + 1
        let key = StreamKey.combine(StreamKey.combine(root, section.key), UInt64(occurrence))
        placements.append(
          SectionPlacement(name: prefix + section.name, start: t, length: section.length, location: section.location))
        for block in section.blocks {
          expand(block.nodes, Context(origin: t, track: block.track, key: StreamKey.combine(key, block.key)))
        }
        arrange(section.arrangement, at: t, root: root, prefix: prefix + section.name + "/")
        t = t + section.length
      }
    }
  }

  private mutating func expand(_ nodes: [Node], _ context: Context) {
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
          inner.origin = context.origin + every * BeatTime(Int64(i))
          inner.key = StreamKey.combine(key, UInt64(i))
          inner.depth += 1
          expand(body, inner)
        }
      case .play(let play):
        var inner = context
        inner.origin = context.origin + play.at
        inner.transpose += play.transpose
        inner.velocity *= play.velocity
        inner.gainDecibels += play.gainDecibels
        inner.key = StreamKey.combine(context.key, UInt64(play.index) | 0x706C_6179_0000_0000)
        inner.depth += 1
        if play.transpose != 0 { inner.transposedBy = play.range }
        inner.plays.append(play.range.start)
        guard inner.depth <= limits.maxNesting else {
          fail("motifs are nested more than \(limits.maxNesting) deep", at: play.range, hint: "flatten the motifs")
          return
        }
        expand(program.motifs[play.motif].nodes, inner)
      }
    }
  }

  private mutating func emit(_ note: LoweredNote, _ context: Context) {
    let statementKey = StreamKey.combine(context.key, UInt64(note.index))
    for (j, onset) in note.onsets.enumerated() {
      guard countStep(at: SourceRange(at: note.location)) else { return }
      let key = note.onsets.count == 1 ? statementKey : StreamKey.combine(statementKey, UInt64(j))
      if let p = note.probability, StreamKey.unit(key ^ Draw.prob.rawValue) >= p { continue }
      var drawKey = key ^ Draw.choose.rawValue
      let values = Self.pick(note.pick, &drawKey)
      var start = context.origin + onset
      var end = start + note.duration
      if let swing {
        start = swing.apply(start)
        end = swing.apply(end)
      }
      if let nudge = note.nudge, nudge > .zero {
        // A whole number of thousandths of the nudge, −1000 … 1000: exact, and uniform enough for timing.
        let k = Int64(StreamKey.mix(key ^ Draw.nudge.rawValue) % 2001) - 1000
        let offset = nudge * BeatTime(k, 1000)
        start = start + offset
        end = end + offset
        if start.isNegative {
          end = end - start
          start = .zero
        }
      }
      for value in values {
        guard let sounding = transposed(value, note, context) else { continue }
        if events.count >= limits.maxEvents {
          fail(
            "more than \(limits.maxEvents) notes", at: SourceRange(at: note.location),
            hint: "split the song, or raise the limit")
          return
        }
        events.append(
          NoteEvent(
            track: context.track, instrumentName: note.instrumentName, instrument: note.instrument, note: sounding,
            start: start, duration: end - start, velocity: min(1, note.velocity * context.velocity), pan: note.pan,
            gainDecibels: note.gainDecibels + context.gainDecibels, envelope: note.envelope,
            expression: note.expression.isEmpty ? note.expression : note.expression.shifted(by: start),
            location: note.location, playSites: context.plays, statementIndex: note.statementIndex))
      }
    }
  }

  /// A pitch moved by the enclosing `play … transpose=`; hits are never transposed. Out of the instrument's
  /// range is an error at the `play` (reported once per play and note).
  private mutating func transposed(_ value: NoteValue, _ note: LoweredNote, _ context: Context) -> NoteValue? {
    guard context.transpose != 0, case .pitch(let midi) = value else { return value }
    let moved = midi + context.transpose
    if case .pitches(let range) = note.instrument.playable, range.contains(moved) { return .pitch(midi: moved) }
    let at = context.transposedBy ?? note.noteRange
    let key = "\(at.start.offset):\(note.location.offset)"
    if reported.insert(key).inserted {
      let range: String =
        if case .pitches(let r) = note.instrument.playable {
          "\(Pitch.name(ofMIDI: r.lowerBound))–\(Pitch.name(ofMIDI: r.upperBound))"
        } else { "" }
      diagnostics.append(
        .error(
          "transposing \(Pitch.name(ofMIDI: midi)) by \(context.transpose) leaves \(note.instrumentName)'s range \(range)",
          at: at, hint: "transpose less, or change the note",
          notes: [.init(message: "the note", range: note.noteRange)]))
    }
    return nil
  }

  /// The notes a pick sounds; each `choose` takes the next draw of the statement's stream.
  private static func pick(_ pick: NotePick, _ key: inout UInt64) -> [NoteValue] {
    switch pick {
    case .notes(let values): return values
    case .all(let parts): return parts.flatMap { Self.pick($0, &key) }
    case .one(let options):
      key = StreamKey.mix(key)
      let index = Int(((key >> 32) * UInt64(options.count)) >> 32)
      return Self.pick(options[index], &key)
    }
  }

  /// One more statement instance or repeat iteration; false (with the error, once) past the limit.
  private mutating func countStep(at range: SourceRange) -> Bool {
    if stopped { return false }
    steps += 1
    if steps <= limits.maxExpansionSteps { return true }
    fail(
      "the song expands to more than \(limits.maxExpansionSteps) statement instances", at: range,
      hint: "lower the repeat counts")
    return false
  }

  private mutating func fail(_ message: String, at range: SourceRange, hint: String) {
    diagnostics.append(.error(message, at: range, hint: hint))
    stopped = true
  }
}
