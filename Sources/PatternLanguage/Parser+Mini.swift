/// Mini-notation statements: `INSTRUMENT "STRING" (over BEATS | cycles N | at TIME)* attr* ;`.
extension Parser {
  /// The string (current token) and its `over` / `cycles` / `at` parts; nil after one reported error (the
  /// caller recovers).
  mutating func parseMini(instrument: String) -> (NoteExpr, TimeExpr)? {
    let token = current
    advance()
    let range = token.range
    let raw =
      range.end.offset - range.start.offset >= 2 ? source.text(range.start.offset + 1, range.end.offset - 1) : ""
    // An unterminated string is already reported by the lexer: one mistake, one error.
    guard range.end.offset - range.start.offset >= 2, source.text(range.end.offset - 1, range.end.offset) == "\"" else {
      return nil
    }
    let origin = SourceLocation(
      offset: range.start.offset + 1, line: range.start.line, column: range.start.column + 1)
    // The file's bytes, not `raw`'s: where they are not valid UTF-8, `raw` has three bytes (U+FFFD) for each bad one,
    // and positions in it were past the string (found by Scripts/fuzz-libfuzzer).
    let content = Array(source.bytes[(range.start.offset + 1)..<(range.end.offset - 1)])
    var parser = MiniParser(bytes: content, origin: origin, limits: limits)
    if let i = content.firstIndex(of: UInt8(ascii: "\\")) {
      // An unknown escape is the lexer's error already: one mistake, one error.
      let escaped = content.dropFirst(i + 1).first
      guard escaped.map({ "\"\\nt".utf8.contains($0) }) == true else { return nil }
      report(
        .error(
          "a mini-notation string takes no escapes", at: parser.range(i, i + 1),
          hint: "steps are words (c4, kick, ~) with [ ] < > { } * / ! @ ? , | ( )"))
      return nil
    }
    guard let notation = parser.parse(text: raw, range: range) else {
      if let error = parser.error { report(error) }
      return nil
    }
    var spec = CycleSpec(over: nil, cycles: nil, at: nil, range: range)
    while kind == .identifier, ["over", "cycles", "at"].contains(current.text) {
      let word = current
      let seen = word.text == "over" ? spec.over != nil : word.text == "cycles" ? spec.cycles != nil : spec.at != nil
      if seen {
        report(.error("'\(word.text)' is written twice", at: word.range, hint: "over 4 cycles 2 at 8"))
        return nil
      }
      advance()
      switch word.text {
      case "over":
        guard
          let n = parseNumber(what: "the beats one cycle spans after 'over'", noun: "the cycle", allowNegative: false)
        else { return nil }
        spec.over = n
      case "cycles":
        guard
          let n = parseNumber(
            what: "a number of cycles after 'cycles'", noun: "the cycle count", allowNegative: false, fraction: false)
        else { return nil }
        spec.cycles = n
      default:
        guard let t = parseTime(what: "a start time after 'at'") else { return nil }
        if case .euclid = t {
          report(
            .error("a string makes its own rhythm; it starts at one time", at: t.range, hint: "kit \"kick(3,8)\" at 0"))
          return nil
        }
        spec.at = t
      }
      spec.range = range.union(previousRange)
    }
    if kind == .number {
      let word = notation.leaves.count == 1 && notation.leaves[0].text == raw ? raw : "C4"
      report(
        .error(
          "a string's start is written with 'at'", at: currentRange,
          hint:
            "\(instrument) \"\(raw)\" at \(current.text); (or, for one note, no quotes: \(instrument) \(word) \(current.text);)"
        ))
      return nil
    }
    return (.mini(notation), .cycles(spec))
  }
}
