/// The expressive additions to the grammar: `scale`, degrees (`^b3`), `arp(…) step … at … for …`, a play's
/// transformations (`reverse`, `every=2:invert`) and attribute spreads (`vel=0.8 ~ 0.1`).
extension Parser {
  /// Bare words a `play` takes among its attributes.
  static let playFlags = ["reverse", "invert"]
  /// The orders an `arp(…)` plays its chord in.
  static let arpModes = ["up", "down", "updown", "random"]

  // MARK: - Scales and degrees

  /// `scale TONIC ':' NAME ('at' time)? ';'` at the top level or in a section.
  mutating func parseScale(inSection: Bool) -> ScaleDecl? {
    let start = currentRange
    advance()  // scale
    let example = "scale D:dorian;"
    guard let tonic = accept(.identifier) else {
      report(.error("expected a tonic and a scale name after 'scale'", at: wordOrAfterPrevious, hint: example))
      synchronize(insideBlock: inSection)
      return nil
    }
    guard skip(.colon) else {
      let hint = kind == .identifier ? "scale \(tonic.text):\(current.text);" : example
      report(.error("expected ':' between the tonic and the scale name", at: afterPrevious, hint: hint))
      synchronize(insideBlock: inSection)
      return nil
    }
    guard let first = accept(.identifier) else {
      report(
        .error(
          "expected a scale name after ':'", at: wordOrAfterPrevious,
          hint: "scale \(tonic.text):major; (or minor, dorian, …)"))
      synchronize(insideBlock: inSection)
      return nil
    }
    // `harmonic-minor`, `in-sen`: one name as written, so the resolver can suggest the spelling with '_'.
    var name = Name(first.text, first.range)
    while kind == .minus, currentRange.start.offset == previousRange.end.offset, peekKind(1) == .identifier,
      peek(1).range.start.offset == currentRange.end.offset
    {
      advance()
      name = Name(name.text + "-" + current.text, name.range.union(currentRange))
      advance()
    }
    var decl = ScaleDecl(tonic: Name(tonic.text, tonic.range), name: name, at: nil, range: start.union(name.range))
    if isWord("at") {
      advance()
      guard let at = parseTime(what: "a beat after 'at'") else {
        synchronize(insideBlock: inSection)
        return nil
      }
      decl.at = at
      decl.range = start.union(previousRange)
    }
    expectSemicolon(after: "the scale")
    return decl
  }

  /// `^b3` as a degree (the token is already consumed); nil (reported) when it is not one.
  mutating func degree(_ t: Token) -> DegreeLiteral? {
    switch DegreeLiteral.parse(t.text, at: t.range) {
    case .success(let d): return d
    case .failure(let problem):
      report(problem.diagnostic)
      return nil
    }
  }

  // MARK: - Arpeggios

  /// `arp '(' note ',' MODE (',' 'octaves' '=' INT)? ')' 'step' NUM 'at' time 'for' NUM`: the note part and
  /// the time part of an arpeggio statement. Nil after an error (reported; the caller recovers).
  mutating func parseArp() -> (NoteExpr, TimeExpr)? {
    let start = currentRange
    advance()  // arp
    let open = current
    advance()  // (
    let example = "arp(C4'min7, up, octaves=2) step 1/8 at 0 for 4"
    guard let chord = parseNoteExpr() else { return nil }
    guard skip(.comma) else {
      report(
        .error(
          "expected ',' and an order (up, down, updown or random) after the arp's chord", at: afterPrevious,
          hint: example, notes: [.init(message: "'(' opens here", range: open.range)]))
      return nil
    }
    guard let mode = accept(.identifier) else {
      report(
        .error("expected an order after the chord: up, down, updown or random", at: currentRange, hint: example))
      return nil
    }
    guard Parser.arpModes.contains(mode.text) else {
      report(
        .error(
          "unknown arp order '\(mode.text)'", at: mode.range,
          hint: Suggestions.hint(for: mode.text, in: Parser.arpModes) ?? "orders: up, down, updown, random"))
      return nil
    }
    var octaves: NumberLiteral?
    if skip(.comma) {
      guard kind == .identifier, peekKind(1) == .equals, current.text == "octaves" else {
        let hint = kind == .identifier ? Suggestions.hint(for: current.text, in: ["octaves"]) : nil
        report(
          .error(
            "expected octaves=N (1 … 4) after the order", at: wordOrAfterPrevious, hint: hint ?? example))
        return nil
      }
      advance()
      advance()  // =
      guard let n = parseNumber(what: "a number of octaves", noun: "the octaves", allowNegative: false, fraction: false)
      else { return nil }
      octaves = n
    }
    guard skip(.rightParen) else {
      report(
        .error(
          "expected ')' to close arp(…)", at: kind == .semicolon ? afterPrevious : currentRange,
          hint: example, notes: [.init(message: "'(' opens here", range: open.range)]))
      return nil
    }
    let spec = ArpSpec(
      chord: chord, mode: Name(mode.text, mode.range), octaves: octaves, range: start.union(previousRange))
    guard let run = parseRun(example: example) else { return nil }
    return (.arp(spec), .run(run))
  }

  /// `step NUM at time for NUM` after `arp(…)`.
  private mutating func parseRun(example: String) -> RunSpec? {
    guard isWord("step") else {
      let found = kind == .number ? "; an arp takes its times as step … at … for …" : ""
      report(
        .error(
          "expected 'step' and a step length in beats after arp(…)\(found)", at: wordOrAfterPrevious, hint: example))
      return nil
    }
    let start = currentRange
    guard let step = parseStepAt(example: example) else { return nil }
    if isWord("euclid") || isWord("arp") {
      report(.error("an arp starts at one time", at: currentRange, hint: example))
      return nil
    }
    guard let at = parseTime(what: "a start time after 'at'") else { return nil }
    guard isWord("for") else {
      report(
        .error("expected 'for' and a length in beats after the start time", at: wordOrAfterPrevious, hint: example))
      return nil
    }
    advance()
    guard let length = parseNumber(what: "a length in beats after 'for'", noun: "the length", allowNegative: false)
    else { return nil }
    return RunSpec(step: step, at: at, length: length, range: start.union(previousRange))
  }

  // MARK: - Attributes

  /// `~ NUM` after an attribute's value: its spread (nil when absent or wrong, which is reported).
  mutating func parseSpread() -> (NumberLiteral?, ok: Bool) {
    guard kind == .tilde else { return (nil, true) }
    advance()
    guard let spread = parseNumber(what: "a spread after '~'", noun: "the spread", allowNegative: false) else {
      return (nil, false)
    }
    return (spread, true)
  }

  /// A play's attributes, bare transformations and `every=N:…` clauses. Nil after an error (recovered).
  mutating func parsePlayAttributes() -> (attributes: [Attribute], flags: [Name], every: [EveryClause])? {
    var result: (attributes: [Attribute], flags: [Name], every: [EveryClause]) = ([], [], [])
    while kind == .identifier {
      if peekKind(1) == .equals, current.text == "every" {
        guard let clause = parseEvery() else {
          synchronize(insideBlock: true)
          return nil
        }
        result.every.append(clause)
      } else if peekKind(1) == .equals {
        guard let attribute = parseAttribute() else {
          synchronize(insideBlock: true)
          return nil
        }
        result.attributes.append(attribute)
      } else if Parser.playFlags.contains(current.text) {
        result.flags.append(Name(current.text, currentRange))
        advance()
      } else if unknownFlag() {
        continue
      } else {
        break
      }
    }
    return result
  }

  /// `NAME '=' value ('~' NUM)?` (the name is current; the value may move, see `parseValue`). Nil after an error
  /// (reported).
  mutating func parseAttribute() -> Attribute? {
    let name = cachedCurrent()
    advance()
    advance()  // =
    guard let (value, automation) = parseValue(what: "a value for '\(name.text)'") else { return nil }
    let (spread, ok) = parseSpread()
    guard ok else { return nil }
    return Attribute(
      name: Name(name.text, name.range), value: value, range: name.range.union(previousRange),
      automation: automation, spread: spread)
  }

  /// `every '=' INT ':' (FLAG | attr)`.
  private mutating func parseEvery() -> EveryClause? {
    let start = currentRange
    advance()  // every
    advance()  // =
    let example = "every=2:reverse"
    guard
      let period = parseNumber(
        what: "a number of repetitions after 'every='", noun: "the count", allowNegative: false, fraction: false)
    else { return nil }
    guard skip(.colon) else {
      report(.error("expected ':' and a transformation after every=\(period.text)", at: afterPrevious, hint: example))
      return nil
    }
    guard kind == .identifier else {
      report(
        .error("expected a transformation after ':'", at: currentRange, hint: "every=2:reverse or every=4:speed=2"))
      return nil
    }
    if peekKind(1) == .equals {
      if current.text == "every" {
        report(
          .error("every=… cannot nest", at: currentRange, hint: "write two clauses: every=2:reverse every=4:invert"))
        return nil
      }
      guard let attribute = parseAttribute() else { return nil }
      return EveryClause(period: period, modifier: .attribute(attribute), range: start.union(previousRange))
    }
    let word = current
    advance()
    guard Parser.playFlags.contains(word.text) else {
      reportUnknownFlag(word)
      return nil
    }
    return EveryClause(period: period, modifier: .flag(Name(word.text, word.range)), range: start.union(word.range))
  }

  /// A bare word among a play's attributes that is not a transformation: reported (and skipped) when it is
  /// one by its place — the statement's end follows, or more attributes, or it is close to a transformation's
  /// name. Otherwise false, and the caller reports the missing ';' (the word starts the next statement).
  private mutating func unknownFlag() -> Bool {
    let next = peek(1)
    let isAttributeNext =
      next.kind == .identifier && (peekKind(2) == .equals || Parser.playFlags.contains(next.text))
    guard
      next.kind == .semicolon || next.kind == .rightBrace || next.kind == .endOfFile || isAttributeNext
        || Suggestions.closest(to: current.text, in: Parser.playFlags + playAttributeNames) != nil
    else { return false }
    let word = current
    advance()
    reportUnknownFlag(word)
    return true
  }

  private var playAttributeNames: [String] { AttributeContext.play.allowed.map(\.rawValue) + ["every"] }

  private mutating func reportUnknownFlag(_ word: Token) {
    if playAttributeNames.contains(word.text) {
      report(
        .error(
          "'\(word.text)' needs a value", at: word.range,
          hint: word.text == "every" ? "every=2:reverse" : "\(word.text)=\(word.text == "speed" ? "2" : "1")"))
      return
    }
    report(
      .error(
        "unknown transformation '\(word.text)'", at: word.range,
        hint: Suggestions.hint(for: word.text, in: Parser.playFlags + playAttributeNames)
          ?? "a play takes reverse, invert and " + playAttributeNames.map { "\($0)=" }.joined(separator: ", ")))
  }
}
