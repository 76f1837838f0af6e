import Dispatch
import PatternLanguage
import Synchronization

/// Work split over threads: striped (item `i` to worker `i mod jobs`, so which thread does what never depends
/// on timing), or pulled from a fixed order by whichever worker is free (`forEach(order:)`, for items whose
/// results cannot depend on the thread). Results are stored by index, never in completion order.
enum Parallel {
  /// Work that can wait, for a thread that ran out of items while others may still be busy with theirs: it is
  /// given a test that says whether any still is, and should return soon after the test turns false.
  typealias IdleWork = @Sendable (_ othersBusy: () -> Bool) -> Void

  /// Calls `body(i)` for every `i` in `0..<count` on at most `jobs` threads.
  ///
  /// - Parameter whenIdle: called on a thread whose stripe is done (`IdleWork`).
  static func forEach(count: Int, jobs: Int, whenIdle: IdleWork? = nil, _ body: @Sendable (Int) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(jobs, count))
    run(workers, whenIdle: whenIdle) { worker in
      for i in stride(from: worker, to: count, by: workers) { body(i) }
    }
  }

  /// Calls `body(i)` for every `i` in `order` on at most `jobs` threads, each thread taking the next item when
  /// it is free: with `order` costliest first, the threads finish close together (longest processing time
  /// first). Which thread does which item depends on timing, so only for work whose result cannot (each item
  /// computed on its own, stored by index).
  ///
  /// - Parameter whenIdle: called on a thread that found no item left (`IdleWork`): it fills the time the thread
  ///   would idle until the last item ends.
  static func forEach(order: [Int], jobs: Int, whenIdle: IdleWork? = nil, _ body: @Sendable (Int) -> Void) {
    guard !order.isEmpty else { return }
    let next = NextItem(order)
    run(max(1, min(jobs, order.count)), whenIdle: whenIdle) { _ in
      while let i = next.take() { body(i) }
    }
  }

  /// `worker(w)` for `w` in `0..<workers` side by side; each, when done, runs `whenIdle` with a test of whether
  /// any other worker is still at its part.
  private static func run(_ workers: Int, whenIdle: IdleWork?, _ worker: @Sendable (Int) -> Void) {
    let running = Mutex(workers)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      worker(w)
      running.withLock { $0 -= 1 }
      whenIdle?({ running.withLock { $0 > 0 } })
    }
  }

  /// `body(i)` for every `i` in `order` (see `forEach(order:jobs:whenIdle:_:)`), returned in index order.
  static func map<T>(order: [Int], jobs: Int, whenIdle: IdleWork? = nil, _ body: @Sendable (Int) -> T) -> [T] {
    let results = ResultBox<T>(count: order.count)
    forEach(order: order, jobs: jobs, whenIdle: whenIdle) { results.set($0, body($0)) }
    return results.all
  }

  /// `body(i)` for every `i` in `0..<count`, in index order whatever the scheduling.
  static func map<T>(count: Int, jobs: Int, whenIdle: IdleWork? = nil, _ body: @Sendable (Int) -> T) -> [T] {
    let results = ResultBox<T>(count: count)
    forEach(count: count, jobs: jobs, whenIdle: whenIdle) { results.set($0, body($0)) }
    return results.all
  }
}
