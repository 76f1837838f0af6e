/// Parses the inside of a mini-notation string into a `MiniNotation`, Strudel's grammar (krill) rule for rule:
///
/// ```
/// group    := sequence ((',' sequence)+ | ('|' sequence)+ | (' . ' sequence)+)?
/// sequence := element+
/// element  := slice op*                       // blanks allowed before an operator
/// slice    := WORD | '[' group ']' | '<' poly '>' | '{' poly '}' ('%' slice)?
/// poly     := sequence (',' sequence)*
/// op       := ('@' | '_') NUM? | '!' NUM? | '*' slice | '/' slice | '?' NUM? | '(' element ',' element (',' element)? ')'
/// WORD     := (letter | digit | '~' | '-' | '#' | '.' | '^' | '_')+
/// ```
///
/// The first mistake ends the parse with one located error (the character it is at, a hint): one mistake, one
/// error. Locations are computed from the raw source bytes, so a caret lands under the exact character.
struct MiniParser {
  let bytes: [UInt8]
  /// Column of each byte (Unicode scalars from the line's start), and one past the end.
  let columns: [Int]
  let origin: SourceLocation
  let limits: LanguageLimits
  var index = 0
  var leaves: [MiniLeaf] = []
  var depth = 0
  private var degradeSites = 0
  private var choiceSites = 0
  var error: Diagnostic?

  /// `raw` is the string's source text between its quotes; `origin` the location of its first byte.
  init(raw: String, origin: SourceLocation, limits: LanguageLimits) {
    self.init(bytes: Array(raw.utf8), origin: origin, limits: limits)
  }

  /// `bytes` are the string's source bytes between its quotes, as in the file (so a position in them is one in the
  /// file, even where they are not valid UTF-8); `origin` the location of the first.
  init(bytes: [UInt8], origin: SourceLocation, limits: LanguageLimits) {
    self.bytes = bytes
    var columns: [Int] = []
    columns.reserveCapacity(bytes.count + 1)
    var column = origin.column
    for b in bytes {
      columns.append(column)
      if b & 0xC0 != 0x80 { column += 1 }
    }
    // Continuation bytes share their scalar's column; one past the end is the closing quote's.
    for i in columns.indices where bytes[i] & 0xC0 == 0x80 { columns[i] = columns[i] - 1 }
    columns.append(column)
    self.columns = columns
    self.origin = origin
    self.limits = limits
  }

  /// The pattern, or nil with `error` set.
  mutating func parse(text: String, range: SourceRange) -> MiniNotation? {
    skipSpace()
    if index == bytes.count {
      return fail(
        "an empty string plays nothing", at: range, hint: "write steps between the quotes: \"kick ~ snare ~\"")
    }
    guard let root = group(closer: nil, numeric: false) else { return nil }
    if index < bytes.count { return unexpected() }
    return MiniNotation(root: root, leaves: leaves, text: text, range: range)
  }

  // MARK: - Structure

  /// Sequences separated by one kind of separator: `,` stacks them, `|` chooses one per cycle, ` . ` makes
  /// each a step (feet).
  mutating func group(closer: UInt8?, numeric: Bool) -> MiniNode? {
    var parts: [MiniNode] = []
    var separator: UInt8?
    while true {
      guard let part = sequence(numeric: numeric) else { return nil }
      parts.append(part)
      skipSpace()
      guard let c = peek, c == .comma || c == .pipe || isFoot else { break }
      if let s = separator, s != c {
        let name = { (b: UInt8) in b == .dot ? "' . '" : "'\(Character(Unicode.Scalar(b)))'" }
        return fail(
          "\(name(s)) and \(name(c)) cannot be mixed in one group", at: here(1),
          hint: "bracket one side: [a b, c d] | e")
      }
      separator = c
      index += 1
    }
    switch separator {
    case nil: return parts[0]
    case .comma?: return .stack(parts)
    case .pipe?:
      choiceSites += 1
      return .choice(parts, site: choiceSites - 1)
    default: return .sequence(parts.map { MiniStep(node: $0, weight: .one) })
    }
  }

  /// Steps side by side; one step of weight 1 is that step itself, unless `keep` (a polymeter counts a
  /// sequence's steps: `<[a b c]>` has one).
  private mutating func sequence(numeric: Bool, keep: Bool = false) -> MiniNode? {
    var steps: [MiniStep] = []
    while true {
      skipSpace()
      guard let c = peek, !Self.ends(c), !isFoot else { break }
      guard let step = element(numeric: numeric) else { return nil }
      steps.append(step)
    }
    guard !steps.isEmpty else {
      guard let c = peek else { return fail("expected a step before the closing quote", at: here(0), hint: nil) }
      var before = index - 1
      while before >= 0, bytes[before] == .space || bytes[before] == .tab { before -= 1 }
      let opener = before >= 0 ? bytes[before] : 0
      if [UInt8.leftBracket, .leftAngle, .leftBrace].contains(opener),
        [.rightBracket, .rightAngle, .rightBrace].contains(c)
      {
        return fail(
          "an empty group plays nothing", at: range(before, index + 1), hint: "write ~ for a rest: [~]")
      }
      return fail(
        "expected a step before '\(Character(Unicode.Scalar(c)))'", at: here(1),
        hint: "each part of a group needs at least one step (~ is a rest)")
    }
    if steps.count == 1, steps[0].weight == .one, !keep { return steps[0].node }
    return .sequence(steps)
  }

  /// A slice and its operators, applied in the order written (`!` moves to where it was last written).
  mutating func element(numeric: Bool) -> MiniStep? {
    guard var node = slice(numeric: numeric) else { return nil }
    var weight = BeatTime.one
    var replicas = 1
    var operations: [(MiniNode) -> MiniNode] = []
    var replicateAt: Int?
    while true {
      skipSpace()
      guard let c = peek else { break }
      let at = index
      if c == .at || c == .underscore {
        index += 1
        let (ok, n) = optionalNumber(after: c, whole: false)
        guard ok else { return nil }
        weight = weight + (n ?? BeatTime(2)) - .one
      } else if c == .bang {
        index += 1
        let (ok, n) = optionalNumber(after: c, whole: true)
        guard ok else { return nil }
        replicas += Int(clamping: (n ?? BeatTime(2)).numerator) - 1
        guard replicas >= 1, replicas <= limits.maxRepeat else {
          return fail("replicate 1 … \(limits.maxRepeat) times", at: range(at, index), hint: "a!3 plays a three times")
        }
        weight = BeatTime(Int64(replicas))
        replicateAt = operations.count
        operations.append { $0 }  // placeholder: the count is known once every '!' is read
      } else if c == .star || c == .slash {
        index += 1
        guard let factor = argument(after: c, rule: .factor) else { return nil }
        operations.append { c == .star ? .fast($0, by: factor) : .slow($0, by: factor) }
      } else if c == .question {
        index += 1
        let (ok, amount) = optionalNumber(after: c, whole: false)
        guard ok else { return nil }
        let p = amount ?? BeatTime(1, 2)
        guard !p.isNegative, p <= .one else {
          return fail("'?\(p)' is not a probability", at: range(at, index), hint: "?0.3 drops 30 % of the events")
        }
        degradeSites += 1
        let site = degradeSites - 1
        operations.append { .degrade($0, amount: p, site: site) }
      } else if c == .leftParen {
        guard let euclid = euclidArguments() else { return nil }
        operations.append { .euclid($0, pulses: euclid.0, steps: euclid.1, rotation: euclid.2) }
      } else if c == .colon {
        return fail(
          "sample numbers (bd:3) pick one of Strudel's sample files; Pattern Studio names each sound", at: here(1),
          hint: "write the sound's name (the error for an unknown name lists the kit's sounds)")
      } else if c == .dot, peek(1) == .dot {
        return fail("ranges (0 .. 4) are not supported", at: here(2), hint: "write every step: 0 1 2 3 4")
      } else {
        break
      }
    }
    // Strudel reads a weight as `weight || 1`: `a@0` weighs 1, as there.
    if weight == .zero { weight = .one }
    if let r = replicateAt {
      let count = replicas
      operations[r] = { .replicate($0, count: count) }
    }
    for operation in operations { node = operation(node) }
    return MiniStep(node: node, weight: weight)
  }

  /// A word, `[…]`, `<…>` or `{…}%n`.
  mutating func slice(numeric: Bool) -> MiniNode? {
    guard let c = peek else { return fail("expected a step before the closing quote", at: here(0), hint: nil) }
    switch c {
    case .leftBracket:
      return nested(closer: .rightBracket) { $0.group(closer: .rightBracket, numeric: numeric) }
    case .leftAngle:
      // `<a b c>` is `[a b c]/3`: a polymeter of one step per cycle.
      return nested(closer: .rightAngle) { $0.poly(numeric: numeric) }.map { .polymeter($0, steps: .constant(.one)) }
    case .leftBrace:
      guard let sequences = nested(closer: .rightBrace, { $0.poly(numeric: numeric) }) else { return nil }
      guard peek == .percent else { return .polymeter(sequences, steps: nil) }
      index += 1
      return argument(after: .percent, rule: .factor).map { .polymeter(sequences, steps: $0) }
    default:
      guard Self.isWordByte(c) else { return unexpected() }
      return word(numeric: numeric)
    }
  }

  /// Sequences separated by `,` inside `<…>` and `{…}`.
  private mutating func poly(numeric: Bool) -> [MiniNode]? {
    var sequences: [MiniNode] = []
    while true {
      guard let s = sequence(numeric: numeric, keep: true) else { return nil }
      sequences.append(s)
      skipSpace()
      guard peek == .comma else { break }
      index += 1
    }
    if peek == .pipe || isFoot {
      return fail(
        "'|' and ' . ' cannot be used directly inside < > or { }", at: here(1), hint: "bracket them: <[a | b] c>")
    }
    return sequences
  }

  /// Steps over an opening bracket one level deeper; false (reported, the level given back) past the limit.
  mutating func enter() -> Bool {
    index += 1
    depth += 1
    guard depth <= limits.maxNesting else {
      depth -= 1
      let _: Bool? = fail(
        "nested more than \(limits.maxNesting) levels deep", at: range(index - 1, index), hint: "flatten it")
      return false
    }
    return true
  }

  /// The inside of a bracket pair, with the nesting limit and the closing bracket checked.
  private mutating func nested<T>(closer: UInt8, _ body: (inout MiniParser) -> T?) -> T? {
    let open = index
    guard enter() else { return nil }
    defer { depth -= 1 }
    guard let inner = body(&self) else { return nil }
    skipSpace()
    guard peek == closer else {
      let close = Character(Unicode.Scalar(closer))
      let opener = Character(Unicode.Scalar(bytes[open]))
      if index == bytes.count {
        return fail(
          "'\(opener)' is not closed", at: range(open, open + 1), hint: "add '\(close)' before the closing quote")
      }
      return fail(
        "expected '\(close)' to close the '\(opener)'", at: here(1), hint: "add '\(close)'",
        notes: [.init(message: "'\(opener)' opens here", range: range(open, open + 1))])
    }
    index += 1
    return inner
  }
}
