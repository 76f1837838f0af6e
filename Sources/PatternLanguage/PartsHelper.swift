import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A second thread for one large compile's parts: started when the compile starts (`start`), it spins between the
/// front end's steps and takes parts of each (`FrontEndParts.forEach`) from their first moment, then ends once it
/// has had nothing to do for `idleNanoseconds`.
///
/// Why: in a fresh process the second core joined the parts late or not at all. Timing each of W2's 16 parse parts
/// (`check`, 8 fresh runs) showed `concurrentPerform`'s worker starting 0.16–0.6 ms in, and in 2 of the 8 never
/// (one thread parsed every part: 4.2–4.4 ms against 2.9–3.4 ms) — a worker created or woken on an idle vCPU.
/// With a thread already running, W2's compile phase (`check --profile`, medians of 40 alternating runs in the VM's
/// slow minutes) 8.55 → 6.75 ms against the same binary without it, 7.80 → 6.95 ms against the previous one; its
/// `render` 70.4 → 67.3 ms (15 alternating); the 4 MB file's compile 69.0 → 66.3 ms.
///
/// Only for processes that compile one song and exit (`HeapReserve` enabled: the same commands); one step at a
/// time uses it (another thread's step meanwhile runs on `concurrentPerform`).
final class PartsHelper: @unchecked Sendable {
  /// One step's work: `body` for 0 ..< `count`, and how many indices are done.
  private final class Job: @unchecked Sendable {
    let body: @Sendable (Int) -> Void
    let count: Int
    let done = Atomic<Int>(0)
    init(_ body: @escaping @Sendable (Int) -> Void, _ count: Int) {
      self.body = body
      self.count = count
    }
  }

  /// How long the helper spins with nothing to do before it ends, ns: longer than the gap between a large
  /// compile's steps (loading its instruments, ~1.5 ms for W2).
  static let idleNanoseconds: UInt64 = 6_000_000
  /// The helper of the compile under way, if any.
  private static let current = Mutex<PartsHelper?>(nil)
  /// Helpers started in this process (what tests check).
  static let started = Atomic<Int>(0)

  /// The step's generation (high 32 bits) and the next index to claim (low 32 bits).
  private let word = Atomic<UInt64>(0)
  private let slot = Mutex<Job?>(nil)
  /// Whether a step is using the helper (one at a time).
  private let inUse = Atomic<Bool>(false)
  /// Whether the helper may hold a job: `run` waits until it lets go, as the body must not outlive the call.
  private let holding = Atomic<Bool>(false)

  /// Starts a helper thread for this process's compile, unless one is running.
  static func start() {
    current.withLock { current in
      guard current == nil else { return }
      let helper = PartsHelper()
      current = helper
      started.add(1, ordering: .relaxed)
      Thread.detachNewThread { helper.spin() }
    }
  }

  /// Runs `body` for 0 ..< `count` on this thread and the helper; false (nothing run) when there is no helper
  /// or another step is using it.
  static func run(_ count: Int, _ body: @Sendable (Int) -> Void) -> Bool {
    guard let helper = current.withLock({ $0 }),
      helper.inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else { return false }
    defer { helper.inUse.store(false, ordering: .releasing) }
    withoutActuallyEscaping(body) { helper.run(count, $0) }
    return true
  }

  private func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let job = Job(body, count)
    slot.withLock { $0 = job }
    let generation = (word.load(ordering: .acquiring) >> 32) &+ 1
    word.store(generation << 32, ordering: .releasing)
    work(job, generation: generation)
    while job.done.load(ordering: .acquiring) < count { Self.pause() }
    slot.withLock { $0 = nil }
    while holding.load(ordering: .sequentiallyConsistent) { Self.pause() }
  }

  /// Claims and runs `job`'s indices while it is the current step.
  private func work(_ job: Job, generation: UInt64) {
    while true {
      let w = word.load(ordering: .acquiring)
      guard w >> 32 == generation, Int(w & 0xFFFF_FFFF) < job.count else { return }
      if word.compareExchange(expected: w, desired: w &+ 1, ordering: .acquiringAndReleasing).exchanged {
        job.body(Int(w & 0xFFFF_FFFF))
        job.done.add(1, ordering: .releasing)
      }
    }
  }

  /// The helper thread: takes each new step's parts until idle for `idleNanoseconds`.
  private func spin() {
    HeapReserve.reserveShare()
    var seen: UInt64 = 0
    var idleSince = DispatchTime.now().uptimeNanoseconds
    while DispatchTime.now().uptimeNanoseconds - idleSince <= Self.idleNanoseconds {
      let generation = word.load(ordering: .acquiring) >> 32
      guard generation != seen else {
        Self.pause()
        continue
      }
      // Announced before the job is read, so `run` (which clears the slot, then waits on this) never returns
      // while this thread still holds its body.
      holding.store(true, ordering: .sequentiallyConsistent)
      // (None: the step ended before this thread looked; it is done with.)
      if let job = slot.withLock({ $0 }) {
        work(job, generation: generation)
        idleSince = DispatchTime.now().uptimeNanoseconds
      }
      seen = generation
      holding.store(false, ordering: .sequentiallyConsistent)
    }
    Self.current.withLock { if $0 === self { $0 = nil } }
  }

  /// Gives the core to any other thread that wants it while waiting.
  private static func pause() {
    #if canImport(Glibc)
      sched_yield()
    #endif
  }
}
