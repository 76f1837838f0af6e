extension Diagnostic {
  /// `{"severity", "message", "file", "line", "column", "endLine", "endColumn", "hint", "notes"}`.
  public func json(file: String) -> JSONValue {
    .object([
      ("severity", .string(severity.rawValue)),
      ("message", .string(message)),
      ("file", .string(file)),
      ("line", .integer(Int64(range.start.line))),
      ("column", .integer(Int64(range.start.column))),
      ("endLine", .integer(Int64(range.end.line))),
      ("endColumn", .integer(Int64(range.end.column))),
      ("hint", hint.map(JSONValue.string) ?? .null),
      (
        "notes",
        .array(
          notes.map {
            .object([
              ("message", .string($0.message)), ("line", .integer(Int64($0.range.start.line))),
              ("column", .integer(Int64($0.range.start.column))),
            ])
          })
      ),
    ])
  }

  /// `file:line:col: message`, the one-line form used in the `error` field.
  public func oneLine(file: String) -> String {
    "\(file):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)"
  }
}

extension CompiledPattern {
  /// The parse result in the original API's shape:
  /// `{"success": true, "pattern": {"imports": [...], "patterns": {"melody": [...]}}, "error": null}`.
  ///
  /// Several blocks of one kind append to one list, in source order. On failure `success` is false,
  /// `pattern` is null, `error` holds the first error on one line and `diagnostics` lists them all.
  public var parseJSON: JSONValue {
    let diagnosticsJSON = JSONValue.array(diagnostics.map { $0.json(file: source.name) })
    if !succeeded {
      let first = diagnostics.first { $0.severity == .error }!
      return .object([
        ("success", .bool(false)), ("pattern", .null), ("error", .string(first.oneLine(file: source.name))),
        ("diagnostics", diagnosticsJSON),
      ])
    }
    let imports = JSONValue.array(
      file.imports.map { .object([("instrument", .string($0.name.text)), ("module", .string($0.module.text))]) })
    // A song made only of sections has no top-level blocks: its notes, as played, in the same shape.
    let patterns =
      file.blocks.isEmpty && !file.sections.isEmpty
      ? playedJSON : patternsJSON(file.blocks, TimeResolver(meters: score.meterMap))
    var pattern: [(String, JSONValue)] = [("imports", imports), ("patterns", patterns)]
    if let tempo = file.tempos.first { pattern.append(("tempo", .number(tempo.beatsPerMinute.value.doubleValue))) }
    pattern += songJSON
    var fields: [(String, JSONValue)] = [("success", .bool(true)), ("pattern", .object(pattern)), ("error", .null)]
    if !diagnostics.isEmpty { fields.append(("diagnostics", diagnosticsJSON)) }
    return .object(fields)
  }

  /// Blocks by kind, in the original shape: several blocks of one kind append to one list.
  private func patternsJSON(_ blocks: [Block], _ times: TimeResolver) -> JSONValue {
    var kinds: [(BlockKind, [JSONValue])] = []
    for block in blocks {
      let notes = block.statements.map { statementJSON($0, times) }
      if let i = kinds.firstIndex(where: { $0.0 == block.kind }) {
        kinds[i].1 += notes
      } else {
        kinds.append((block.kind, notes))
      }
    }
    return .object(kinds.map { ($0.0.rawValue, .array($0.1)) })
  }

  /// The score's events by block kind, each in the note shape (`instrument`, `note`, `time`, `duration`,
  /// `velocity`, `line`, `column`): what a song of sections plays, arrangement and repeats expanded.
  private var playedJSON: JSONValue {
    var kinds: [(String, [JSONValue])] = []
    for e in score.events {
      let kind = score.tracks[e.track].kind.rawValue
      let note: JSONValue = .object([
        ("instrument", .string(e.instrumentName)), ("note", .string(e.note.displayName)),
        ("time", .number(e.start.doubleValue)), ("duration", .number(e.duration.doubleValue)),
        ("velocity", .number(e.velocity)), ("line", .integer(Int64(e.location.line))),
        ("column", .integer(Int64(e.location.column))),
      ])
      if let i = kinds.firstIndex(where: { $0.0 == kind }) {
        kinds[i].1.append(note)
      } else {
        kinds.append((kind, [note]))
      }
    }
    return .object(kinds.map { ($0.0, .array($0.1)) })
  }

  /// The additions to the original shape, present only when the file uses them.
  private var songJSON: [(String, JSONValue)] {
    var fields: [(String, JSONValue)] = []
    if file.tempos.count > 1 || file.tempos.contains(where: { $0.rampTo != nil || $0.at != nil }) {
      fields.append(
        (
          "tempo_changes",
          .array(
            score.tempo.map { p in
              var o: [(String, JSONValue)] = [
                ("beat", .number(p.beat.doubleValue)), ("bpm", .number(p.beatsPerMinute.doubleValue)),
              ]
              if let r = p.ramp {
                o += [("ramp_to", .number(r.beatsPerMinute.doubleValue)), ("ramp_beats", .number(r.beats.doubleValue))]
              }
              return .object(o)
            })
        ))
    }
    let attributed = file.blocks.filter { !$0.attributes.isEmpty }
    if !attributed.isEmpty {
      fields.append(
        (
          "block_attributes",
          .array(
            attributed.map { b in
              .object(
                [("kind", .string(b.kind.rawValue))]
                  + b.attributes.map { ($0.name.text, .number($0.value.value.doubleValue)) } + [
                    ("line", .integer(Int64(b.range.start.line))), ("column", .integer(Int64(b.range.start.column))),
                  ])
            })
        ))
    }
    if !file.meters.isEmpty { fields.append(("meter", .string("\(score.meter.numerator)/\(score.meter.denominator)"))) }
    if score.meterMap.changes.count > 1 {
      fields.append(
        (
          "meter_changes",
          .array(
            score.meterMap.changes.map {
              .object([
                ("beat", .number($0.beat.doubleValue)), ("bar", .integer(Int64($0.bar))),
                ("meter", .string($0.meter.description)),
              ])
            })
        ))
    }
    if !file.seeds.isEmpty { fields.append(("seed", .integer(Int64(score.seed)))) }
    for (key, value) in [("title", score.title), ("artist", score.artist), ("album", score.album)] {
      if let value { fields.append((key, .string(value))) }
    }
    if let swing = file.swings.first {
      fields.append(
        (
          "swing",
          .object([("amount", .number(swing.amount.value.doubleValue)), ("per", .number(swing.grid.value.doubleValue))])
        ))
    }
    if !file.motifs.isEmpty {
      let times = TimeResolver(meter: score.meter)
      fields.append(
        ("motifs", .object(file.motifs.map { ($0.name.text, .array($0.statements.map { statementJSON($0, times) })) })))
    }
    if !file.sections.isEmpty {
      fields.append(
        (
          "sections",
          .object(
            file.sections.map { section in
              var ignored: [Diagnostic] = []
              let meter = Resolver.sectionMeter(section, &ignored)
              var o: [(String, JSONValue)] = [
                ("patterns", patternsJSON(section.blocks, TimeResolver(meter: meter ?? score.meter)))
              ]
              if let meter { o.append(("meter", .string(meter.description))) }
              if let placement = score.sections.first(where: { $0.name == section.name.text }) {
                o.append(("length", .number(placement.length.doubleValue)))
              }
              if let arrange = section.arrangements.first { o.append(("arrange", Self.arrangeJSON(arrange))) }
              if !section.scales.isEmpty {
                o.append(("scales", scalesJSON(section.scales, TimeResolver(meter: meter ?? score.meter))))
              }
              return (section.name.text, .object(o))
            })
        ))
    }
    if let arrange = file.arrangements.first { fields.append(("arrange", Self.arrangeJSON(arrange))) }
    if !file.scales.isEmpty { fields.append(("scales", scalesJSON(file.scales, TimeResolver(meters: score.meterMap)))) }
    return fields
  }

  private static func arrangeJSON(_ arrange: ArrangeDecl) -> JSONValue {
    .array(
      arrange.entries.map { .object([("section", .string($0.section.text)), ("count", .integer(Int64($0.count)))]) })
  }

  /// A time in beats, through the bars of where it is written.
  private func time(_ t: TimeExpr, _ times: TimeResolver) -> JSONValue {
    var ignored: [Diagnostic] = []
    return times.single(t, &ignored).map { .number($0.doubleValue) } ?? .null
  }

  private func statementJSON(_ statement: Statement, _ times: TimeResolver) -> JSONValue {
    let position: [(String, JSONValue)] = [
      ("line", .integer(Int64(statement.range.start.line))), ("column", .integer(Int64(statement.range.start.column))),
    ]
    switch statement {
    case .note(let s):
      return noteJSON(s, times)
    case .repeat(let r):
      return .object(
        [
          ("repeat", .integer(r.count.value.numerator)), ("every", .number(r.every.value.doubleValue)),
          ("statements", .array(r.body.map { statementJSON($0, times) })),
        ] + position)
    case .play(let p):
      var fields: [(String, JSONValue)] = [("play", .string(p.motif.text)), ("time", time(p.at, times))]
      fields += p.attributes.map { ($0.name.text, .number($0.value.value.doubleValue)) }
      fields += Self.expressionJSON(p)
      return .object(fields + position)
    }
  }

  /// A note statement in the original shape (`instrument`, `note`, `time`, `velocity`, `duration`, …);
  /// chords add `notes`, Euclidean rhythms `euclid`.
  private func noteJSON(_ s: NoteStatement, _ times: TimeResolver) -> JSONValue {
    var duration = Resolver.defaultDuration.doubleValue
    var velocity = 1.0
    let written = source.text(s.note.range.start.offset, s.note.range.end.offset)
    var fields: [(String, JSONValue)] = [("instrument", .string(s.instrument.text)), ("note", .string(written))]
    if case .euclid(let e) = s.time {
      duration = e.step.value.doubleValue
      fields.append(("time", time(e.at, times)))
      var o: [(String, JSONValue)] = [
        ("pulses", .integer(e.pulses.value.numerator)), ("steps", .integer(e.steps.value.numerator)),
      ]
      if let r = e.rotation { o.append(("rotation", .integer(r.value.numerator))) }
      o.append(("step", .number(e.step.value.doubleValue)))
      fields.append(("euclid", .object(o)))
    } else if case .run(let r) = s.time, case .arp(let a) = s.note {
      duration = r.step.value.doubleValue
      fields.append(("time", time(r.at, times)))
      fields.append(("arp", Self.arpJSON(a, r)))
    } else if case .cycles(let c) = s.time, case .mini(let m) = s.note {
      fields.append(("time", c.at.map { time($0, times) } ?? .number(0)))
      var o: [(String, JSONValue)] = [("string", .string(m.text))]
      if let over = c.over { o.append(("over", .number(over.value.doubleValue))) }
      o.append(("cycles", .integer(c.cycles?.value.numerator ?? 1)))
      fields.append(("mini", .object(o)))
    } else {
      fields.append(("time", time(s.time, times)))
    }
    if case .single = s.note {
    } else {
      let names = Self.noteNames(s.note)
      fields.append(("notes", .array(names.map(JSONValue.string))))
    }
    var pan: Double?
    var spread: Double?
    for a in s.attributes {
      switch NoteAttribute(rawValue: a.name.text) {
      case .dur: duration = a.value.value.doubleValue
      case .vel:
        velocity = NoteAttribute.velocity(a.value.value.doubleValue)
        spread = a.spread.map { a.value.value > .one ? $0.value.doubleValue / 127 : $0.value.doubleValue }
      case .pan: pan = a.value.value.doubleValue
      case nil: break
      default: fields.append((a.name.text, .number(a.value.value.doubleValue)))
      }
    }
    fields.append(("velocity", .number(velocity)))
    if let spread { fields.append(("velocity_spread", .number(spread))) }
    fields.append(("duration", .number(duration)))
    if let pan { fields.append(("pan", .number(pan))) }
    fields.append(("line", .integer(Int64(s.range.start.line))))
    fields.append(("column", .integer(Int64(s.range.start.column))))
    return .object(fields)
  }

  /// The notes a written note expression names (a `choose` lists every option; a rest is `~`).
  static func noteNames(_ note: NoteExpr) -> [String] {
    switch note {
    case .single(let n): return [n.value.displayName]
    case .rest: return ["~"]
    case .namedChord(let root, let quality, _):
      guard case .pitch(let m) = root.value, let intervals = Chord.intervals(quality.text) else { return [] }
      return intervals.map { Pitch.name(ofMIDI: m + $0) }
    case .chord(let elements, _), .choose(let elements, _): return elements.flatMap { noteNames($0) }
    case .degree(let d): return [d.text]
    case .arp(let a): return noteNames(a.chord)
    case .mini(let m): return m.leaves.filter { $0.number == nil }.map(\.text)
    }
  }

  /// `{"diagnostics": [...], "errors": N, "warnings": N}` for `pstudio check --format json`.
  public var checkJSON: JSONValue {
    .object([
      ("file", .string(source.name)),
      ("errors", .integer(Int64(diagnostics.filter { $0.severity == .error }.count))),
      ("warnings", .integer(Int64(diagnostics.filter { $0.severity == .warning }.count))),
      ("diagnostics", .array(diagnostics.map { $0.json(file: source.name) })),
    ])
  }
}
