import Dispatch
import PatternLanguage
import Synchronization

/// Work split over threads: striped (item `i` to worker `i mod jobs`, so which thread does what never depends
/// on timing), or pulled from a fixed order by whichever worker is free (`forEach(order:)`, for items whose
/// results cannot depend on the thread). Results are stored by index, never in completion order.
enum Parallel {
  /// Calls `body(i)` for every `i` in `0..<count` on at most `jobs` threads.
  ///
  /// - Parameter whenIdle: as for `forEach(order:jobs:whenIdle:_:)`, on a thread whose stripe is done.
  static func forEach(
    count: Int, jobs: Int, whenIdle: (@Sendable (_ othersBusy: () -> Bool) -> Void)? = nil,
    _ body: @Sendable (Int) -> Void
  ) {
    guard count > 0 else { return }
    let workers = max(1, min(jobs, count))
    let running = Mutex(workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for i in stride(from: worker, to: count, by: workers) { body(i) }
      running.withLock { $0 -= 1 }
      whenIdle?({ running.withLock { $0 > 0 } })
    }
  }

  /// Calls `body(i)` for every `i` in `order` on at most `jobs` threads, each thread taking the next item when
  /// it is free: with `order` costliest first, the threads finish close together (longest processing time
  /// first). Which thread does which item depends on timing, so only for work whose result cannot (each item
  /// computed on its own, stored by index).
  ///
  /// - Parameter whenIdle: called on a thread that found no item left while others may still be busy with
  ///   theirs, with a test that says whether any still is: work that can wait (it should return soon after the
  ///   test turns false) fills the time the thread would idle until the last item ends.
  static func forEach(
    order: [Int], jobs: Int, whenIdle: (@Sendable (_ othersBusy: () -> Bool) -> Void)? = nil,
    _ body: @Sendable (Int) -> Void
  ) {
    guard !order.isEmpty else { return }
    let next = NextItem(order)
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, order.count))) { _ in
      while let i = next.take() {
        body(i)
        next.finished()
      }
      whenIdle?({ next.busy })
    }
  }

  /// `body(i)` for every `i` in `order` (see `forEach(order:jobs:whenIdle:_:)`), returned in index order.
  static func map<T>(
    order: [Int], jobs: Int, whenIdle: (@Sendable (_ othersBusy: () -> Bool) -> Void)? = nil,
    _ body: @Sendable (Int) -> T
  ) -> [T] {
    let results = ResultBox<T>(count: order.count)
    forEach(order: order, jobs: jobs, whenIdle: whenIdle) { results.set($0, body($0)) }
    return results.all
  }

  /// `body(i)` for every `i` in `0..<count`, in index order whatever the scheduling.
  static func map<T>(
    count: Int, jobs: Int, whenIdle: (@Sendable (_ othersBusy: () -> Bool) -> Void)? = nil,
    _ body: @Sendable (Int) -> T
  ) -> [T] {
    let results = ResultBox<T>(count: count)
    forEach(count: count, jobs: jobs, whenIdle: whenIdle) { results.set($0, body($0)) }
    return results.all
  }
}
