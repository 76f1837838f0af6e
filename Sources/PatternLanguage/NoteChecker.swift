/// Checks the notes of a statement against what its instrument plays, turning the written form into a
/// `NotePick`.
struct NoteChecker {
  let instrument: InstrumentDescriptor
  let name: String
  /// The modules a song may import, searched for a kit that has a missing sound ("Clap is in the drums kit").
  /// Only that error looks at them: a SoundFont preset's details parse its font.
  var kitModules: [(name: String, instrument: InstrumentDescriptor)] = []

  /// `C1–C7`: the pitches a pitched instrument plays (or its sounds, for a kit), for hints.
  var rangeText: String {
    switch instrument.playable {
    case .pitches(let range): return "\(Pitch.name(ofMIDI: range.lowerBound))–\(Pitch.name(ofMIDI: range.upperBound))"
    case .hits(let hits): return hits.joined(separator: ", ")
    }
  }

  func pick(_ note: NoteExpr, _ diagnostics: inout [Diagnostic]) -> NotePick? {
    switch note {
    case .rest:
      return .notes([])
    case .single(let literal):
      return check(literal, &diagnostics).map { value in
        if case .pitch(let midi) = value, (0...127).contains(midi) { return NotePick.pitches[midi] }
        return .notes([.value(value)])
      }
    case .degree(let degree):
      if case .hits(let hits) = instrument.playable {
        diagnostics.append(
          .error(
            "\(name) is a drum kit and plays named sounds, not scale degrees", at: degree.range,
            hint: "\(name) plays " + hits.joined(separator: ", ")))
        return nil
      }
      // The pitch (and whether the instrument reaches it) depends on the scale where the note plays.
      return .notes([.degree(index: degree.number - 1, offset: degree.accidental)])
    case .arp(let spec):
      return pick(spec.chord, &diagnostics)
    case .mini(let m):
      // Lowering reads strings itself (`Lowering.lowerMini`); here one can only be misplaced.
      diagnostics.append(
        .error("a string is all of a statement's notes", at: m.range, hint: "kit \"kick [snare clap]\" over 4;"))
      return nil
    case .namedChord(let root, let quality, let range):
      guard case .pitch(let midi) = root.value, let intervals = Chord.intervals(quality.text) else { return nil }
      if case .hits = instrument.playable {
        diagnostics.append(
          .error("\(name) is a drum kit and cannot play chords", at: range, hint: "\(name) plays named sounds"))
        return nil
      }
      let notes = intervals.map { NoteLiteral(value: .pitch(midi: midi + $0), text: root.text, range: range) }
      var values: [PickedNote] = []
      for n in notes {
        guard case .pitch(let m) = n.value, (0...127).contains(m) else {
          diagnostics.append(.error("\(root.text)'\(quality.text) goes above MIDI note 127", at: range))
          return nil
        }
        guard let v = check(NoteLiteral(value: n.value, text: Pitch.name(ofMIDI: m), range: range), &diagnostics)
        else { return nil }
        values.append(.value(v))
      }
      return .notes(values)
    case .chord(let elements, _):
      var picks: [NotePick] = []
      var ok = true
      for e in elements {
        if let p = pick(e, &diagnostics) { picks.append(p) } else { ok = false }
      }
      return ok ? flattened(.all(picks)) : nil
    case .choose(let elements, _):
      var picks: [NotePick] = []
      var ok = true
      for e in elements {
        if let p = pick(e, &diagnostics) { picks.append(p) } else { ok = false }
      }
      return ok ? .one(picks) : nil
    }
  }

  /// `.all` of plain note lists is itself a plain note list.
  private func flattened(_ pick: NotePick) -> NotePick {
    guard case .all(let parts) = pick else { return pick }
    var notes: [PickedNote] = []
    for p in parts {
      guard case .notes(let n) = p else { return pick }
      notes += n
    }
    return .notes(notes)
  }

  /// One written note: in range for a pitched instrument, a known sound for a kit (canonical spelling).
  func check(_ note: NoteLiteral, _ diagnostics: inout [Diagnostic]) -> NoteValue? {
    switch (note.value, instrument.playable) {
    case (.pitch(let midi), .pitches(let range)):
      if range.contains(midi) { return note.value }
      diagnostics.append(
        .error(
          "\(name) cannot play \(note.text)", at: note.range,
          hint: "\(name) plays \(Pitch.name(ofMIDI: range.lowerBound))–\(Pitch.name(ofMIDI: range.upperBound))"))
    case (.hit(let hit), .hits(let hits)):
      if let canonical = instrument.canonicalHit(hit) { return .hit(canonical) }
      let elsewhere = kitModules.first { $0.instrument != instrument && $0.instrument.canonicalHit(hit) != nil }
      let importHint = elsewhere.map {
        "\(hit) is in the \"\($0.name)\" kit: import kit from \"\($0.name)\"; then write kit \(hit)"
      }
      diagnostics.append(
        .error(
          "\(name) has no sound called '\(hit)'", at: note.range,
          hint: Suggestions.hint(for: hit, in: hits) ?? importHint ?? "\(name) plays " + hits.joined(separator: ", ")))
    case (.pitch, .hits(let hits)):
      diagnostics.append(
        .error(
          "\(name) is a drum kit and plays named sounds, not pitches", at: note.range,
          hint: "\(name) plays " + hits.joined(separator: ", ")))
    case (.hit(let hit), .pitches(let range)):
      // "H4", "c4": shaped like a pitch but not one. Otherwise a drum name given to a pitched instrument.
      let pitchShaped = hit.utf8.last.map { $0 >= 48 && $0 <= 57 } ?? false
      let lowest = Pitch.name(ofMIDI: range.lowerBound)
      let highest = Pitch.name(ofMIDI: range.upperBound)
      let hint =
        pitchShaped
        ? "pitches are a capital letter A–G, an optional # or b, and an octave: C4, F#3, Bb2"
        : "\(name) plays pitches \(lowest)–\(highest), such as C4 or F#3"
      diagnostics.append(.error("'\(hit)' is not a pitch", at: note.range, hint: hint))
    }
    return nil
  }
}
