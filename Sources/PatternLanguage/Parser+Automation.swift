/// Values that move: `NUM ('->' NUM ('over' NUM)? ('at' time)?)?`, `curve(NUM at time, …)` and
/// `lfo(SHAPE, NAME=NUM, …)`, wherever an attribute, a send level or an effect parameter takes a number.
/// Shapes, names and ranges are checked later (`Lowering+Automation.swift`): the parser reports only what it
/// cannot read.
extension Parser {
  /// A number, possibly moving. Nil after an error (reported; the caller recovers).
  /// `what` names the value in an error (built only then: most values are read without one).
  mutating func parseValue(what: @autoclosure () -> String) -> (value: NumberLiteral, automation: AutomationExpr?)? {
    skipInvalid()
    if kind == .identifier, peekKind(1) == .leftParen, current.text == "curve" || current.text == "lfo" {
      let isCurve = current.text == "curve"
      guard let automation = isCurve ? parseCurve() : parseLFO() else { return nil }
      switch automation {
      case .curve(let points, _): return (points[0].value, automation)
      default:
        // An LFO's own `center=` (or the parameter's default, filled in when checked) is where it sits.
        return (NumberLiteral(value: .zero, text: "", range: automation.range), automation)
      }
    }
    guard let value = parseNumber(what: what(), allowNegative: true) else { return nil }
    guard kind == .arrow else { return (value, nil) }
    advance()  // ->
    guard let to = parseNumber(what: "the value the ramp ends at after '->'", allowNegative: true) else { return nil }
    var over: NumberLiteral?
    var at: TimeExpr?
    if isWord("over") {
      advance()
      guard
        let beats = parseNumber(
          what: "the ramp's length in beats after 'over'", noun: "the length", allowNegative: false)
      else { return nil }
      over = beats
    }
    if isWord("at") {
      advance()
      guard let time = parseTime(what: "the beat the ramp starts at after 'at'") else { return nil }
      at = time
    }
    return (value, .ramp(RampExpr(to: to, over: over, at: at, range: value.range.union(previousRange))))
  }

  /// `curve(VALUE at TIME, …)`: at least one point.
  private mutating func parseCurve() -> AutomationExpr? {
    let start = currentRange
    advance()  // curve
    let open = current
    advance()  // (
    let example = "curve(-12 at 0, 0 at 16, -6 at 32)"
    var points: [CurvePoint] = []
    while kind != .rightParen {
      guard let value = parseNumber(what: "a value in curve(…)", allowNegative: true) else { return nil }
      guard isWord("at") else {
        report(
          .error(
            "expected 'at' and a time after the curve's value", at: wordOrAfterPrevious, hint: example,
            notes: [.init(message: "'(' opens here", range: open.range)]))
        return nil
      }
      advance()
      guard let time = parseTime(what: "a time after 'at'") else { return nil }
      points.append(CurvePoint(value: value, at: time, range: value.range.union(previousRange)))
      if !skip(.comma) { break }
    }
    guard skip(.rightParen) else {
      report(
        .error(
          "expected ',' or ')' in curve(…)", at: kind == .endOfFile ? afterPrevious : currentRange, hint: example,
          notes: [.init(message: "'(' opens here", range: open.range)]))
      return nil
    }
    guard !points.isEmpty else {
      report(.error("a curve needs at least one point", at: start.union(previousRange), hint: example))
      return nil
    }
    return .curve(points, range: start.union(previousRange))
  }

  /// `lfo(SHAPE, NAME=NUM, …)`.
  private mutating func parseLFO() -> AutomationExpr? {
    let start = currentRange
    advance()  // lfo
    let open = current
    advance()  // (
    let example = "lfo(sine, period=4, depth=0.5)"
    guard kind == .identifier else {
      report(
        .error(
          "expected the LFO's shape, found \(describe(current))",
          at: kind == .endOfFile ? afterPrevious : currentRange,
          hint: "shapes: " + LFOShape.allCases.map(\.rawValue).joined(separator: ", ") + " (\(example))"))
      return nil
    }
    let shape = Name(current.text, currentRange)
    advance()
    var arguments: [(name: Name, value: NumberLiteral)] = []
    while skip(.comma) {
      guard kind == .identifier, peekKind(1) == .equals else {
        report(
          .error(
            "expected NAME=VALUE in lfo(…), found \(describe(current))", at: currentRange, hint: example,
            notes: [.init(message: "'(' opens here", range: open.range)]))
        return nil
      }
      let name = Name(current.text, currentRange)
      advance()
      advance()  // =
      guard let value = parseNumber(what: "a value for '\(name.text)'", allowNegative: true) else { return nil }
      arguments.append((name, value))
    }
    guard skip(.rightParen) else {
      report(
        .error(
          "expected ',' or ')' in lfo(…)", at: kind == .endOfFile ? afterPrevious : currentRange, hint: example,
          notes: [.init(message: "'(' opens here", range: open.range)]))
      return nil
    }
    return .lfo(LFOExpr(shape: shape, arguments: arguments, range: start.union(previousRange)))
  }
}
