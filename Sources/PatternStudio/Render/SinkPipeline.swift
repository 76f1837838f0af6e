import Dispatch
import PatternAudioIO
import Synchronization

/// Quantises and writes master-stage chunks on a serial queue, so dithering, encoding and disk I/O overlap
/// with rendering the next chunk. At most `depth` chunks are in flight; their buffers are allocated once.
///
/// The writer and the quantiser are touched only on the queue until `drain()` returns (a `sync` on the
/// queue), which orders every write before the caller's `finish()` or `cancel()`.
final class BackgroundWriter: @unchecked Sendable {
  private let writer: AudioFileWriter
  private var quantizer: PCMQuantizer
  private let queue = DispatchQueue(label: "patternstudio.writer")
  private let free: DispatchSemaphore
  private let buffers: [UnsafeMutableBufferPointer<Float>]
  private var next = 0
  private let firstError = Mutex<String?>(nil)

  /// - Parameter depth: Chunks that may wait for the disk at once.
  init(writer: AudioFileWriter, quantizer: PCMQuantizer, depth: Int = 4) {
    self.writer = writer
    self.quantizer = quantizer
    free = DispatchSemaphore(value: depth)
    buffers = (0..<depth).map { _ in .allocate(capacity: quantizer.maxSamples) }
  }

  deinit {
    queue.sync {}
    for b in buffers { b.deallocate() }
  }

  /// Copies a float chunk (interleaved, starting at absolute frame `firstFrame`) and queues it for
  /// quantising and writing. Throws the first write error that has happened so far.
  func submit(_ samples: UnsafeBufferPointer<Float>, firstFrame: Int64) throws {
    try throwIfFailed()
    free.wait()
    let index = next
    next = (next + 1) % buffers.count
    let count = samples.count
    _ = buffers[index].initialize(fromContentsOf: samples)
    queue.async { [self] in
      defer { free.signal() }
      guard firstError.withLock({ $0 == nil }) else { return }
      let chunk = UnsafeBufferPointer(rebasing: buffers[index][0..<count])
      do {
        try quantizer.quantize(chunk, firstFrame: firstFrame) { pcm in
          switch pcm {
          case .int16(let b): try writer.write(b)
          case .int24(let b): try writer.write(b)
          case .float32(let b): try writer.write(b)
          }
        }
      } catch {
        firstError.withLock { $0 = "\(error)" }
      }
    }
  }

  /// Waits until every queued chunk is written; throws the first write error.
  func drain() throws {
    queue.sync {}
    try throwIfFailed()
  }

  private func throwIfFailed() throws {
    if let message = firstError.withLock({ $0 }) { throw RenderError.io(message) }
  }
}
