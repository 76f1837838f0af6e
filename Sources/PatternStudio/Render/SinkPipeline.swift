import Dispatch
import PatternAudioIO
import Synchronization

/// Quantises master-stage chunks and hands them to every sink on a writer (one task on a serial queue, for the
/// whole render), so dithering, encoding, hashing and disk I/O overlap with rendering the next chunk. At most
/// `depth` chunks are in flight; their buffers are allocated once, when the render starts, and chunks are
/// handed over through semaphores and preallocated slot records — nothing is allocated per chunk (a closure
/// dispatched per chunk cost three mallocs each; `Benchmarks/` counts them).
///
/// The sinks are touched only by the writer until `drain()` returns (it waits for the writer's stop mark),
/// which orders every write before the caller's `finish()` or `cancel()`. A chunk is quantised by the writer or,
/// when the writer is behind, by the submitting thread (`submit`); each slot's state says which, under a lock.
final class SinkPipeline: @unchecked Sendable {
  private let sinks: [any RenderSink]
  private let quantizer: PCMQuantizer
  private let queue = DispatchQueue(label: "patternstudio.sinks")
  private let free: DispatchSemaphore
  /// Signalled once per filled slot (and once for the stop mark).
  private let ready = DispatchSemaphore(value: 0)
  private let stopped = DispatchSemaphore(value: 0)
  /// Per slot: the master chunk, then one buffer per track when a sink wants tracks.
  private let slots: [[UnsafeMutableBufferPointer<Float>]]
  /// Per slot: its quantised PCM, by the writer or by the submitting thread (`helpQuantize`).
  private let pcm: [UnsafeMutableRawPointer]
  private let pcmChunks: UnsafeMutablePointer<PCMChunk>
  /// Per slot: queued and not yet quantised by anyone, so either thread may claim it (clearing the flag), under
  /// one lock taken once or twice per chunk. At most one slot is pending at a time: a chunk submitted while
  /// another is pending is quantised at once.
  private let pending: Mutex<[Bool]>
  /// Per slot: signalled when the submitting thread has quantised it (the writer waits for that).
  private let quantized: [DispatchSemaphore]
  /// Chunks the submitting thread quantised (for tests: that the help path ran).
  private(set) var quantizedBySubmitter = 0

  /// Per slot: its samples (−1: the stop mark) and first frame. Written before `ready.signal()`, read after
  /// the writer's `ready.wait()`, which orders them.
  private let counts: UnsafeMutablePointer<Int>
  private let firstFrames: UnsafeMutablePointer<Int64>
  /// Submitting side only: the next slot, and whether the writer runs / was told to stop.
  private var next = 0
  private var started = false
  private var stopping = false
  /// Whether the caller holds the next slot (`reserve`), not yet submitted.
  private var reserved = false
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
    pcm = (0..<depth).map { _ in .allocate(byteCount: max(64, quantizer.bufferBytes), alignment: 64) }
    pcmChunks = .allocate(capacity: depth)
    pcmChunks.initialize(repeating: .float32(UnsafeBufferPointer(start: nil, count: 0)), count: depth)
    pending = Mutex(Array(repeating: false, count: depth))
    quantized = (0..<depth).map { _ in DispatchSemaphore(value: 0) }
    counts = .allocate(capacity: depth)
    counts.initialize(repeating: 0, count: depth)
    firstFrames = .allocate(capacity: depth)
    firstFrames.initialize(repeating: 0, count: depth)
  }

  deinit {
    stop()
    for slot in slots { for b in slot { b.deallocate() } }
    for buffer in pcm { buffer.deallocate() }
    pcmChunks.deinitialize(count: slots.count)
    pcmChunks.deallocate()
    counts.deallocate()
    firstFrames.deallocate()
  }

  /// The next slot's master buffer (`maxSamples` floats), for the source to render its next chunk into
  /// (`ChunkSource.output`): `submit` then hands it over without copying it. Waits for a free slot as `submit`
  /// would; the slot is this caller's until `submit` or `unreserve`. Throws the first sink error so far.
  func reserve() throws -> UnsafeMutablePointer<Float> {
    if !reserved {
      let waited = clock.now
      try waitForFreeSlot()
      profile?.add(.writerWait, clock.now - waited)
      reserved = true
    }
    return slots[next][0].baseAddress!
  }

  /// Gives back a slot `reserve` took that no chunk was submitted to (the render ended).
  func unreserve() {
    guard reserved else { return }
    reserved = false
    free.signal()
  }

  /// Waits until a slot is free, quantising queued chunks the writer has not reached meanwhile.
  ///
  /// When every slot is taken (the sinks are behind), the calling thread quantises queued chunks the writer
  /// has not reached instead of waiting idle: on two cores a server render's writer (quantise, encode, hash)
  /// was the bottleneck while the rendering thread and the lane worker both waited for it, one core idle
  /// (a server's render of W2's first 30 s: 19.15 → 17.60 ms, interleaved A/B of 200). A render whose writer
  /// keeps up (a file) never waits here, so nothing moves.
  private func waitForFreeSlot() throws {
    try throwIfFailed()
    while free.wait(timeout: .now()) == .timedOut {
      if !helpQuantize() {
        free.wait()
        break
      }
    }
  }

  /// Queues a chunk (interleaved, starting at absolute frame `firstFrame`, and each track's signal from
  /// `track` when tracks are wanted) for the sinks: taken as it is when it lies in the slot `reserve` gave,
  /// else copied into the next slot. Throws the first sink error so far.
  func submit(
    _ master: UnsafeBufferPointer<Float>, firstFrame: Int64, track: (Int) -> UnsafeBufferPointer<Float>
  ) throws {
    // Writer wait in the profile: waiting for a slot, and quantising for a writer that is behind.
    let waited = clock.now
    defer { profile?.add(.writerWait, clock.now - waited) }
    if reserved {
      // (Still reserved if this throws: `unreserve` gives the slot back, as the semaphore must end full.)
      try throwIfFailed()
      reserved = false
    } else {
      try waitForFreeSlot()
    }
    let index = next
    let slot = slots[index]
    next = (next + 1) % slots.count
    precondition(master.count <= slot[0].count, "a chunk larger than the pipeline's slots")
    let base = slot[0].baseAddress!
    if let source = master.baseAddress, source != base {
      // Not rendered into the slot, or starting inside it (an effect's latency dropped its first frames):
      // copied, with memmove's semantics (the two may overlap).
      UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: master.count * MemoryLayout<Float>.stride)
    }
    for t in 0..<(slot.count - 1) { _ = slot[t + 1].initialize(fromContentsOf: track(t)) }
    counts[index] = master.count
    firstFrames[index] = firstFrame
    // A writer still to start an earlier chunk is behind: this one is quantised here (the writer reaches it
    // last, so it never waits for it).
    let behind = pending.withLock { pending in
      let behind = pending.contains(true)
      pending[index] = !behind
      return behind
    }
    if behind { quantizeForWriter(index) }
    if !started {
      started = true
      queue.async { [self] in write() }
    }
    ready.signal()
  }

  /// Quantises the queued chunk the writer has not started (submitting thread); false if there is none.
  private func helpQuantize() -> Bool {
    let index = pending.withLock { pending -> Int? in
      guard let index = pending.firstIndex(of: true) else { return nil }
      pending[index] = false
      return index
    }
    guard let index else { return false }
    quantizeForWriter(index)
    return true
  }

  /// Quantises slot `index`, claimed from the writer (submitting thread), and tells the writer it is ready.
  private func quantizeForWriter(_ index: Int) {
    quantize(index)
    quantizedBySubmitter += 1
    quantized[index].signal()
  }

  /// Quantises slot `index` into its PCM buffer.
  private func quantize(_ index: Int) {
    let started = clock.now
    pcmChunks[index] = quantizer.quantize(
      UnsafeBufferPointer(rebasing: slots[index][0][0..<counts[index]]), firstFrame: firstFrames[index],
      into: pcm[index])
    profile?.add(.quantize, clock.now - started)
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
      // Quantised here, unless the submitting thread took it: then wait for it to finish (always, so each of
      // its signals is consumed by the chunk it was for).
      let mine = pending.withLock { pending in
        defer { pending[index] = false }
        return pending[index]
      }
      if !mine { quantized[index].wait() }
      if firstError.withLock({ $0 == nil }) {
        let slot = slots[index]
        let samples = UnsafeBufferPointer(rebasing: slot[0][0..<count])
        trackSamples.removeAll(keepingCapacity: true)
        for t in 1..<slot.count { trackSamples.append(UnsafeBufferPointer(rebasing: slot[t][0..<count])) }
        if mine { quantize(index) }
        do {
          let chunk = RenderChunk(
            firstFrame: firstFrame, frames: count / 2, master: samples, pcm: pcmChunks[index], tracks: trackSamples)
          let written = clock.now
          for sink in sinks { try sink.write(chunk) }
          profile?.add(.encode, clock.now - written)
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
    unreserve()
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
