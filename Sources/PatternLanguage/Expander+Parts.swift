/// Top-level blocks expanded side by side, in runs of statements: a statement's events depend only on the program,
/// the seed, its block's stream key and its own position, never on the statements before it — except through the
/// song-wide limits, which are checked on the sums.
extension Expander {
  /// Expands the top-level blocks on several threads, in runs of statements, each into an expander of its own that
  /// also sorts its events, kept in `sortedParts` for `takeSortedEvents` to merge: the events (and the steps and
  /// random-string work) expanding them in order gives.
  /// False, with nothing changed, when not worth it (few statements, one core) or when the result might
  /// differ from one pass's: a run reported anything, or the sums come near a limit one pass checks along the
  /// way: more steps than it allows, random-string work that reaches its budget (a string passes only below what
  /// is left of it), or half the event limit (its check counts a chord's earlier notes twice).
  mutating func expandBlocksInParts(root: UInt64, scales: ScaleTimeline) -> Bool {
    let blocks = program.blocks
    // Called by `run` first, so nothing has been expanded yet.
    guard FrontEndParts.cores >= 2, blocks.reduce(0, { $0 + $1.nodes.count }) >= FrontEndParts.statementsNeeded else {
      return false
    }
    // Runs of statements, several per core, so that whichever thread is free takes the next; a statement's events
    // depend on its block's key and its own position, not on the statements before it.
    let slices = WorkSlices.slices(
      costs: blocks.map { [Int](repeating: 1, count: $0.nodes.count) }, pieces: FrontEndParts.cores * 4)
    let results = ResultBox<Expander>(count: slices.count)
    // Read by every iteration, changed by none.
    let shared = UncheckedShared((program: program, limits: limits, seed: seed, swing: swing, scales: scales))
    FrontEndParts.forEach(slices.count) { k in
      let (program, limits, seed, swing, scales) = shared.value
      let block = program.blocks[slices[k].block]
      var part = Expander(program: program, limits: limits, seed: seed, swing: swing)
      // Most statements sound once: room for that many events saves growing the array page by page.
      part.events.reserveCapacity(slices[k].items.count)
      part.expand(
        Array(block.nodes[slices[k].items]),
        Context(track: block.track, key: StreamKey.combine(root, block.key), scales: scales))
      // Each run's events sorted here, on its thread; `takeSortedEvents` merges the runs.
      part.events = part.takeSortedEvents()
      results.set(k, part)
    }
    let parts = slices.indices.compactMap { results.value(at: $0) }
    guard parts.count == slices.count, parts.allSatisfy({ $0.diagnostics.isEmpty && !$0.stopped }) else { return false }
    let totalSteps = parts.reduce(0) { $0 + $1.steps }
    let totalEvents = parts.reduce(0) { $0 + $1.events.count }
    let totalMini = parts.reduce(0) { $0 + $1.miniWork }
    guard totalSteps <= limits.maxExpansionSteps, 2 * totalEvents < limits.maxEvents,
      totalMini < limits.maxMiniWork * 8
    else { return false }
    sortedParts = parts.map(\.events)
    eventsInParts = totalEvents
    steps = totalSteps
    miniWork = totalMini
    FrontEndParts.taken()
    return true
  }
}
