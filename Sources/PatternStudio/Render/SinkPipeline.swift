import Dispatch
import PatternAudioIO
import Synchronization

/// Quantises master-stage chunks and hands them to every sink on a serial queue, so dithering, encoding,
/// hashing and disk I/O overlap with rendering the next chunk. At most `depth` chunks are in flight; their
/// buffers are allocated once, when the render starts (nothing per chunk).
///
/// The sinks and the quantiser are touched only on the queue until `drain()` returns (a `sync` on the queue),
/// which orders every write before the caller's `finish()` or `cancel()`.
final class SinkPipeline: @unchecked Sendable {
  private let sinks: [any RenderSink]
  private var quantizer: PCMQuantizer
  private let queue = DispatchQueue(label: "patternstudio.sinks")
  private let free: DispatchSemaphore
  /// Per slot: the master chunk, then one buffer per track when a sink wants tracks.
  private let slots: [[UnsafeMutableBufferPointer<Float>]]
  private var next = 0
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
  }

  deinit {
    queue.sync {}
    for slot in slots { for b in slot { b.deallocate() } }
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
    let count = master.count
    _ = slot[0].initialize(fromContentsOf: master)
    let trackCount = slot.count - 1
    for t in 0..<trackCount { _ = slot[t + 1].initialize(fromContentsOf: track(t)) }
    queue.async { [self] in
      defer { free.signal() }
      guard firstError.withLock({ $0 == nil }) else { return }
      let slot = slots[index]
      let samples = UnsafeBufferPointer(rebasing: slot[0][0..<count])
      // (An array per chunk only when a sink asked for tracks.)
      let trackSamples =
        trackCount == 0 ? [] : (0..<trackCount).map { UnsafeBufferPointer(rebasing: slot[$0 + 1][0..<count]) }
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
  }

  /// Waits until every queued chunk is with the sinks; throws the first sink error.
  func drain() throws {
    queue.sync {}
    try throwIfFailed()
  }

  private func throwIfFailed() throws {
    if let error = firstError.withLock({ $0 }) { throw error }
  }
}
