import Dispatch
import PatternAudioIO
import Synchronization

/// Writes PCM chunks to an `AudioFileWriter` on a serial queue, so encoding and disk I/O overlap with
/// rendering the next chunk. At most `depth` chunks are in flight; their buffers are allocated once.
///
/// The writer is touched only on the queue until `drain()` returns (a `sync` on the queue), which orders
/// every write before the caller's `finish()` or `cancel()`.
final class BackgroundWriter: @unchecked Sendable {
  private enum Kind { case int16, int24, float32 }

  private let writer: AudioFileWriter
  private let queue = DispatchQueue(label: "patternstudio.writer")
  private let free: DispatchSemaphore
  private let buffers: [UnsafeMutableRawBufferPointer]
  private var next = 0
  private let firstError = Mutex<String?>(nil)

  /// - Parameters:
  ///   - capacityBytes: Largest chunk, in bytes.
  ///   - depth: Chunks that may wait for the disk at once.
  init(writer: AudioFileWriter, capacityBytes: Int, depth: Int = 4) {
    self.writer = writer
    free = DispatchSemaphore(value: depth)
    buffers = (0..<depth).map { _ in .allocate(byteCount: capacityBytes, alignment: 16) }
  }

  deinit {
    queue.sync {}
    for b in buffers { b.deallocate() }
  }

  /// Copies `chunk` and queues it for writing. Throws the first write error that has happened so far.
  func submit(_ chunk: PCMChunk) throws {
    try throwIfFailed()
    free.wait()
    let index = next
    let buffer = buffers[index]
    next = (next + 1) % buffers.count
    let kind: Kind
    let count: Int
    switch chunk {
    case .int16(let b):
      (kind, count) = (.int16, b.count)
      buffer.copyMemory(from: UnsafeRawBufferPointer(b))
    case .int24(let b):
      (kind, count) = (.int24, b.count)
      buffer.copyMemory(from: UnsafeRawBufferPointer(b))
    case .float32(let b):
      (kind, count) = (.float32, b.count)
      buffer.copyMemory(from: UnsafeRawBufferPointer(b))
    }
    queue.async { [self] in
      let buffer = buffers[index]
      defer { free.signal() }
      guard firstError.withLock({ $0 == nil }) else { return }
      do {
        switch kind {
        case .int16:
          try writer.write(
            UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: Int16.self), count: count))
        case .int24:
          try writer.write(
            UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: Int32.self), count: count))
        case .float32:
          try writer.write(
            UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: Float.self), count: count))
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
