/// Arpeggios and the transformations that need a whole motif at once (`rotate`, `invert`).
extension Expander {
  /// The chord note an arpeggio plays at its `onset`-th step: the chord sorted by pitch where it plays,
  /// `octaves` copies of it 12 semitones apart, walked up, down, up and down (the top and bottom notes once
  /// at each turn) or drawn at random from the step's own stream. Nil when the chord is empty or a degree has
  /// no scale there (reported).
  mutating func arpNote(
    _ note: LoweredNote, _ arp: ArpPlan, onset: Int, key: UInt64, at beat: BeatTime, _ scales: ScaleTimeline
  ) -> PickedNote? {
    guard case .notes(let chord) = note.pick, !chord.isEmpty else { return nil }
    var sorted: [(pitch: Int, note: PickedNote)] = []
    for picked in chord {
      switch picked {
      case .value(.pitch(let m)): sorted.append((m, picked))
      case .value(.hit): sorted.append((0, picked))
      case .degree(let i, let o):
        guard let m = scales.scale(at: beat)?.midi(index: i, offset: o) else {
          reportNoScale(at: note.noteRange, beat: beat, what: "this degree", scales)
          return nil
        }
        sorted.append((m, picked))
      }
    }
    // Stable: equal pitches keep their written order.
    sorted = sorted.enumerated().sorted { ($0.element.pitch, $0.offset) < ($1.element.pitch, $1.offset) }.map(\.element)
    let count = sorted.count * arp.octaves
    let position: Int
    switch arp.mode {
    case .up: position = onset % count
    case .down: position = count - 1 - onset % count
    case .updown:
      let cycle = max(1, 2 * count - 2)
      let p = onset % cycle
      position = p < count ? p : cycle - p
    case .random:
      position = Int(((StreamKey.mix(key ^ Draw.arp.rawValue) >> 32) * UInt64(count)) >> 32)
    }
    let octave = position / sorted.count
    switch sorted[position % sorted.count].note {
    case .value(.pitch(let m)): return .value(.pitch(midi: m + 12 * octave))
    case .degree(let i, let o): return .degree(index: i, offset: o + 12 * octave)
    case let other: return other
    }
  }

  /// `rotate=N`, the play's own pitch `moves`, then `invert`, on the notes of one play (in song time, before
  /// swing and nudge).
  ///
  /// Rotate keeps the rhythm and moves what sounds, as Tidal's `rot`: in time order (ties in source order),
  /// each note's place takes the note N places later (wrapping), its instrument, pitch and level, keeping the
  /// place's start and length. Invert mirrors every pitch around the first pitched note's: in scale steps when
  /// both are degrees (a tonal inversion, C D E → C B A in C major), otherwise in semitones (C4 E4 → C4 G#3).
  mutating func transform(_ notes: inout [PendingNote], _ shape: PlayShape, moves: [PitchMove]) {
    guard !notes.isEmpty else { return }
    let order = notes.indices.sorted { a, b in
      notes[a].start != notes[b].start ? notes[a].start < notes[b].start : a < b
    }
    if shape.rotate != 0 {
      let original = notes
      let n = ((shape.rotate % order.count) + order.count) % order.count
      for (i, place) in order.enumerated() {
        var moved = original[order[(i + n) % order.count]]
        moved.start = original[place].start
        moved.end = original[place].end
        notes[place] = moved
      }
    }
    for i in notes.indices { move(&notes[i], by: moves) }
    guard shape.invert, let first = order.first(where: { notes[$0].isPitched }) else { return }
    let axis = notes[first]
    for i in notes.indices where notes[i].isPitched {
      notes[i].written = nil
      if case .degree(let ai, let ao) = axis.pitch, case .degree(let index, let offset) = notes[i].pitch {
        notes[i].pitch = .degree(index: 2 * ai - index, offset: 2 * ao - offset)
      } else if let a = midi(axis.pitch, at: axis.start, axis.scales),
        let m = midi(notes[i].pitch, at: notes[i].start, notes[i].scales)
      {
        notes[i].pitch = .midi(2 * a - m)
      }
      // A degree with no scale stays as it is; finishing it reports the missing scale.
    }
  }
}

extension PendingNote {
  var isPitched: Bool {
    switch pitch {
    case .midi, .degree: return true
    case .hit, .lost: return false
    }
  }
}
