/// Large files parsed in parts, several per core: the statements of a 3-minute song are most of a render's front end.
extension Parser {
  /// `source` parsed in parts on several threads, each from a cut between top-level items or between a top-level
  /// block's statements (`SourceCuts`), when no part reports anything: then the parts' items in order — a block
  /// cut in two taking the next part's leading statements and closing brace — are what parsing the whole file
  /// gives: items and statements do not look past their own `;` or `}`, and lexing does not depend on what came
  /// before. Nil when the file is small, has nowhere to cut, or any part reports a diagnostic: the caller parses
  /// the whole file, so errors, their recovery and their order are exactly those of one pass.
  ///
  /// `alongside` runs on this thread while the other starts on the parts (`FrontEndParts.forEach`), when the file is
  /// parsed in parts; not otherwise.
  static func parseInParts(
    _ source: SourceFile, limits: LanguageLimits, plainAttributes: Bool = true, alongside: () -> Void = {}
  ) -> PatternFile? {
    let count = source.bytes.count
    let parts = min(FrontEndParts.parts, count / max(1, FrontEndParts.partBytes))
    guard parts >= 2, count / FrontEndParts.minimumPartsPerFile >= FrontEndParts.partBytes,
      count <= limits.maxSourceBytes, let cuts = SourceCuts.cuts(in: source.bytes, parts: parts)
    else { return nil }
    let starts = [SourceCuts.Cut(offset: 0, insideBlock: false)] + cuts
    let results = ResultBox<PartParse?>(count: starts.count)
    FrontEndParts.forEach(starts.count, alongside: alongside) { k in
      let end = k + 1 < starts.count ? starts[k + 1] : SourceCuts.Cut(offset: count, insideBlock: false)
      let (line, column) = source.lineAndColumn(at: starts[k].offset)
      var parser = Parser(
        source: source, lexer: Lexer(source: source, part: starts[k].offset..<end.offset, line: line, column: column),
        limits: limits)
      parser.mayEndInsideBlock = end.insideBlock
      parser.readsPlainAttributes = plainAttributes
      let leading = starts[k].insideBlock ? parser.parseContinuation() : nil
      let file = parser.parseFile()
      parser.countPlainAttributes()
      let clean = parser.diagnostics.isEmpty
      results.set(k, clean ? PartParse(leading: leading, file: file, endsInsideBlock: parser.endedInsideBlock) : nil)
    }
    var file = PatternFile()
    var open = false
    for k in starts.indices {
      guard let part = results.value(at: k) ?? nil else { return nil }
      if let leading = part.leading {
        // The statements that continue the block the previous part ended in, up to its `}` (if in this part).
        guard open, !file.blocks.isEmpty else { return nil }
        let last = file.blocks.count - 1
        file.blocks[last].statements += leading.statements
        guard let close = leading.close else { continue }
        file.blocks[last].range = file.blocks[last].keyword.range.union(close)
        open = false
      }
      guard !open else { return nil }
      file.append(part.file)
      open = part.endsInsideBlock
    }
    guard !open else { return nil }
    FrontEndParts.taken(parts: starts.count)
    return file
  }

  /// The statements of a top-level block that an earlier part started, from the start of this part to the block's
  /// `}` (consumed; its range returned) or, when the block goes on in the next part, to the end of this one.
  mutating func parseContinuation() -> (statements: [Statement], close: SourceRange?) {
    depth = 1
    inTopLevelBlock = true
    defer {
      depth = 0
      inTopLevelBlock = false
    }
    let (statements, close) = parseStatementsToClose()
    if close == nil { endedInsideBlock = true }
    return (statements, close)
  }
}

/// What one part of a file parsed to: the statements it began with when it starts inside a block, its items, and
/// whether it ends inside a block.
struct PartParse {
  var leading: (statements: [Statement], close: SourceRange?)?
  var file: PatternFile
  var endsInsideBlock: Bool
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
