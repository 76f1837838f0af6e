/// Merging runs of events already in start order, for the blocks expanded side by side.
extension Expander {
  /// One array of the events of `runs` (each in start order) in start order; equal starts keep the runs' order,
  /// then each run's: the stable sort of the runs laid end to end, with each event written once (no second sort,
  /// no concatenated copy).
  static func merge(_ runs: [[NoteEvent]]) -> [NoteEvent] {
    let runs = runs.filter { !$0.isEmpty }
    guard runs.count > 1 else { return runs.first ?? [] }
    var merged: [NoteEvent] = []
    merged.reserveCapacity(runs.reduce(0) { $0 + $1.count })
    var next = [Int](repeating: 0, count: runs.count)
    // A binary min-heap of run numbers by (the run's next start, run number).
    func before(_ a: Int, _ b: Int) -> Bool {
      let (x, y) = (runs[a][next[a]].start, runs[b][next[b]].start)
      return x != y ? x < y : a < b
    }
    var heap = Array(runs.indices)
    func siftDown(_ from: Int) {
      var i = from
      while true {
        let (l, r) = (2 * i + 1, 2 * i + 2)
        var m = i
        if l < heap.count, before(heap[l], heap[m]) { m = l }
        if r < heap.count, before(heap[r], heap[m]) { m = r }
        if m == i { return }
        heap.swapAt(i, m)
        i = m
      }
    }
    for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    while let run = heap.first {
      merged.append(runs[run][next[run]])
      next[run] += 1
      if next[run] == runs[run].count {
        heap[0] = heap[heap.count - 1]
        heap.removeLast()
      }
      if !heap.isEmpty { siftDown(0) }
    }
    return merged
  }
}
