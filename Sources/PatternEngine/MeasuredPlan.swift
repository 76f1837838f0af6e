import Dispatch
import Synchronization

/// Runs the pipelined mix's items (the master chain, the buses, the track groups) of one chunk on the workers: each
/// worker takes the next item of a list ordered longest first, so both finish within about one item of each other.
/// The order starts from the estimated costs (`MixGraph.cost`) and is set again, a few times early in the render,
/// from each item's measured time so far.
///
/// Why not a fixed list per worker: the items are few and coarse (W3: six of 0.05–0.25 s each over the song),
/// so any fixed split leaves one worker ~10–20 % more than the other (W3, measured on the CI machine: 0.69 s
/// against 0.58 s), and the per-effect estimates are rough. (The measured times are wall times: the lane threads
/// rendering the next chunk preempt the workers now and then, which the totals over many chunks even out.)
/// Which worker runs an item never changes its
/// result — each item reads and writes only its own buffers and state, and the sums are taken afterwards in source
/// order — so the audio is the same for any order and thread count; only the split of the work follows timing.
///
/// `@unchecked Sendable`: the workers share only the atomic counter, the read-only `order` and per-item totals
/// each written by one worker per chunk; `order` and the totals are reset on the calling thread between chunks.
final class MeasuredPlan: @unchecked Sendable {
  /// The items, longest first.
  private(set) var order: [Int]
  private let count: Int
  /// The next place in `order` to take (reset before each chunk).
  private let next = Atomic<Int>(0)
  /// Seconds each item has taken since the totals last restarted (one writer per item and chunk: the worker
  /// running it; read on the calling thread after the chunk's barrier).
  private let seconds: UnsafeMutablePointer<Double>
  private var chunks = 0
  private let clock = ContinuousClock()

  /// Chunks before every item has work (buses from the second chunk, the master chain from the third): the
  /// totals restart after them, so they hold whole chunks only.
  static let settle = 2
  /// Chunks after `settle` at which the order is set again from the totals: a few early ones, so the steady state
  /// allocates nothing.
  static let reorders: Set<Int> = [8, 32, 128]

  init(estimates: [Double]) {
    count = estimates.count
    order = MeasuredPlan.longestFirst(estimates)
    seconds = .allocate(capacity: max(1, count))
    seconds.initialize(repeating: 0, count: max(1, count))
  }

  deinit { seconds.deallocate() }

  /// Item indices by decreasing cost (ties: lower index first).
  private static func longestFirst(_ costs: [Double]) -> [Int] {
    costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
  }

  /// Runs `body` once for every item, on up to `threads` threads (one: in order, on this thread), and returns when
  /// all have finished.
  func run(threads: Int, _ body: (Int) -> Void) {
    let workers = min(threads, count)
    if workers <= 1 {
      for item in order { timed(item, body) }
    } else {
      next.store(0, ordering: .relaxed)
      withoutActuallyEscaping(body) { body in
        let box = UncheckedBody(run: body)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
          while true {
            let k = next.add(1, ordering: .relaxed).oldValue
            guard k < count else { break }
            timed(order[k], box.run)
          }
        }
      }
    }
    chunkDone()
  }

  /// Runs item `item` and adds its wall time to the item's total.
  @inline(__always)
  private func timed(_ item: Int, _ body: (Int) -> Void) {
    let start = clock.now
    body(item)
    let (s, attoseconds) = start.duration(to: clock.now).components
    seconds[item] += Double(s) + Double(attoseconds) * 1e-18
  }

  private func chunkDone() {
    chunks += 1
    if chunks == MeasuredPlan.settle {
      seconds.update(repeating: 0, count: count)
    } else if MeasuredPlan.reorders.contains(chunks - MeasuredPlan.settle) {
      order = MeasuredPlan.longestFirst((0..<count).map { seconds[$0] })
    }
  }
}
