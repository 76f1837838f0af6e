/// What the syntax layer hands on: headers and `name=value` pairs, `$` already expanded.
enum SyntaxEvent {
  case header(name: String, location: SourceLocation)
  /// `location` is the opcode name's; `value` is trimmed.
  case opcode(name: String, value: String, location: SourceLocation, valueLocation: SourceLocation)
}

/// Receives syntax events in file order.
protocol SyntaxConsumer: AnyObject {
  /// Returns false to stop the parse (e.g. the region limit was reached).
  func consume(_ event: SyntaxEvent) -> Bool
}

/// The SFZ tokenizer, following sfizz's `Parser.cpp` rule by rule: comments, `#define`, `#include`,
/// `<header>`, and `name=value` where the value runs to the end of the line but stops before
/// ` name=`, ` <header>`, ` #define`/` #include` or a comment — so `sample=My Piano C4.wav` keeps its spaces.
/// Errors are warnings and the rest of the line is skipped (sfizz `recover()`). Every step consumes input,
/// includes are bounded by depth, count and bytes, and `$` expansion by rounds and bytes, so it always ends.
final class SFZSyntaxParser {
  private struct Frame {
    var cursor: SourceCursor
    var path: String
  }

  private var cursor: SourceCursor
  private var path: String
  private var suspended: [Frame] = []
  private var definitions: [String: String] = [:]
  private let rootDirectory: String
  private let limits: SFZLimits
  private let warnings: WarningLog
  private let readFile: ((String) throws -> String)?
  private var includedFiles = 0
  private var textBytes = 0
  private var expansionBytes = 0
  private var expansionBudgetWarned = false

  /// `readFile` nil: `#include` is reported and skipped.
  init(
    text: String, path: String, rootDirectory: String, limits: SFZLimits, warnings: WarningLog,
    readFile: ((String) throws -> String)?
  ) {
    var bytes = Array(text.utf8)
    if bytes.count > limits.maxTextBytes {
      warnings.add(
        SourceLocation(file: path, line: 1, column: 1),
        "file is larger than \(limits.maxTextBytes) bytes; the rest is ignored")
      bytes.removeSubrange(max(0, limits.maxTextBytes)...)
    }
    textBytes = bytes.count
    self.cursor = SourceCursor(bytes: bytes, file: path)
    self.path = path
    self.rootDirectory = rootDirectory
    self.limits = limits
    self.warnings = warnings
    self.readFile = readFile
  }

  func run(into consumer: any SyntaxConsumer) {
    while true {
      while cursor.skip(while: Ascii.isWhitespace) > 0 || skipComment() {}
      guard let c = cursor.peek() else {
        guard let outer = suspended.popLast() else { return }
        cursor = outer.cursor
        path = outer.path
        continue
      }
      let keepGoing: Bool
      switch c {
      case Ascii.hash: directive(); keepGoing = true
      case Ascii.less: keepGoing = header(consumer)
      default: keepGoing = opcode(consumer)
      }
      if !keepGoing { return }
    }
  }

  // MARK: - Comments

  /// Skips one `//` or `/* */` comment; false when none starts here.
  private func skipComment() -> Bool {
    guard cursor.peek() == Ascii.slash, let second = cursor.peek(1),
      second == Ascii.slash || second == Ascii.star
    else { return false }
    let start = cursor.location
    cursor.advance(by: 2)
    if second == Ascii.slash {
      while let c = cursor.next(), c != Ascii.newline, c != Ascii.carriageReturn {}
      return true
    }
    var previous: UInt8 = 0
    while let c = cursor.next() {
      if previous == Ascii.star && c == Ascii.slash { return true }
      previous = c
    }
    warnings.add(start, "unterminated block comment")
    return true
  }

  /// sfizz `extractToEol` then cut at the first blank: up to a space, tab, CR/LF or comment start.
  private func extractWord() -> [UInt8] {
    var out: [UInt8] = []
    while let c = cursor.peek(), c != Ascii.newline, c != Ascii.carriageReturn, !Ascii.isSpace(c) {
      if c == Ascii.slash, let n = cursor.peek(1), n == Ascii.slash || n == Ascii.star { break }
      out.append(c)
      cursor.next()
    }
    return out
  }

  /// sfizz `recover()`: skip the rest of the line.
  private func recover() { cursor.skip { $0 != Ascii.newline } }

  // MARK: - Directives

  private func directive() {
    let start = cursor.location
    cursor.next()  // '#'
    let name = Ascii.string(cursor.extract(while: Ascii.isIdentifier))
    switch name {
    case "define": define(start)
    case "include": include(start)
    default:
      warnings.add(start, "unrecognized directive `#\(name)`; line ignored")
      recover()
    }
  }

  private func define(_ start: SourceLocation) {
    cursor.skip(while: Ascii.isSpace)
    guard cursor.peek() == Ascii.dollar else {
      warnings.add(start, "expected $NAME after #define; line ignored")
      recover()
      return
    }
    cursor.next()
    let id = cursor.extract(while: Ascii.isIdentifier)
    guard !id.isEmpty else {
      warnings.add(start, "expected $NAME after #define; line ignored")
      recover()
      return
    }
    cursor.skip(while: Ascii.isSpace)
    // ARIA rule (sfizz): the value is the first word; the rest of the line is parsed as usual.
    let word = extractWord()
    definitions[Ascii.string(id)] = Ascii.string(word)
  }

  private func include(_ start: SourceLocation) {
    cursor.skip(while: Ascii.isSpace)
    guard cursor.peek() == Ascii.quote else {
      warnings.add(start, "expected \"file.sfz\" after #include; line ignored")
      recover()
      return
    }
    cursor.next()
    let valueLocation = cursor.location
    let raw = cursor.extract { $0 != Ascii.quote && $0 != Ascii.newline && $0 != Ascii.carriageReturn }
    guard cursor.peek() == Ascii.quote else {
      warnings.add(start, "expected \"file.sfz\" after #include; line ignored")
      recover()
      return
    }
    cursor.next()
    let target = SFZPath.slashes(expand(Ascii.string(raw), at: valueLocation))
    openInclude(target, at: start)
  }

  /// sfizz resolves includes against the top-level file's folder; many hand-written sets expect the
  /// including file's folder, so that is tried second.
  private func openInclude(_ target: String, at location: SourceLocation) {
    guard let readFile else {
      warnings.add(location, "#include \"\(target)\" skipped: no file loader")
      return
    }
    guard suspended.count + 1 < limits.maxIncludeDepth else {
      warnings.add(location, "#include \"\(target)\" skipped: include depth exceeds \(limits.maxIncludeDepth)")
      return
    }
    guard includedFiles < limits.maxIncludedFiles else {
      warnings.add(location, "#include \"\(target)\" skipped: more than \(limits.maxIncludedFiles) includes")
      return
    }
    var candidates = [SFZPath.resolve(target, in: rootDirectory)]
    let local = SFZPath.resolve(target, in: SFZPath.directory(of: path))
    if local != candidates[0] { candidates.append(local) }
    let active = Set(suspended.map(\.path) + [path])
    for candidate in candidates {
      if active.contains(candidate) {
        warnings.add(location, "#include \"\(target)\" skipped: include cycle")
        return
      }
      guard let text = try? readFile(candidate) else { continue }
      includedFiles += 1
      let bytes = Array(text.utf8)
      guard textBytes + bytes.count <= limits.maxTextBytes else {
        warnings.add(location, "#include \"\(target)\" skipped: total text exceeds \(limits.maxTextBytes) bytes")
        return
      }
      textBytes += bytes.count
      suspended.append(Frame(cursor: cursor, path: path))
      cursor = SourceCursor(bytes: bytes, file: candidate)
      path = candidate
      return
    }
    warnings.add(location, "#include \"\(target)\" skipped: cannot read \(candidates.joined(separator: " or "))")
  }

  // MARK: - Headers and opcodes

  private func header(_ consumer: any SyntaxConsumer) -> Bool {
    let start = cursor.location
    cursor.next()  // '<'
    let name = cursor.extract { $0 != Ascii.carriageReturn && $0 != Ascii.newline && $0 != Ascii.greater }
    guard cursor.peek() == Ascii.greater else {
      warnings.add(start, "expected `>` at the end of the header; line ignored")
      recover()
      return true
    }
    cursor.next()
    guard Ascii.isIdentifier(name) else {
      warnings.add(start, "header name `\(Ascii.string(name))` is not a valid identifier; line ignored")
      recover()
      return true
    }
    return consumer.consume(.header(name: Ascii.string(name), location: start))
  }

  private func opcode(_ consumer: any SyntaxConsumer) -> Bool {
    let start = cursor.location
    let rawName = cursor.extract { Ascii.isIdentifier($0) || $0 == Ascii.dollar }
    guard !rawName.isEmpty else {
      warnings.add(start, "expected an opcode name; line ignored")
      recover()
      return true
    }
    guard cursor.peek() == Ascii.equals else {
      warnings.add(start, "expected `=` after opcode name `\(Ascii.string(rawName))`; line ignored")
      recover()
      return true
    }
    let name = rawName.contains(Ascii.dollar) ? expand(Ascii.string(rawName), at: start) : Ascii.string(rawName)
    guard Ascii.isIdentifier(Array(name.utf8)) else {
      warnings.add(start, "opcode name `\(name)` is not a valid identifier; line ignored")
      recover()
      return true
    }
    cursor.next()  // '='
    let valueLocation = cursor.location
    let valueStart = cursor.mark
    if name == "base64data" {  // embedded data runs to the next header or directive, comments included
      let raw = cursor.extract { $0 != Ascii.less && $0 != Ascii.hash }
      return consumer.consume(
        .opcode(
          name: name, value: Ascii.string(raw), location: start,
          valueLocation: valueLocation))
    }
    let length = Self.valueLength(cursor.bytes, from: valueStart.offset)
    cursor.advance(by: length)
    let raw = Ascii.string(Array(cursor.bytes[valueStart.offset..<(valueStart.offset + length)]))
    let value = Ascii.trimmed(raw.utf8.contains(Ascii.dollar) ? expand(raw, at: valueLocation) : raw)
    return consumer.consume(.opcode(name: name, value: value, location: start, valueLocation: valueLocation))
  }

  /// sfizz's value rule: how many bytes from `start` belong to the value. sfizz first cuts the line at
  /// CR/LF or a comment, then walks it; this walks the bytes directly and looks ahead one word at most,
  /// so many opcodes on one long line stay linear (sfizz's version is quadratic there).
  static func valueLength(_ bytes: [UInt8], from start: Int) -> Int {
    func inLine(_ p: Int) -> Bool {
      guard p < bytes.count else { return false }
      let c = bytes[p]
      if c == Ascii.newline || c == Ascii.carriageReturn { return false }
      if c == Ascii.slash, p + 1 < bytes.count, bytes[p + 1] == Ascii.slash || bytes[p + 1] == Ascii.star {
        return false
      }
      return true
    }
    var end = start
    while inLine(end) {
      var i = end + 1
      var stop = false
      if bytes[end] == Ascii.less {
        stop = true  // a header follows
      } else if Ascii.isSpace(bytes[end]) {
        while inLine(i) && Ascii.isSpace(bytes[i]) { i += 1 }
        if !inLine(i) || bytes[i] == Ascii.less {
          stop = true  // trailing blanks, or a header
        } else if bytes[i] == Ascii.hash {
          var e = i + 1
          while inLine(e) && Ascii.isIdentifier(bytes[e]) && e - i <= 8 { e += 1 }
          let word = Ascii.string(Array(bytes[(i + 1)..<e]))
          stop = word == "define" || word == "include"
        } else if Ascii.isIdentifier(bytes[i]) {
          i += 1
          while inLine(i) && (Ascii.isIdentifier(bytes[i]) || bytes[i] == Ascii.dollar) { i += 1 }
          stop = inLine(i) && bytes[i] == Ascii.equals  // the next opcode
        }
      }
      if stop { break }
      end = i
    }
    return end - start
  }

  // MARK: - $ expansion

  /// sfizz `expandDollarVars`: after `$`, identifier characters are taken until they name a known
  /// variable (shortest match); unknown names are dropped with a warning; the result is expanded again
  /// while it contained a `$`. Bounded by rounds and bytes.
  private func expand(_ text: String, at location: SourceLocation) -> String {
    var source = Array(text.utf8)
    for _ in 0..<max(1, limits.maxExpansionRounds) {
      var out: [UInt8] = []
      var expansions = 0
      var i = 0
      while i < source.count {
        let c = source[i]
        i += 1
        guard c == Ascii.dollar else { out.append(c); continue }
        expansions += 1
        var name: [UInt8] = []
        var found: String? = nil
        while i < source.count, Ascii.isIdentifier(source[i]), found == nil {
          name.append(source[i])
          i += 1
          found = definitions[Ascii.string(name)]
        }
        if name.isEmpty {
          warnings.add(location, "expected a variable name after `$`")
        } else if let found {
          guard spendExpansion(found.utf8.count, at: location) else { return Ascii.string(out) }
          guard out.count + found.utf8.count <= limits.maxExpansionBytes else {
            warnings.add(location, "`$` expansion exceeds \(limits.maxExpansionBytes) bytes; value cut")
            return Ascii.string(out)
          }
          out.append(contentsOf: found.utf8)
        } else {
          warnings.add(location, "variable `$\(Ascii.string(name))` is not defined")
        }
      }
      if expansions == 0 { return Ascii.string(out) }
      source = out
    }
    warnings.add(location, "`$` expansion did not settle after \(limits.maxExpansionRounds) rounds; value cut")
    return Ascii.string(source.filter { $0 != Ascii.dollar })
  }

  private func spendExpansion(_ bytes: Int, at location: SourceLocation) -> Bool {
    expansionBytes += bytes
    if expansionBytes <= limits.maxTotalExpansionBytes { return true }
    if !expansionBudgetWarned {
      expansionBudgetWarned = true
      warnings.add(location, "total `$` expansion exceeds \(limits.maxTotalExpansionBytes) bytes")
    }
    return false
  }
}
