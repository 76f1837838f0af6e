/// The mix forms: `bus NAME = chain;`, `master(fx=chain);`, and inside a block's parentheses `send BUS=dB` and
/// `fx=chain`, where `chain := effect ('->' effect)*` and `effect := NAME '(' (NAME '=' value (',' …)*)? ')'`,
/// `value := NUM | NAME | STRING`. Names and values are checked later (`Lowering+Mix.swift`), so a typo gets a
/// "did you mean" there and the parser only reports what it cannot read.
extension Parser {
  /// `send room=-12` or `fx=…` at the current token: parsed into `mix` (true), or nothing read (false).
  mutating func parseMixAttribute(into mix: inout BlockMix) -> Bool {
    guard kind == .identifier else { return false }
    if current.text == "send", peekKind(1) == .identifier, peekKind(2) == .equals {
      let start = currentRange
      advance()
      let bus = current
      advance()
      advance()  // =
      guard let (level, automation) = parseValue(what: "a send level in dB") else {
        skipToCloseParen()
        return true
      }
      mix.sends.append(
        SendDecl(
          bus: Name(bus.text, bus.range), level: level, range: start.union(previousRange), automation: automation))
      return true
    }
    if current.text == "send", peekKind(1) == .equals {
      report(
        .error(
          "a send names its bus", at: currentRange, hint: "send room=-12 (the bus's name, then its level in dB)"))
      skipToCloseParen()
      return true
    }
    if current.text == "fx", peekKind(1) == .equals {
      let fx = current
      advance()
      advance()  // =
      if let chain = parseEffectChain() {
        if !mix.inserts.isEmpty {
          report(.error("the track's effects are given twice", at: fx.range, hint: "chain them in one fx=a -> b"))
        }
        mix.inserts = chain
      }
      return true
    }
    return false
  }

  /// `bus room = reverb(…) -> delay(…);`
  mutating func parseBus() -> BusDecl? {
    let start = currentRange
    advance()  // bus
    guard let name = accept(.identifier) else {
      report(.error("expected a bus name after 'bus'", at: wordOrAfterPrevious, hint: "bus room = reverb(decay=2);"))
      synchronize(insideBlock: false)
      return nil
    }
    guard skip(.equals) else {
      report(.error("expected '=' after the bus name", at: afterPrevious, hint: "bus \(name.text) = reverb(decay=2);"))
      synchronize(insideBlock: false)
      return nil
    }
    guard let chain = parseEffectChain() else {
      synchronize(insideBlock: false)
      return nil
    }
    let decl = BusDecl(name: Name(name.text, name.range), chain: chain, range: start.union(previousRange))
    expectSemicolon(after: "the bus")
    return decl
  }

  /// `master(fx=comp(…) -> limit(ceiling=-1));`
  mutating func parseMaster() -> MasterDecl? {
    let start = currentRange
    advance()  // master
    let example = "master(fx=limit(ceiling=-1));"
    guard skip(.leftParen) else {
      report(.error("expected '(' after 'master'", at: afterPrevious, hint: example))
      synchronize(insideBlock: false)
      return nil
    }
    guard isWord("fx"), peekKind(1) == .equals else {
      report(.error("expected fx= in master(…)", at: wordOrAfterPrevious, hint: example))
      skipToCloseParen()
      synchronize(insideBlock: false)
      return nil
    }
    advance()
    advance()
    guard let chain = parseEffectChain() else {
      _ = skip(.rightParen)
      expectSemicolon(after: "master(…)")
      return nil
    }
    if !skip(.rightParen) {
      report(.error("expected ')' after the master chain", at: afterPrevious, hint: example))
    }
    let decl = MasterDecl(chain: chain, range: start.union(previousRange))
    expectSemicolon(after: "master(…)")
    return decl
  }

  /// `effect ('->' effect)*`; nil when an effect cannot be read: that is reported once, and the rest of the
  /// chain is skipped to the `)` or `;` that ends it, so the caller reports nothing more.
  mutating func parseEffectChain() -> [EffectCall]? {
    var chain: [EffectCall] = []
    repeat {
      guard let call = parseEffectCall() else {
        skipToCloseParen()
        return nil
      }
      chain.append(call)
    } while skip(.arrow)
    return chain
  }

  /// `NAME '(' args ')'`.
  mutating func parseEffectCall() -> EffectCall? {
    skipInvalid()
    guard kind == .identifier else {
      report(
        .error(
          "expected an effect, found \(describe(current))", at: kind == .endOfFile ? afterPrevious : currentRange,
          hint: "effects: " + EffectKind.allCases.map(\.rawValue).joined(separator: ", ")))
      return nil
    }
    let name = current
    advance()
    guard let open = accept(.leftParen) else {
      let example = EffectKind(rawValue: name.text)?.example ?? "reverb(decay=2)"
      report(.error("expected '(' after the effect '\(name.text)'", at: afterPrevious, hint: example))
      return nil
    }
    var arguments: [EffectArgument] = []
    while kind != .rightParen {
      guard kind == .identifier, peekKind(1) == .equals else {
        report(
          .error(
            "expected NAME=VALUE in the effect's parentheses, found \(describe(current))",
            at: kind == .endOfFile ? afterPrevious : currentRange,
            hint: EffectKind(rawValue: name.text)?.example,
            notes: [.init(message: "'(' opens here", range: open.range)]))
        skipToCloseParen()
        _ = skip(.rightParen)  // the effect's own ')': the rest of the line reads on
        return nil
      }
      let argument = current
      advance()
      advance()  // =
      let value: EffectArgument.Value
      var automation: AutomationExpr?
      if kind == .string
        || (kind == .identifier && !(peekKind(1) == .leftParen && ["curve", "lfo"].contains(current.text)))
      {
        value = .name(Name(current.text, currentRange))
        advance()
      } else if let (number, moving) = parseValue(what: "a value for '\(argument.text)'") {
        value = .number(number)
        automation = moving
      } else {
        skipToCloseParen()
        _ = skip(.rightParen)
        return nil
      }
      arguments.append(
        EffectArgument(
          name: Name(argument.text, argument.range), value: value, range: argument.range.union(previousRange),
          automation: automation))
      if !skip(.comma) { break }
    }
    guard skip(.rightParen) else {
      report(
        .error(
          "expected ')' to close the effect '\(name.text)'", at: afterPrevious, hint: "insert ')'",
          notes: [.init(message: "'(' opens here", range: open.range)]))
      skipToCloseParen()
      _ = skip(.rightParen)  // the effect's own ')', when it comes later (`reverb(decay=2 size=3)`)
      return nil
    }
    return EffectCall(name: Name(name.text, name.range), arguments: arguments, range: name.range.union(previousRange))
  }

  /// After an error inside parentheses: skips to just after the `)` that closes them (or stops before a `;`,
  /// `{`, `}` or the end), so the rest of the line is not reported again.
  mutating func skipToCloseParen() {
    var depth = 0
    while kind != .endOfFile && kind != .semicolon && kind != .leftBrace && kind != .rightBrace {
      if kind == .leftParen { depth += 1 }
      if kind == .rightParen {
        if depth == 0 { return }
        depth -= 1
      }
      advance()
    }
  }
}

/// What a block's parentheses say about the mix, besides its attributes.
struct BlockMix {
  var sends: [SendDecl] = []
  var inserts: [EffectCall] = []
}
