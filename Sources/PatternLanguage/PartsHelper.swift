import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A second thread for one large compile's parts: started when the compile starts (`start`), it spins between the
/// front end's steps and takes parts of each (`FrontEndParts.forEach`) from their first moment, and ends when the
/// compile ends (`stop`) or after `idleNanoseconds` with nothing to do.
///
/// Why: in a fresh process the second core joined the parts late or not at all. Timing each of W2's 16 parse parts
/// (`check`, 8 fresh runs) showed `concurrentPerform`'s worker starting 0.16–0.6 ms in, and in 2 of the 8 never
/// (one thread parsed every part: 4.2–4.4 ms against 2.9–3.4 ms) — a worker created or woken on an idle vCPU.
/// With a thread already running, W2's compile phase (`check --profile`, medians of 40 alternating runs in the VM's
/// slow minutes) 8.55 → 6.75 ms against the same binary without it, 7.80 → 6.95 ms against the previous one; its
/// `render` 70.4 → 67.3 ms (15 alternating); the 4 MB file's compile 69.0 → 66.3 ms.
///
/// Started only where `HeapReserve` is enabled (`pstudio`'s commands that compile one song and exit, and tests
/// that turn it on); one step at a time uses it (another thread's step meanwhile runs on `concurrentPerform`).
final class PartsHelper: @unchecked Sendable {
  /// One step's work: `body` for 0 ..< `count`, the generation it is claimed under, and how many indices are done.
  private final class Job: @unchecked Sendable {
    let body: @Sendable (Int) -> Void
    let count: Int
    let generation: UInt64
    let done = Atomic<Int>(0)
    init(_ body: @escaping @Sendable (Int) -> Void, _ count: Int, _ generation: UInt64) {
      self.body = body
      self.count = count
      self.generation = generation
    }
  }

  /// How long the helper spins with nothing to do before it ends on its own, ns: longer than any gap between a
  /// large compile's steps (loading its instruments, ~2 ms for W2, when its header did not name them all and they
  /// are loaded after the parse).
  static let idleNanoseconds: UInt64 = 6_000_000
  /// The helper of the compile under way, if any.
  private static let current = Mutex<PartsHelper?>(nil)

  /// The step's generation (high 32 bits; 2³² steps would wrap it, far beyond any compile) and the next index to
  /// claim (low 32 bits).
  private let word = Atomic<UInt64>(0)
  private let slot = Mutex<Job?>(nil)
  /// Whether a step is using the helper (one at a time); the helper takes it for good when it ends, so a caller
  /// that found it just before gets `false` rather than a helper that is gone.
  private let inUse = Atomic<Bool>(false)
  /// Whether the helper may hold a job: `run` waits until it lets go, as the body must not outlive the call.
  private let holding = Atomic<Bool>(false)
  private let stopping = Atomic<Bool>(false)
  private let ended = Atomic<Bool>(false)
  /// Indices the helper thread ran (what tests check).
  let helped = Atomic<Int>(0)

  /// Starts a helper for this process's compile, unless one is running.
  static func start() {
    current.withLock { current in
      guard current == nil else { return }
      let helper = PartsHelper()
      current = helper
      helper.begin()
    }
  }

  /// Ends the compile's helper (it finishes the step it is in, if any).
  static func stop() { current.withLock { $0 }?.stopping.store(true, ordering: .relaxed) }

  /// Runs `body` for 0 ..< `count` on this thread and the compile's helper; false (nothing run) when there is none
  /// or another step is using it. `alongside` runs on this thread once the helper may take indices, before this
  /// thread takes any.
  static func run(_ count: Int, alongside: () -> Void = {}, _ body: @Sendable (Int) -> Void) -> Bool {
    guard let helper = current.withLock({ $0 }) else { return false }
    return helper.run(count, alongside: alongside, body)
  }

  /// Starts this helper's thread.
  func begin() {
    if !ThreadPlacement.startOffThisCore({ [self] in spin() }) { Thread.detachNewThread { [self] in spin() } }
  }

  /// Stops this helper and waits until its thread has ended (tests).
  func stopAndWait() {
    stopping.store(true, ordering: .relaxed)
    while !ended.load(ordering: .acquiring) { Self.pause() }
  }

  /// Runs `body` for 0 ..< `count` on this thread and the helper's; false (nothing run) when the helper has ended or
  /// another step is using it. `alongside` runs on this thread while the helper starts on the indices.
  func run(_ count: Int, alongside: () -> Void = {}, _ body: @Sendable (Int) -> Void) -> Bool {
    guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
    defer { inUse.store(false, ordering: .releasing) }
    HeapReserve.reserveShare()
    withoutActuallyEscaping(body) { body in
      let generation = (word.load(ordering: .acquiring) >> 32) &+ 1
      let job = Job(body, count, generation)
      slot.withLock { $0 = job }
      word.store(generation << 32, ordering: .releasing)
      alongside()
      work(job)
      while job.done.load(ordering: .acquiring) < count { Self.pause() }
      slot.withLock { $0 = nil }
      while holding.load(ordering: .sequentiallyConsistent) { Self.pause() }
    }
    return true
  }

  /// Claims and runs `job`'s indices while the word is at its generation. (A job read before its generation is
  /// stored claims nothing: its indices are never claimed under another step's generation.)
  private func work(_ job: Job, onHelper: Bool = false) {
    while true {
      let w = word.load(ordering: .acquiring)
      guard w >> 32 == job.generation, Int(w & 0xFFFF_FFFF) < job.count else { return }
      if word.compareExchange(expected: w, desired: w &+ 1, ordering: .acquiringAndReleasing).exchanged {
        job.body(Int(w & 0xFFFF_FFFF))
        if onHelper { helped.add(1, ordering: .relaxed) }
        job.done.add(1, ordering: .releasing)
      }
    }
  }

  /// The helper thread: takes each new step's parts until stopped or idle for `idleNanoseconds`.
  private func spin() {
    HeapReserve.reserveShare()
    var seen: UInt64 = 0
    var idleSince = DispatchTime.now().uptimeNanoseconds
    while !stopping.load(ordering: .relaxed), DispatchTime.now().uptimeNanoseconds - idleSince <= Self.idleNanoseconds {
      let generation = word.load(ordering: .acquiring) >> 32
      guard generation != seen else {
        Self.pause()
        continue
      }
      // Announced before the job is read, so `run` (which clears the slot, then waits on this) never returns
      // while this thread still holds its body.
      holding.store(true, ordering: .sequentiallyConsistent)
      if let job = slot.withLock({ $0 }) {
        work(job, onHelper: true)
        // Seen only once its own generation is: a job published before its generation still needs doing.
        if job.generation == generation { seen = generation }
        idleSince = DispatchTime.now().uptimeNanoseconds
      } else {
        seen = generation
      }
      holding.store(false, ordering: .sequentiallyConsistent)
    }
    // Taken for good: a caller that found this helper gets `false` from now on.
    while !inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { Self.pause() }
    Self.current.withLock { if $0 === self { $0 = nil } }
    ended.store(true, ordering: .releasing)
  }

  /// Gives the core to any other thread that wants it while waiting.
  private static func pause() {
    #if canImport(Glibc)
      sched_yield()
    #endif
  }
}
