/// Deals work items to threads by estimated cost: a fixed plan, computed before any work starts, so the
/// split never depends on timing (nor could it change the output: every item's result is independent of
/// the thread that computes it).
enum WorkPlan {
  /// Deals items of the given costs to `workers` lists, longest first, each to the least loaded list (ties to
  /// the lower index). `startingLoads[w]` is work worker w has besides these items (missing entries: 0).
  static func deal(costs: [Double], workers: Int, startingLoads: [Double] = []) -> [[Int]] {
    var lists = [[Int]](repeating: [], count: max(1, workers))
    var load = lists.indices.map { $0 < startingLoads.count ? startingLoads[$0] : 0 }
    for i in costs.indices.sorted(by: { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }) {
      let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
      lists[w].append(i)
      load[w] += costs[i]
    }
    return lists
  }
}
