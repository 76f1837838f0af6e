import Dispatch
import PatternAudioIO
import Synchronization

/// Quantises master-stage chunks and hands them to every sink on a writer (one task on a serial queue, for the
/// whole render), so dithering, encoding, hashing and disk I/O overlap with rendering the next chunk. At most
/// `depth` chunks are in flight; their buffers are allocated once, when the render starts, and chunks are
/// handed over through semaphores and preallocated slot records — nothing is allocated per chunk (a closure
/// dispatched per chunk cost three mallocs each; `Benchmarks/` counts them).
///
/// The sinks and the quantiser are touched only by the writer until `drain()` returns (it waits for the
/// writer's stop mark), which orders every write before the caller's `finish()` or `cancel()`.
final class SinkPipeline: @unchecked Sendable {
  private let sinks: [any RenderSink]
  private var quantizer: PCMQuantizer
  private let queue = DispatchQueue(label: "patternstudio.sinks")
  private let free: DispatchSemaphore
  /// Signalled once per filled slot (and once for the stop mark).
  private let ready = DispatchSemaphore(value: 0)
  private let stopped = DispatchSemaphore(value: 0)
  /// Per slot: the master chunk, then one buffer per track when a sink wants tracks.
  private let slots: [[UnsafeMutableBufferPointer<Float>]]
  /// Per slot: its samples (−1: the stop mark) and first frame. Written before `ready.signal()`, read after
  /// the writer's `ready.wait()`, which orders them.
  private let counts: UnsafeMutablePointer<Int>
  private let firstFrames: UnsafeMutablePointer<Int64>
  /// Submitting side only: the next slot, and whether the writer runs / was told to stop.
  private var next = 0
  private var started = false
  private var stopping = false
  private let firstError = Mutex<RenderError?>(nil)
  private let profile: RenderProfile?
  private let clock = ContinuousClock()

  /// - Parameters:
  ///   - tracks: How many per-track buffers each slot needs (0 when no sink wants tracks).
  ///   - depth: Chunks that may wait for the sinks at once.
  ///   - profile: Where the writer's time goes (quantising, encoding, the rendering thread's waits).
  init(sinks: [any RenderSink], quantizer: PCMQuantizer, tracks: Int, depth: Int = 4, profile: RenderProfile? = nil) {
    self.sinks = sinks
    self.profile = profile
    self.quantizer = quantizer
    free = DispatchSemaphore(value: depth)
    slots = (0..<depth).map { _ in
      (0...tracks).map { _ in .allocate(capacity: quantizer.maxSamples) }
    }
    counts = .allocate(capacity: depth)
    counts.initialize(repeating: 0, count: depth)
    firstFrames = .allocate(capacity: depth)
    firstFrames.initialize(repeating: 0, count: depth)
  }

  deinit {
    stop()
    for slot in slots { for b in slot { b.deallocate() } }
    counts.deallocate()
    firstFrames.deallocate()
  }

  /// Copies a chunk (interleaved, starting at absolute frame `firstFrame`, and each track's signal from
  /// `track` when tracks are wanted) and queues it for the sinks. Throws the first sink error so far.
  func submit(
    _ master: UnsafeBufferPointer<Float>, firstFrame: Int64, track: (Int) -> UnsafeBufferPointer<Float>
  ) throws {
    try throwIfFailed()
    let waited = clock.now
    free.wait()
    defer { profile?.add(.writerWait, clock.now - waited) }
    let index = next
    let slot = slots[index]
    next = (next + 1) % slots.count
    _ = slot[0].initialize(fromContentsOf: master)
    for t in 0..<(slot.count - 1) { _ = slot[t + 1].initialize(fromContentsOf: track(t)) }
    counts[index] = master.count
    firstFrames[index] = firstFrame
    if !started {
      started = true
      queue.async { [self] in write() }
    }
    ready.signal()
  }

  /// The writer: slot after slot in order, until the stop mark.
  private func write() {
    var index = 0
    // (Reused for every chunk when a sink asked for tracks: no array per chunk.)
    var trackSamples: [UnsafeBufferPointer<Float>] = []
    trackSamples.reserveCapacity(slots[0].count - 1)
    while true {
      ready.wait()
      let count = counts[index]
      if count < 0 { break }
      let firstFrame = firstFrames[index]
      if firstError.withLock({ $0 == nil }) {
        let slot = slots[index]
        let samples = UnsafeBufferPointer(rebasing: slot[0][0..<count])
        trackSamples.removeAll(keepingCapacity: true)
        for t in 1..<slot.count { trackSamples.append(UnsafeBufferPointer(rebasing: slot[t][0..<count])) }
        do {
          let started = clock.now
          var encoding = Duration.zero
          try quantizer.quantize(samples, firstFrame: firstFrame) { pcm in
            let chunk = RenderChunk(
              firstFrame: firstFrame, frames: count / 2, master: samples, pcm: pcm, tracks: trackSamples)
            let written = clock.now
            for sink in sinks { try sink.write(chunk) }
            encoding = clock.now - written
          }
          if let profile {
            profile.add(.encode, encoding)
            profile.add(.quantize, clock.now - started - encoding)
          }
        } catch {
          firstError.withLock { $0 = $0 ?? RenderError.wrapping(error) }
        }
      }
      index = (index + 1) % slots.count
      free.signal()
    }
    stopped.signal()
  }

  /// Waits until every queued chunk is with the sinks; throws the first sink error.
  func drain() throws {
    stop()
    try throwIfFailed()
  }

  /// Puts the stop mark in the next slot (after every chunk submitted) and waits for the writer to reach it.
  private func stop() {
    guard started, !stopping else { return }
    stopping = true
    free.wait()
    counts[next] = -1
    ready.signal()
    stopped.wait()
    // The stop mark's slot back: libdispatch traps on a semaphore freed below its starting value.
    free.signal()
  }

  private func throwIfFailed() throws {
    if let error = firstError.withLock({ $0 }) { throw error }
  }
}
