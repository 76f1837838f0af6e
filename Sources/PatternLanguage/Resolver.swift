/// Binds names to instruments and turns the syntax tree into a `Score`, checking what the parser cannot:
/// unknown instruments and modules, duplicate imports, notes an instrument cannot play, attribute ranges,
/// tempo and the event limit.
public struct Resolver {
  public let catalog: InstrumentCatalog
  public let limits: LanguageLimits

  /// Default length of a note, in beats.
  public static let defaultDuration = BeatTime(1, 2)

  public init(catalog: InstrumentCatalog = .builtIn, limits: LanguageLimits = .default) {
    self.catalog = catalog
    self.limits = limits
  }

  /// Resolves a parsed file. The score is nil only when nothing usable could be built; it may be partial
  /// when there are errors (check the diagnostics).
  public func resolve(_ file: PatternFile) -> (score: Score, diagnostics: [Diagnostic]) {
    var diagnostics: [Diagnostic] = []

    // Imports: local name → instrument. Later imports of the same name are errors.
    var bound: [(name: String, decl: ImportDecl, instrument: InstrumentDescriptor)] = []
    for decl in file.imports {
      if let first = bound.first(where: { $0.name == decl.name.text }) {
        diagnostics.append(
          .error(
            "'\(decl.name.text)' is imported twice", at: decl.name.range,
            hint: "remove one import, or import it under another name",
            notes: [.init(message: "first imported here", range: first.decl.name.range)]))
        continue
      }
      guard let instrument = catalog.module(decl.module.text) else {
        diagnostics.append(
          .error(
            "unknown instrument module \"\(decl.module.text)\"", at: decl.module.range,
            hint: Suggestions.hint(for: decl.module.text, in: catalog.modules.map(\.name))
              ?? "modules: " + catalog.modules.map(\.name).joined(separator: ", ")))
        continue
      }
      bound.append((decl.name.text, decl, instrument))
    }

    // Tempo: one `tempo` line (changes over time come with the language issue).
    var tempo = [TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60))]
    for (i, decl) in file.tempos.enumerated() {
      let bpm = decl.beatsPerMinute.value
      if i > 0 {
        diagnostics.append(
          .error(
            "tempo is set twice", at: decl.range,
            notes: [.init(message: "first set here", range: file.tempos[0].range)]))
        continue
      }
      if bpm < BeatTime(1) || bpm > BeatTime(1000) {
        diagnostics.append(
          .error(
            "tempo \(decl.beatsPerMinute.text) is out of range", at: decl.beatsPerMinute.range,
            hint: "use 1 … 1000 beats per minute"))
        continue
      }
      tempo = [TempoPoint(beat: .zero, beatsPerMinute: bpm)]
    }

    var tracks: [Track] = []
    var events: [NoteEvent] = []
    var kindCounts: [BlockKind: Int] = [:]
    var statementIndex = 0
    let knownNames = bound.map(\.name) + catalog.builtins.map(\.id).filter { id in !bound.contains { $0.name == id } }

    for block in file.blocks {
      kindCounts[block.kind, default: 0] += 1
      let count = kindCounts[block.kind]!
      let track = Track(
        index: tracks.count, kind: block.kind,
        name: count == 1 ? block.kind.rawValue : "\(block.kind.rawValue) \(count)",
        gain: 1, pan: 0, location: block.keyword.range.start)
      tracks.append(track)
      for statement in block.statements {
        defer { statementIndex += 1 }
        let name = statement.instrument.text
        guard let instrument = bound.first(where: { $0.name == name })?.instrument ?? catalog.builtin(name) else {
          let moduleHint = catalog.module(name) != nil ? "add: import \(name) from \"\(name)\";" : nil
          diagnostics.append(
            .error(
              "unknown instrument '\(name)'", at: statement.instrument.range,
              hint: Suggestions.hint(for: name, in: knownNames) ?? moduleHint
                ?? "known instruments: " + knownNames.joined(separator: ", ")))
          continue
        }
        guard let note = check(statement.note, on: instrument, named: name, &diagnostics) else { continue }
        guard let settings = NoteSettings(statement.attributes, &diagnostics) else { continue }
        if events.count >= limits.maxEvents {
          diagnostics.append(
            .error(
              "more than \(limits.maxEvents) notes", at: statement.range, hint: "split the song, or raise the limit"))
          return (Score(tracks: tracks, events: events, tempo: tempo), diagnostics)
        }
        events.append(
          NoteEvent(
            track: track.index, instrumentName: name, instrument: instrument, note: note,
            start: statement.time.value, duration: settings.duration, velocity: settings.velocity, pan: settings.pan,
            envelope: settings.envelope,
            location: statement.range.start, statementIndex: statementIndex))
      }
    }
    // Stable: equal starts keep source order. Small keys are sorted, not the events themselves.
    let order = events.indices.sorted { a, b in
      events[a].start != events[b].start ? events[a].start < events[b].start : a < b
    }
    let sorted = order.map { events[$0] }
    return (Score(tracks: tracks, events: sorted, tempo: tempo), diagnostics)
  }

  private func check(
    _ note: NoteLiteral, on instrument: InstrumentDescriptor, named name: String, _ diagnostics: inout [Diagnostic]
  ) -> NoteValue? {
    switch (note.value, instrument.playable) {
    case (.pitch(let midi), .pitches(let range)):
      if range.contains(midi) { return note.value }
      diagnostics.append(
        .error(
          "\(name) cannot play \(note.text)", at: note.range,
          hint: "\(name) plays \(Pitch.name(ofMIDI: range.lowerBound))–\(Pitch.name(ofMIDI: range.upperBound))"))
    case (.hit(let hit), .hits(let hits)):
      if let canonical = instrument.canonicalHit(hit) { return .hit(canonical) }
      diagnostics.append(
        .error(
          "\(name) has no sound called '\(hit)'", at: note.range,
          hint: Suggestions.hint(for: hit, in: hits) ?? "\(name) plays " + hits.joined(separator: ", ")))
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
