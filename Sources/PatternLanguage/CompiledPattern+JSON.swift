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
    var kinds: [(BlockKind, [JSONValue])] = []
    for block in file.blocks {
      let notes = block.statements.map(Self.statementJSON)
      if let i = kinds.firstIndex(where: { $0.0 == block.kind }) {
        kinds[i].1 += notes
      } else {
        kinds.append((block.kind, notes))
      }
    }
    var pattern: [(String, JSONValue)] = [
      ("imports", imports), ("patterns", .object(kinds.map { ($0.0.rawValue, .array($0.1)) })),
    ]
    if let tempo = file.tempos.first { pattern.append(("tempo", .number(tempo.beatsPerMinute.value.doubleValue))) }
    var fields: [(String, JSONValue)] = [("success", .bool(true)), ("pattern", .object(pattern)), ("error", .null)]
    if !diagnostics.isEmpty { fields.append(("diagnostics", diagnosticsJSON)) }
    return .object(fields)
  }

  private static func statementJSON(_ s: NoteStatement) -> JSONValue {
    var duration = Resolver.defaultDuration.doubleValue
    var velocity = 1.0
    var fields: [(String, JSONValue)] = [
      ("instrument", .string(s.instrument.text)), ("note", .string(s.note.text)),
      ("time", .number(s.time.value.doubleValue)),
    ]
    var pan: Double?
    for a in s.attributes {
      switch NoteAttribute(rawValue: a.name.text) {
      case .dur: duration = a.value.value.doubleValue
      case .vel:
        velocity = NoteAttribute.velocity(a.value.value.doubleValue)
      case .pan: pan = a.value.value.doubleValue
      case .attack, .decay, .sustain, .release: fields.append((a.name.text, .number(a.value.value.doubleValue)))
      case nil: break
      }
    }
    fields.append(("velocity", .number(velocity)))
    fields.append(("duration", .number(duration)))
    if let pan { fields.append(("pan", .number(pan))) }
    fields.append(("line", .integer(Int64(s.range.start.line))))
    fields.append(("column", .integer(Int64(s.range.start.column))))
    return .object(fields)
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
