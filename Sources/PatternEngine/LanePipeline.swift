import Dispatch
import PatternLanguage
import Synchronization

/// Runs the lanes of a render on several threads without a barrier per chunk.
///
/// Lanes are split into fixed groups (`plan`, one list of lanes per thread). The consuming thread renders
/// group 0 itself; each other group has a background worker that renders its lanes up to `slots` chunks
/// ahead into a ring of lane buffers. Semaphores hand chunks over: `produced[g]` counts chunks a worker has
/// finished, `free[g]` counts ring slots the consumer has released. Only the *scheduling* is concurrent:
/// every lane still renders its own voices in time order and the mix sums lanes in a fixed order, so the
/// output is the same for any thread count.
///
/// (A barrier per chunk with `concurrentPerform` cost ~100 µs per chunk on this VM and made many short
/// voices render no faster on two threads than on one.)
final class LanePipeline: @unchecked Sendable {
  let lanes: [LaneRenderer]
  let groups: Int
  /// `plan[g]`: the lanes group g renders, in lane order.
  private let plan: [[Int]]
  /// Ring slots per lane buffer.
  let slots: Int
  let chunkFrames: Int
  let totalFrames: Int64
  let chunkCount: Int
  private let produced: [DispatchSemaphore]
  private let free: [DispatchSemaphore]
  private let cancelled = Atomic<Bool>(false)
  private let running = DispatchGroup()
  private var started = false

  /// - Parameter plan: The lanes of each group (group 0: the consuming thread's); every lane in exactly one.
  init(lanes: [LaneRenderer], plan: [[Int]], slots: Int, chunkFrames: Int, totalFrames: Int64) {
    self.lanes = lanes
    self.plan = plan.map { StableSort.sorted($0, by: <) }
    self.groups = max(1, plan.count)
    self.slots = slots
    self.chunkFrames = chunkFrames
    self.totalFrames = totalFrames
    self.chunkCount = Int((totalFrames + Int64(chunkFrames) - 1) / Int64(chunkFrames))
    produced = (0..<groups).map { _ in DispatchSemaphore(value: 0) }
    free = (0..<groups).map { _ in DispatchSemaphore(value: slots) }
  }

  /// First frame and length of chunk `c`.
  func range(ofChunk c: Int) -> (start: Int64, frames: Int) {
    let start = Int64(c) * Int64(chunkFrames)
    return (start, Int(min(Int64(chunkFrames), totalFrames - start)))
  }

  private func render(group g: Int, chunk c: Int) {
    let (start, frames) = range(ofChunk: c)
    for i in plan[g] { lanes[i].render(start: start, frames: frames, slot: c % slots) }
  }

  /// Makes chunk `c` ready in ring slot `c % slots` of every lane. Call with c = 0, 1, 2 … in order, from one
  /// thread, and `release(chunk:)` each chunk after reading it.
  func prepare(chunk c: Int) {
    if !started {
      started = true
      for g in 1..<groups {
        running.enter()
        // The caller's priority (a pool thread at default QoS when no thread of its own can be made): the
        // caller's mixing and writing is the serial path, and higher-priority workers (userInitiated) preempted it.
        let work: @Sendable () -> Void = { [self] in
          defer { running.leave() }
          for chunk in 0..<chunkCount {
            free[g].wait()
            if cancelled.load(ordering: .acquiring) { return }
            render(group: g, chunk: chunk)
            produced[g].signal()
          }
        }
        // Started off this thread's core: this VM's scheduler placed a new pool thread beside its creator
        // (`ThreadPlacement`).
        if !ThreadPlacement.startOffThisCore(work) { DispatchQueue.global(qos: .default).async(execute: work) }
      }
    }
    // (Giving group 0 to a worker too, so the caller only mixes, measured the same on two cores.)
    render(group: 0, chunk: c)
    for g in 1..<groups { produced[g].wait() }
  }

  /// The consumer has finished reading chunk `c`: its slot may be reused.
  func release(chunk c: Int) {
    for g in 1..<groups { free[g].signal() }
  }

  /// Stops the workers (if any are still running) and waits for them.
  func stop() {
    guard started else { return }
    cancelled.store(true, ordering: .releasing)
    for g in 1..<groups { for _ in 0..<slots { free[g].signal() } }
    running.wait()
  }

  deinit { stop() }
}
