extension Score {
  /// `pstudio events --format json`: the song's settings, tracks, sections and every event, times as exact
  /// fractions (`"7/2"`) and as numbers, with each event's bar (`bar`, `barBeat`: `"4:5/2"`) through the meter
  /// map, its MIDI velocity, and the `play` statements that placed a motif's note (`plays`, outermost first).
  public var eventsJSON: JSONValue { eventsJSON(seconds: nil) }

  /// `eventsJSON`, with each event's start and end in seconds (`startSeconds`, `endSeconds`) when `seconds`
  /// converts beats to seconds (the tempo map lives in the engine).
  public func eventsJSON(seconds: ((BeatTime) -> Double)?) -> JSONValue {
    var song: [(String, JSONValue)] = [
      ("meter", .string("\(meter.numerator)/\(meter.denominator)")), ("seed", .integer(Int64(bitPattern: seed))),
    ]
    for (key, value) in [("title", title), ("artist", artist), ("album", album)] {
      if let value { song.append((key, .string(value))) }
    }
    song.append(
      (
        "tempo",
        .array(
          tempo.map { p in
            var o: [(String, JSONValue)] = [
              ("beat", .string(p.beat.description)), ("bpm", .number(p.beatsPerMinute.doubleValue)),
            ]
            if let r = p.ramp {
              o += [("rampTo", .number(r.beatsPerMinute.doubleValue)), ("rampBeats", .string(r.beats.description))]
            }
            return .object(o)
          })
      ))
    if meterMap.changes.count > 1 {
      song.append(
        (
          "meterChanges",
          .array(
            meterMap.changes.map {
              .object([
                ("beat", .string($0.beat.description)), ("bar", .integer(Int64($0.bar))),
                ("meter", .string($0.meter.description)),
              ])
            })
        ))
    }
    song.append(
      (
        "tracks",
        .array(
          tracks.map {
            .object([
              ("name", .string($0.name)), ("kind", .string($0.kind.rawValue)), ("gainDb", .number($0.gainDecibels)),
              ("pan", .number($0.pan)),
            ])
          })
      ))
    song.append(
      (
        "sections",
        .array(
          sections.map {
            .object([
              ("name", .string($0.name)), ("start", .string($0.start.description)),
              ("length", .string($0.length.description)),
            ])
          })
      ))
    song.append(("events", .array(events.map { eventJSON($0, seconds: seconds) })))
    return .object(song)
  }

  private func eventJSON(_ e: NoteEvent, seconds: ((BeatTime) -> Double)?) -> JSONValue {
    var o: [(String, JSONValue)] = [
      ("start", .string(e.start.description)), ("startBeats", .number(e.start.doubleValue)),
      ("duration", .string(e.duration.description)), ("track", .string(tracks[e.track].name)),
      ("instrument", .string(e.instrumentName)), ("note", .string(e.note.displayName)),
    ]
    if case .pitch(let m) = e.note { o.append(("midi", .integer(Int64(m)))) }
    o += [
      ("velocity", .number(e.velocity)), ("midiVelocity", .integer(Int64(e.midiVelocity))), ("pan", .number(e.pan)),
      ("gainDb", .number(e.gainDecibels)), ("line", .integer(Int64(e.location.line))),
      ("column", .integer(Int64(e.location.column))), ("bar", .integer(Int64(meterMap.position(of: e.start).bar))),
      ("barBeat", .string(meterMap.barBeatText(e.start))),
    ]
    if !e.playSites.isEmpty {
      o.append(
        (
          "plays",
          .array(
            e.playSites.map { .object([("line", .integer(Int64($0.line))), ("column", .integer(Int64($0.column)))]) })
        ))
    }
    if let seconds {
      o += [("startSeconds", .number(seconds(e.start))), ("endSeconds", .number(seconds(e.start + e.duration)))]
    }
    return .object(o)
  }
}
