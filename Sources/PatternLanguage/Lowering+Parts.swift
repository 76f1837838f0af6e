/// Top-level blocks lowered side by side, in runs of statements: a statement depends only on the names, meters and
/// motif names known before any block is lowered, its position in its block and where it is in the file's count of
/// note statements.
extension Lowering {
  /// The lowered `blocks`, in runs of statements on whichever thread is free, when that gives what lowering them
  /// in order gives: their tracks are taken first in order, and every run is lowered by a copy of this lowering
  /// with its own diagnostics, its first statement index and its position in its block. Nil when not worth it
  /// (few statements, one core). When anything is reported — a track's attribute, a note's mistake, a warning — it sets
  /// `partsFailed` and the caller lowers again in order, so diagnostics and their folding are exactly one pass's.
  func lowerBlocksInParts(_ blocks: [Block]) -> [LoweredBlock]? {
    guard allowsParts, FrontEndParts.cores >= 2 else { return nil }
    // Per statement, the note statements it holds (a repeat's body included): the statement indices it takes.
    let counts = blocks.map { $0.statements.map(Self.noteStatements(in:)) }
    let total = counts.reduce(0) { $0 + $1.reduce(0, +) }
    guard total >= FrontEndParts.statementsNeeded else { return nil }
    let reported = diagnostics.count
    var ordinals = BlockOrdinals()
    var heads: [(track: Int, key: UInt64, firstStatement: Int)] = []
    for (block, count) in zip(blocks, counts) {
      let ordinal = ordinals.next(block.kind)
      let track = track(for: block, ordinal: ordinal, inSection: false)
      heads.append((track, Self.blockKey(block, ordinal: ordinal, scope: 0), statementCount))
      statementCount += count.reduce(0, +)
    }
    guard diagnostics.count == reported else {
      partsFailed = true
      return nil
    }
    // Runs of statements of about equal cost (one per statement, plus its notes), several per core so that
    // whichever thread is free takes the next; each lowered by its own copy of this lowering.
    let slices = WorkSlices.slices(
      costs: counts.map { $0.map { $0 + 1 } }, pieces: FrontEndParts.cores * 4)
    let workers = slices.map { slice in
      worker(
        firstStatement: heads[slice.block].firstStatement + counts[slice.block][..<slice.items.lowerBound].reduce(0, +))
    }
    let results = ResultBox<[Node]>(count: slices.count)
    // Each worker is used by one iteration only; the blocks are read.
    let shared = UncheckedShared((workers: workers, blocks: blocks, slices: slices))
    FrontEndParts.forEach(slices.count) { k in
      let (workers, blocks, slices) = shared.value
      let slice = slices[k]
      results.set(
        k, workers[k].lowerBody(blocks[slice.block].statements[slice.items], firstIndex: slice.items.lowerBound))
    }
    guard workers.allSatisfy({ $0.diagnostics.isEmpty }) else {
      partsFailed = true
      return nil
    }
    var nodes = [[Node]](repeating: [], count: blocks.count)
    for (k, slice) in slices.enumerated() { nodes[slice.block] += results.value(at: k) ?? [] }
    FrontEndParts.taken()
    return blocks.indices.map { LoweredBlock(track: heads[$0].track, key: heads[$0].key, nodes: nodes[$0]) }
  }

  /// A lowering of one run of top-level statements: this one's names, meters and instruments, no diagnostics,
  /// statement indices from `firstStatement`.
  private func worker(firstStatement: Int) -> Lowering {
    let worker = Lowering(
      catalog: catalog, limits: limits, bound: bound, meters: program.meterMap, diagnostics: [])
    worker.times = times
    worker.hasScales = hasScales
    worker.motifIndex = motifIndex
    worker.sectionIndex = sectionIndex
    worker.instrumentsByName = instrumentsByName
    worker.statementCount = firstStatement
    return worker
  }
}
