import Dispatch

/// Large files parsed in parts, one per core: the statements of a 3-minute song are most of a render's front end.
extension Parser {
  /// `source` parsed in parts on several threads, each from a cut between top-level items (`TopLevelSplit`), when
  /// no part reports anything: then the parts' items, in order, are what parsing the whole file gives — items do
  /// not look past their own `;` or `}`, and lexing does not depend on what came before. Nil when the file is
  /// small, has nowhere to cut, or any part reports a diagnostic: the caller parses the whole file, so errors,
  /// their recovery and their order are exactly those of one pass.
  static func parseInParts(_ source: SourceFile, limits: LanguageLimits) -> PatternFile? {
    let count = source.bytes.count
    let parts = min(FrontEndParts.cores, 4, count / max(1, FrontEndParts.partBytes))
    guard parts >= 2, count <= limits.maxSourceBytes, let cuts = TopLevelSplit.points(in: source.bytes, parts: parts)
    else { return nil }
    let bounds = [0] + cuts + [count]
    let results = SlotResults<PatternFile?>(count: bounds.count - 1)
    DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { k in
      let (line, column) = source.lineAndColumn(at: bounds[k])
      var parser = Parser(
        source: source, lexer: Lexer(source: source, part: bounds[k]..<bounds[k + 1], line: line, column: column),
        limits: limits)
      let file = parser.parseFile()
      results.store(parser.diagnostics.isEmpty ? file : nil, at: k)
    }
    guard var file = results.take(0) ?? nil else { return nil }
    for k in 1..<bounds.count - 1 {
      guard let part = results.take(k) ?? nil else { return nil }
      file.append(part)
    }
    FrontEndParts.taken()
    return file
  }
}

extension PatternFile {
  /// Appends the items of a later part of the same file, list by list (each list stays in source order).
  mutating func append(_ later: PatternFile) {
    imports += later.imports
    tempos += later.tempos
    meters += later.meters
    seeds += later.seeds
    tags += later.tags
    swings += later.swings
    blocks += later.blocks
    motifs += later.motifs
    sections += later.sections
    arrangements += later.arrangements
    buses += later.buses
    masters += later.masters
    scales += later.scales
  }
}

extension SourceFile {
  /// The 1-based line and column (in Unicode scalars, as the lexer counts them) of byte `offset`.
  func lineAndColumn(at offset: Int) -> (line: Int, column: Int) {
    // The last line starting at or before `offset`.
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    var start = lineStarts[low]
    // A byte-order mark at the very start is skipped, not counted.
    if start == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, offset >= 3 { start = 3 }
    var column = 1
    for i in start..<offset where bytes[i] & 0xC0 != 0x80 { column += 1 }
    return (low + 1, column)
  }
}
