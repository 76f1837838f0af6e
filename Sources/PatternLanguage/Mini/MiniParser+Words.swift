/// Words, numbers, operator arguments and error reporting of the mini-notation parser.
extension MiniParser {
  /// What a number in an argument position may be.
  enum NumberRule {
    /// `*`, `/`, `%`: a positive factor (0 only inside a pattern, where it is silence).
    case factor
    /// Euclid's pulses (whole, negative inverts), steps (whole, 1 … limit) and rotation (whole).
    case pulses, steps, rotation
  }

  /// A word: a sound (a leaf to resolve against the instrument) or, in a number position, a number leaf.
  mutating func word(numeric: Bool) -> MiniNode? {
    let start = index
    while let c = peek, Self.isWordByte(c), !(c == 0xC2 && peek(1) == 0xA0) { index += 1 }
    let text = text(start, index)
    if text == "~" || text == "-" { return .silence }
    var number: BeatTime?
    if numeric {
      guard let v = Self.number(text) else {
        return fail(
          "expected a number, found '\(text)'", at: range(start, index), hint: "a count or factor: 2, 1.5, 3, 1e3")
      }
      number = v
    }
    leaves.append(MiniLeaf(text: text, range: range(start, index), number: number))
    return .atom(leaves.count - 1)
  }

  /// Strudel's `number` (`-? int frac? exp?`) as an exact fraction: `2`, `-3`, `1.5`, `1e3`, `2.5e-2` (exponents
  /// up to ±12).
  static func number(_ text: String) -> BeatTime? {
    var body = Substring(text)
    let negative = body.hasPrefix("-")
    if negative { body = body.dropFirst() }
    var exponent = 0
    if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      guard let x = Int(body[body.index(after: e)...]), abs(x) <= 12 else { return nil }
      exponent = x
      body = body[..<e]
    }
    guard body.first?.isNumber == true, var v = BeatTime.parseDecimal(String(body)) else { return nil }
    let power = BeatTime(Int64((0..<abs(exponent)).reduce(1) { r, _ in r * 10 }))
    v = exponent >= 0 ? v * power : v / power
    return negative ? .zero - v : v
  }

  /// The number right after an operator (`@3`, `!2`, `?0.3`): `value` nil when none is written, `ok` false
  /// after an error.
  mutating func optionalNumber(after op: UInt8, whole: Bool) -> (ok: Bool, value: BeatTime?) {
    let start = index
    // Strudel's `number` starts with a digit: `a@.5` is `a@` and a step `.5`.
    guard peek?.isDigit == true else { return (true, nil) }
    while let c = peek, c.isDigit || c == .dot && peek(1)?.isDigit == true { index += 1 }
    guard index > start else { return (true, nil) }
    let text = text(start, index)
    guard let v = BeatTime.parseDecimal(text), !whole || v.denominator == 1 else {
      let _: Bool? = fail(
        "'\(text)' after '\(Character(Unicode.Scalar(op)))' is not a \(whole ? "whole " : "")number",
        at: range(start, index), hint: whole ? "a!3" : "a@1.5, a?0.3")
      return (false, nil)
    }
    return (true, v)
  }

  /// The operand of `*`, `/` or `%` (a number, or a pattern of numbers), checked by `rule`.
  mutating func argument(after op: UInt8, rule: NumberRule) -> MiniArgument? {
    skipSpace()
    guard let c = peek, !Self.ends(c) else {
      return fail(
        "expected a number after '\(Character(Unicode.Scalar(op)))'", at: here(1),
        hint: "a*2 plays a twice per step; a/2 once every two")
    }
    let first = leaves.count
    guard let node = slice(numeric: true) else { return nil }
    return checked(node, from: first, rule: rule)
  }

  /// `(pulses, steps[, rotation])`, each an element (so `<3 5>` works).
  mutating func euclidArguments() -> (MiniArgument, MiniArgument, MiniArgument?)? {
    let open = index
    guard enter() else { return nil }
    defer { depth -= 1 }
    var args: [MiniArgument] = []
    let rules: [NumberRule] = [.pulses, .steps, .rotation]
    while true {
      skipSpace()
      let first = leaves.count
      guard let c = peek, !Self.ends(c) else { break }
      // An argument is a slice: Strudel ignores operators written on one, so they are an error here.
      guard let node = slice(numeric: true) else { return nil }
      skipSpace()
      if let c = peek, [UInt8.star, .slash, .bang, .at, .underscore, .question, .leftParen].contains(c) {
        return fail(
          "an operator on a Euclid argument (Strudel ignores it)", at: here(1),
          hint: "bracket the argument: kick([<3 5>*2],8)")
      }
      guard let arg = checked(node, from: first, rule: rules[args.count]) else { return nil }
      args.append(arg)
      skipSpace()
      guard peek == .comma, args.count < 3 else { break }
      index += 1
    }
    guard peek == .rightParen, args.count >= 2 else {
      return fail(
        args.count < 2 ? "a Euclidean rhythm needs pulses and steps" : "expected ')' to close the rhythm",
        at: index < bytes.count ? here(1) : range(open, open + 1), hint: "kick(3,8) or kick(3,8,2)")
    }
    index += 1
    if case .constant(let k) = args[0], case .constant(let n) = args[1], abs(k.numerator) > n.numerator {
      return fail("\(k) pulses do not fit in \(n) steps", at: range(open, index), hint: "at most one pulse per step")
    }
    return (args[0], args[1], args.count > 2 ? args[2] : nil)
  }

  /// A single number as a constant; a pattern's numbers each checked by `rule`.
  private mutating func checked(_ node: MiniNode, from first: Int, rule: NumberRule) -> MiniArgument? {
    var single = false
    if case .atom = node { single = true }
    for leaf in leaves[first...] {
      guard let v = leaf.number else { continue }
      let problem: String?
      switch rule {
      case .factor:
        problem = v.isNegative || (v == .zero && single) ? "a factor must be above 0" : nil
      case .pulses: problem = v.denominator != 1 ? "pulses are a whole number" : nil
      case .steps:
        problem =
          v.denominator != 1 || v < .one || v > BeatTime(Int64(limits.maxEuclidSteps))
          ? "steps are a whole number, 1 … \(limits.maxEuclidSteps)" : nil
      case .rotation: problem = v.denominator != 1 ? "a rotation is a whole number of steps" : nil
      }
      if let problem {
        return fail(
          "\(problem), not \(leaf.text)", at: leaf.range,
          hint: rule == .factor
            ? "a*2 plays a twice in its step, a/2 once every two cycles; ~ is a rest" : "kick(3,8,2)")
      }
    }
    if case .atom(let i) = node, let v = leaves[i].number { return .constant(v) }
    return .pattern(node)
  }

  // MARK: - Characters

  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
  func peek(_ ahead: Int) -> UInt8? { index + ahead < bytes.count ? bytes[index + ahead] : nil }

  /// Blanks: spaces, tabs and no-break spaces (U+00A0, as Strudel's `ws`).
  mutating func skipSpace() {
    while let c = peek {
      if c == .space || c == .tab {
        index += 1
      } else if c == 0xC2, peek(1) == 0xA0 {
        index += 2
      } else {
        break
      }
    }
  }

  /// ` . ` between feet: a dot that is not part of a word (blank or an end on both sides).
  var isFoot: Bool {
    guard peek == .dot else { return false }
    let before = index == 0 ? UInt8.space : bytes[index - 1]
    let after = peek(1) ?? .space
    return !Self.isWordByte(before) && !Self.isWordByte(after) && after != .dot
  }

  /// Characters that end a sequence.
  static func ends(_ c: UInt8) -> Bool {
    [UInt8.comma, .pipe, .rightBracket, .rightAngle, .rightBrace, .rightParen].contains(c)
  }

  /// Letters (any non-ASCII byte counts, as Strudel takes any Unicode letter), digits and `~ - # . ^ _`.
  static func isWordByte(_ c: UInt8) -> Bool {
    c >= 0x80 || c.isDigit || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z"))
      || [UInt8(ascii: "~"), UInt8(ascii: "-"), UInt8(ascii: "#"), .dot, UInt8(ascii: "^"), .underscore].contains(c)
  }

  func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

  /// The source range of bytes `from ..< to` of the string.
  func range(_ from: Int, _ to: Int) -> SourceRange {
    func location(_ i: Int) -> SourceLocation {
      SourceLocation(offset: origin.offset + i, line: origin.line, column: columns[min(i, columns.count - 1)])
    }
    return SourceRange(location(from), location(to))
  }

  /// The next `count` characters (their bytes), or the closing quote's position at the end.
  func here(_ count: Int) -> SourceRange {
    var end = min(index + count, bytes.count)
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    return range(index, end)
  }

  mutating func unexpected<T>() -> T? {
    guard let c = peek else { return fail("unexpected end of the string", at: here(0), hint: nil) }
    let shown = text(index, here(1).end.offset - origin.offset)
    let closer = [UInt8.rightBracket, .rightAngle, .rightBrace, .rightParen].contains(c)
    return fail(
      closer ? "'\(shown)' closes nothing" : "unexpected '\(shown)' in a mini-notation string", at: here(1),
      hint: closer
        ? "remove it, or open it earlier" : "steps are words (c4, kick, ~) with [ ] < > { } * / ! @ ? , | ( )")
  }

  /// Records the first error; always nil, so a caller can `return fail(…)`.
  mutating func fail<T>(_ message: String, at range: SourceRange, hint: String?, notes: [Diagnostic.Note] = []) -> T? {
    if error == nil { error = .error(message, at: range, hint: hint, notes: notes) }
    return nil
  }
}

extension UInt8 {
  static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ","), pipe = UInt8(ascii: "|")
  static let dot = UInt8(ascii: "."), underscore = UInt8(ascii: "_"), at = UInt8(ascii: "@"), bang = UInt8(ascii: "!")
  static let star = UInt8(ascii: "*"), slash = UInt8(ascii: "/"), question = UInt8(ascii: "?")
  static let colon = UInt8(ascii: ":"), percent = UInt8(ascii: "%")
  static let leftParen = UInt8(ascii: "("), rightParen = UInt8(ascii: ")")
  static let leftBracket = UInt8(ascii: "["), rightBracket = UInt8(ascii: "]")
  static let leftAngle = UInt8(ascii: "<"), rightAngle = UInt8(ascii: ">")
  static let leftBrace = UInt8(ascii: "{"), rightBrace = UInt8(ascii: "}")
  var isDigit: Bool { self >= 48 && self <= 57 }
}
