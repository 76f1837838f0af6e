import Dispatch

/// Top-level blocks lowered side by side: each block's statements depend only on the names, meters and motif
/// names known before any block is lowered, and on where its statements start in the file's count.
extension Lowering {
  /// The lowered `blocks`, each on whichever thread is free (the largest first), when that gives what lowering
  /// them in order gives: their tracks are taken first in order, and every block is lowered by a copy of this
  /// lowering with its own diagnostics and its first statement index. Nil when not worth it (few statements or
  /// blocks, one core). When anything is reported — a track's attribute, a note's mistake, a warning — it sets
  /// `partsFailed` and the caller lowers again in order, so diagnostics and their folding are exactly one pass's.
  func lowerBlocksInParts(_ blocks: [Block]) -> [LoweredBlock]? {
    guard allowsParts, blocks.count >= 2, FrontEndParts.cores >= 2 else { return nil }
    let sizes = blocks.map { Self.noteStatements(in: $0.statements) }
    guard sizes.reduce(0, +) >= FrontEndParts.statementsNeeded else { return nil }
    let reported = diagnostics.count
    var kindCount: [BlockKind: Int] = [:]
    var jobs: [(track: Int, key: UInt64, worker: Lowering)] = []
    for (block, size) in zip(blocks, sizes) {
      kindCount[block.kind, default: 0] += 1
      let ordinal = kindCount[block.kind]!
      let track = track(for: block, ordinal: ordinal, inSection: false)
      jobs.append((track, Self.blockKey(block, ordinal: ordinal, scope: 0), worker(firstStatement: statementCount)))
      statementCount += size
    }
    guard diagnostics.count == reported else {
      partsFailed = true
      return nil
    }
    let order = blocks.indices.sorted { sizes[$0] > sizes[$1] }
    let results = SlotResults<[Node]>(count: blocks.count)
    // Each worker is used by one iteration only; the blocks are read.
    let shared = Unchecked((workers: jobs.map(\.worker), blocks: blocks))
    DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
      let k = order[i]
      results.store(shared.value.workers[k].lowerBody(shared.value.blocks[k].statements), at: k)
    }
    guard jobs.allSatisfy({ $0.worker.diagnostics.isEmpty }) else {
      partsFailed = true
      return nil
    }
    FrontEndParts.taken()
    return blocks.indices.map { LoweredBlock(track: jobs[$0].track, key: jobs[$0].key, nodes: results.take($0) ?? []) }
  }

  /// A lowering of one top-level block's statements: this one's names, meters and instruments, no diagnostics,
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
