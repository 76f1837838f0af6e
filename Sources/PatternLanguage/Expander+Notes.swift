/// A note on its way to becoming an event: placed in song time, its pitch still open to the moves of the
/// plays around it and, when written as a degree, to the scale in force where it lands.
struct PendingNote {
  var note: LoweredNote
  var track: Int
  /// Song beats, before swing and nudge.
  var start: BeatTime
  var end: BeatTime
  /// The nudge drawn for it, in beats (0 when none).
  var nudge: BeatTime
  var pitch: WorkingPitch
  var velocity: Double
  var gainDecibels: Double
  var scales: ScaleTimeline
  /// The `play` statements on the way to it, outermost first (`NoteEvent.playSites`).
  var playSites: [SourceLocation]
  var transposedBy: SourceRange?
  /// The written MIDI note while only semitones moved it (nil once a degree, `steps=`, an arp's octave or
  /// `invert` is involved), and the semitones it moved: for the message of a transposition out of range.
  var written: Int?
  var semitones = 0
}

/// A pitch while the plays around it move it.
enum WorkingPitch {
  case hit(String)
  case midi(Int)
  /// A 0-based scale degree and the semitones above it, resolved where the note finally sounds.
  case degree(index: Int, offset: Int)
  /// Already reported (no scale for `steps=`): the note does not sound.
  case lost
}

/// A play's move of its motif's pitches.
enum PitchMove {
  case steps(Int)
  case semitones(Int)
}

extension Expander {
  /// Emits a statement's notes; `salt` keys one event of a string apart from the others.
  mutating func emit(_ note: LoweredNote, _ context: Context, salt: UInt64? = nil) {
    if let mini = note.mini {
      emitMini(note, mini, context)
      return
    }
    var statementKey = StreamKey.combine(context.key, UInt64(note.index))
    if let salt { statementKey = StreamKey.combine(statementKey, salt) }
    for (j, onset) in note.onsets.enumerated() {
      guard countStep(at: SourceRange(at: note.location)) else { return }
      let key = note.onsets.count == 1 ? statementKey : StreamKey.combine(statementKey, UInt64(j))
      if let p = note.probability, StreamKey.unit(key ^ Draw.prob.rawValue) >= p { continue }
      var start = context.origin + context.factor * onset
      var end = context.origin + context.factor * (onset + note.duration)
      if end < start { (start, end) = (end, start) }
      let values: [PickedNote]
      if let arp = note.arp {
        guard let value = arpNote(note, arp, onset: j, key: key, at: start, context.scales) else { continue }
        values = [value]
      } else {
        var drawKey = key ^ Draw.choose.rawValue
        values = Self.pick(note.pick, &drawKey)
      }
      var nudge = BeatTime.zero
      if let n = note.nudge, n > .zero {
        // A whole number of thousandths of the nudge, −1000 … 1000: exact, and uniform enough for timing.
        nudge = n * BeatTime(Int64(StreamKey.mix(key ^ Draw.nudge.rawValue) % 2001) - 1000, 1000)
      }
      let waiting = collecting.isEmpty ? 0 : collecting.reduce(0) { $0 + $1.count }
      for (k, value) in values.enumerated() {
        if eventsInParts + events.count + waiting + k >= limits.maxEvents {
          fail(
            "more than \(limits.maxEvents) notes", at: SourceRange(at: note.location),
            hint: "split the song, or raise the limit")
          return
        }
        var pending = PendingNote(
          note: note, track: context.track, start: start, end: end, nudge: nudge, pitch: .lost,
          velocity: velocity(note, context, key: key, value: k), gainDecibels: note.gainDecibels + context.gainDecibels,
          scales: context.scales, playSites: context.plays, transposedBy: context.transposedBy)
        switch value {
        case .value(.hit(let h)): pending.pitch = .hit(h)
        case .value(.pitch(let m)):
          pending.pitch = .midi(m)
          pending.written = note.arp == nil ? m : nil
        case .degree(let index, let offset): pending.pitch = .degree(index: index, offset: offset)
        }
        move(&pending, by: context.moves)
        if collecting.isEmpty { finish(pending) } else { collecting[collecting.count - 1].append(pending) }
      }
    }
  }

  /// The note's velocity (drawn in vel ± spread, clamped to 0 … 1, when it has one) times the plays' (each
  /// drawn likewise when it has a spread), at most 1.
  private func velocity(_ note: LoweredNote, _ context: Context, key: UInt64, value: Int) -> Double {
    let stream = StreamKey.combine(key ^ Draw.velocity.rawValue, UInt64(value))
    var v = note.velocity
    if note.velocitySpread > 0 {
      v = min(1, max(0, v + note.velocitySpread * (2 * StreamKey.unit(stream) - 1)))
    }
    v *= context.velocity
    for play in context.velocitySpreads {
      v *= max(0, play.velocity + play.spread * (2 * StreamKey.unit(StreamKey.combine(stream, play.key)) - 1))
    }
    return min(1, v)
  }

  /// Applies pitch moves, innermost first. Steps move a degree along the scale; an absolute pitch is first
  /// read as the scale degree at or below it plus the semitones above that (C#4 in C major is ^1 + 1), so
  /// passing notes keep their colour.
  mutating func move(_ note: inout PendingNote, by moves: [PitchMove]) {
    for move in moves {
      switch (move, note.pitch) {
      case (_, .hit), (_, .lost): return
      case (.semitones(let n), .midi(let m)):
        note.pitch = .midi(m + n)
        note.semitones += n
      case (.semitones(let n), .degree(let i, let o)): note.pitch = .degree(index: i, offset: o + n)
      case (.steps(let n), .degree(let i, let o)):
        note.pitch = .degree(index: i + n, offset: o)
        note.written = nil
      case (.steps(let n), .midi(let m)):
        note.written = nil
        guard let scale = note.scales.scale(at: note.start) else {
          reportNoScale(at: note.transposedBy ?? note.note.noteRange, beat: note.start, what: "steps=", note.scales)
          note.pitch = .lost
          return
        }
        let (i, o) = scale.degree(below: m)
        note.pitch = .midi(scale.midi(index: i + n, offset: o))
      }
    }
  }

  /// The pitch `pitch` sounds at `beat` (nil for a hit, or a degree where no scale is in force).
  func midi(_ pitch: WorkingPitch, at beat: BeatTime, _ scales: ScaleTimeline) -> Int? {
    switch pitch {
    case .midi(let m): return m
    case .degree(let i, let o): return scales.scale(at: beat)?.midi(index: i, offset: o)
    case .hit, .lost: return nil
    }
  }

  /// Resolves, checks and swings a note into an event.
  mutating func finish(_ p: PendingNote) {
    guard !stopped else { return }
    let value: NoteValue
    switch p.pitch {
    case .lost: return
    case .hit(let h): value = .hit(h)
    case .midi, .degree:
      guard let m = midi(p.pitch, at: p.start, p.scales) else {
        reportNoScale(at: p.note.noteRange, beat: p.start, what: "this degree", p.scales)
        return
      }
      if case .pitches(let range) = p.note.instrument.playable, !range.contains(m) {
        reportRange(p, midi: m, range: range)
        return
      }
      value = .pitch(midi: m)
    }
    var start = p.start
    var end = p.end
    if let swing {
      start = swing.apply(start)
      end = swing.apply(end)
    }
    if let n = p.note.nudge, n > .zero {
      start = start + p.nudge
      end = end + p.nudge
      if start.isNegative {
        end = end - start
        start = .zero
      }
    }
    events.append(
      NoteEvent(
        track: p.track, instrumentName: p.note.instrumentName, instrument: p.note.instrument, note: value,
        start: start, duration: end - start, velocity: p.velocity, pan: p.note.pan, gainDecibels: p.gainDecibels,
        envelope: p.note.envelope,
        expression: p.note.expression.isEmpty
          ? p.note.expression
            // A play's speed= stretches the note, and its own ramps with it.
          : p.note.expression.shifted(by: start, scaledBy: (p.end - p.start) / p.note.duration),
        location: p.note.location, playSites: p.playSites, statementIndex: p.note.statementIndex))
  }

  /// A pitch out of the instrument's range: an error at the play that moved it (or the note), once per play
  /// and statement.
  private mutating func reportRange(_ p: PendingNote, midi: Int, range: ClosedRange<Int>) {
    let at = p.transposedBy ?? p.note.noteRange
    guard reported.insert("\(at.start.offset):\(p.note.location.offset)").inserted else { return }
    let span = "\(Pitch.name(ofMIDI: range.lowerBound))–\(Pitch.name(ofMIDI: range.upperBound))"
    let notes: [Diagnostic.Note] = p.transposedBy == nil ? [] : [.init(message: "the note", range: p.note.noteRange)]
    if let written = p.written {
      diagnostics.append(
        .error(
          "transposing \(Pitch.name(ofMIDI: written)) by \(p.semitones) leaves \(p.note.instrumentName)'s range \(span)",
          at: at, hint: "transpose less, or change the note", notes: notes))
      return
    }
    let name = (0...127).contains(midi) ? Pitch.name(ofMIDI: midi) : "MIDI note \(midi)"
    diagnostics.append(
      .error(
        "this note sounds \(name) here, outside \(p.note.instrumentName)'s range \(span)", at: at,
        hint: p.transposedBy == nil
          ? "change the degree or the octave (scale D3:minor; puts ^1 at D3)"
          : "move it less (steps=, transpose=), or change the note",
        notes: notes))
  }

  /// No scale where a degree or `steps=` needs one: one error, later cases noted on it (three, then a count).
  mutating func reportNoScale(at range: SourceRange, beat: BeatTime, what: String, _ scales: ScaleTimeline) {
    // A motif played many times reports each place once.
    guard reported.insert("scale:\(range.start.offset)").inserted else { return }
    guard let (i, uses) = noScale else {
      let first = scales.points.first.map { " (the first starts at beat \($0.beat))" } ?? ""
      diagnostics.append(
        .error(
          "no scale is in force at beat \(beat) for \(what)\(first)", at: range,
          hint: "set a scale from the start (scale C:major;), or play the note after the scale starts"))
      noScale = (diagnostics.count - 1, 0)
      return
    }
    noScale = (i, uses + 1)
    diagnostics[i].fold(
      occurrence: uses, note: "no scale here either (beat \(beat))",
      counting: { "and \($0) more notes without a scale" }, at: range)
  }

  /// The notes a pick sounds; each `choose` takes the next draw of the statement's stream.
  static func pick(_ pick: NotePick, _ key: inout UInt64) -> [PickedNote] {
    switch pick {
    case .notes(let values): return values
    case .all(let parts): return parts.flatMap { Self.pick($0, &key) }
    case .one(let options):
      key = StreamKey.mix(key)
      let index = Int(((key >> 32) * UInt64(options.count)) >> 32)
      return Self.pick(options[index], &key)
    }
  }
}
