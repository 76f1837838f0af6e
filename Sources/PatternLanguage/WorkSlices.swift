/// Contiguous runs of the top-level blocks' items (statements, or lowered nodes) of about equal cost, for threads
/// to take one at a time: a long block is cut into several runs, short ones go whole, and the runs in order are the
/// blocks' items in order.
struct WorkSlice: Equatable {
  /// The block, and its items in the run.
  var block: Int
  var items: Range<Int>
}

enum WorkSlices {
  /// Runs of `costs` (per block, per item) of about `total / pieces` each, in block and item order; empty blocks
  /// have none.
  static func slices(costs: [[Int]], pieces: Int) -> [WorkSlice] {
    let total = costs.reduce(0) { $0 + $1.reduce(0, +) }
    let target = max(1, (total + max(1, pieces) - 1) / max(1, pieces))
    var slices: [WorkSlice] = []
    for (block, items) in costs.enumerated() {
      var start = 0
      var cost = 0
      for (i, c) in items.enumerated() {
        cost += c
        if cost >= target {
          slices.append(WorkSlice(block: block, items: start..<i + 1))
          (start, cost) = (i + 1, 0)
        }
      }
      if start < items.count { slices.append(WorkSlice(block: block, items: start..<items.count)) }
    }
    return slices
  }
}
