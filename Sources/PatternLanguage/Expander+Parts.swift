import Dispatch

/// Top-level blocks expanded side by side: a block's events depend only on the program, the seed and its own
/// stream key, never on the blocks before it — except through the song-wide limits, which are checked on the sums.
extension Expander {
  /// Expands the top-level blocks on several threads (the largest first), each into an expander of its own that
  /// also sorts its events, kept in `sortedParts` for `takeSortedEvents` to merge: the events (and the steps and
  /// random-string work) expanding them in order gives.
  /// False, with nothing changed, when not worth it (few blocks or statements, one core) or when the result might
  /// differ from one pass's: a block reported anything, or the sums come near a limit one pass checks along the
  /// way (steps, twice the events — a chord's notes are counted as they are added — and random-string work).
  mutating func expandBlocksInParts(root: UInt64, scales: ScaleTimeline) -> Bool {
    let blocks = program.blocks
    guard blocks.count >= 2, FrontEndParts.cores >= 2, events.isEmpty, sortedParts.isEmpty, steps == 0, miniWork == 0
    else { return false }
    guard blocks.reduce(0, { $0 + $1.nodes.count }) >= FrontEndParts.statementsNeeded else { return false }
    let order = blocks.indices.sorted { blocks[$0].nodes.count > blocks[$1].nodes.count }
    let results = SlotResults<Expander>(count: blocks.count)
    // Read by every iteration, changed by none.
    let shared = Unchecked((program: program, limits: limits, seed: seed, swing: swing, scales: scales))
    DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
      let (program, limits, seed, swing, scales) = shared.value
      let block = program.blocks[order[i]]
      var part = Expander(program: program, limits: limits, seed: seed, swing: swing)
      // Most blocks play each statement once: room for that many events saves growing the array page by page.
      part.events.reserveCapacity(block.nodes.count)
      part.expand(block.nodes, Context(track: block.track, key: StreamKey.combine(root, block.key), scales: scales))
      // Each block's events sorted here, on its thread; `takeSortedEvents` merges the blocks.
      part.events = part.takeSortedEvents()
      results.store(part, at: order[i])
    }
    let parts = blocks.indices.compactMap { results.take($0) }
    guard parts.count == blocks.count, parts.allSatisfy({ $0.diagnostics.isEmpty && !$0.stopped }) else { return false }
    let totalSteps = parts.reduce(0) { $0 + $1.steps }
    let totalEvents = parts.reduce(0) { $0 + $1.events.count }
    let totalMini = parts.reduce(0) { $0 + $1.miniWork }
    guard totalSteps <= limits.maxExpansionSteps, 2 * totalEvents < limits.maxEvents,
      totalMini <= limits.maxMiniWork * 8
    else { return false }
    sortedParts = parts.map(\.events)
    eventsInParts = totalEvents
    steps = totalSteps
    miniWork = totalMini
    FrontEndParts.taken()
    return true
  }
}
