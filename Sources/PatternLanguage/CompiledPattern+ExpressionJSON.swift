/// The `pstudio parse` fields of scales, arpeggios and a play's transformations (added only when used, so
/// the original shape is unchanged for files without them).
extension CompiledPattern {
  /// `[{"tonic": "D4", "scale": "dorian", "time": 0}, …]`, times in beats from the scope's start (`bar:beat`
  /// through `times`, the scope's bars).
  func scalesJSON(_ decls: [ScaleDecl], _ times: TimeResolver) -> JSONValue {
    var ignored: [Diagnostic] = []
    return .array(
      decls.map { decl in
        let tonic = decl.tonic.text.last?.isNumber == true ? decl.tonic.text : decl.tonic.text + "4"
        let at = decl.at.map { times.single($0, &ignored).map { JSONValue.number($0.doubleValue) } ?? .null }
        return .object([
          ("tonic", .string(tonic)), ("scale", .string(decl.name.text)), ("time", at ?? .number(0)),
          ("line", .integer(Int64(decl.range.start.line))), ("column", .integer(Int64(decl.range.start.column))),
        ])
      })
  }

  /// `{"mode": "up", "octaves": 1, "step": 0.125, "for": 4}`.
  static func arpJSON(_ arp: ArpSpec, _ run: RunSpec) -> JSONValue {
    .object([
      ("mode", .string(arp.mode.text)), ("octaves", .integer(arp.octaves?.value.numerator ?? 1)),
      ("step", .number(run.step.value.doubleValue)), ("for", .number(run.length.value.doubleValue)),
    ])
  }

  /// A play's bare transformations (`"reverse": true`) and `every` clauses
  /// (`"every": [{"period": 2, "reverse": true}, {"period": 4, "speed": 2}]`).
  static func expressionJSON(_ p: PlayStatement) -> [(String, JSONValue)] {
    var fields: [(String, JSONValue)] = p.flags.map { ($0.text, .bool(true)) }
    if !p.every.isEmpty {
      let clauses: [JSONValue] = p.every.map { clause in
        let change: (String, JSONValue) =
          switch clause.modifier {
          case .flag(let name): (name.text, .bool(true))
          case .attribute(let a): (a.name.text, .number(a.value.value.doubleValue))
          }
        return .object([("period", .integer(clause.period.value.numerator)), change])
      }
      fields.append(("every", .array(clauses)))
    }
    return fields
  }
}
