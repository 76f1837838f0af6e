import Dispatch
import Glibc
import Synchronization

/// Aligned buffers for `DirectFile` and two threads that write them to disk, so the disk always has a write
/// to work on while the caller fills the next buffer.
///
/// A direct `pwrite` returns only when the disk has the bytes. Issued from the thread that also encodes,
/// the disk sat idle while a buffer filled and the encoder sat idle while it was written: a render's 69 MB
/// float WAV went at ~1.1 GB/s where this disk takes 2 GB/s. Two writers keep one write queued behind the
/// other. Buffers and jobs are fixed rings: nothing is allocated per write.
final class DirectWriteQueue: @unchecked Sendable {
  static let buffers = 4
  static let writers = 2

  let capacity: Int
  private let direct: Int32
  let buffered: Int32
  private let storage: UnsafeMutableRawPointer
  /// Buffers neither being filled nor written, and their count.
  private let freeList = Mutex<[Int]>([])
  private let freeCount: DispatchSemaphore
  /// Submitted writes, in order: buffer, file offset, bytes (buffer −1: a writer's stop mark).
  private let jobs = Mutex<(ring: [(buffer: Int, offset: Int, count: Int)], head: Int, tail: Int)>(
    (Array(repeating: (0, 0, 0), count: DirectWriteQueue.buffers + DirectWriteQueue.writers), 0, 0))
  private let ready = DispatchSemaphore(value: 0)
  private let inFlight = DispatchGroup()
  private let running = DispatchGroup()
  /// The file system refused a direct write: every later write goes through `buffered`.
  private let refused: Atomic<Bool>
  private let firstFailure = Mutex<Int32?>(nil)
  private var stopped = false

  /// - Parameters:
  ///   - direct: The file opened with `O_DIRECT`; `buffered`: the same file without it (both owned by the caller).
  ///   - refused: Start as if direct writes had been refused (tests of that path).
  init(direct: Int32, buffered: Int32, capacity: Int, alignment: Int, refused: Bool) {
    self.direct = direct
    self.buffered = buffered
    self.capacity = capacity
    self.refused = Atomic(refused)
    // On huge-page boundaries, so on `alignment` too.
    precondition(HugePageBuffer.hugePage % alignment == 0, "direct writes need an alignment that divides a huge page")
    storage = HugePageBuffer.allocate(byteCount: capacity * DirectWriteQueue.buffers)
    freeList.withLock { $0 = Array(0..<DirectWriteQueue.buffers) }
    // Created empty and signalled up: libdispatch traps when a semaphore is freed below its initial value,
    // which a buffer still held when the writer is dropped would cause.
    freeCount = DispatchSemaphore(value: 0)
    for _ in 0..<DirectWriteQueue.buffers { freeCount.signal() }
    for _ in 0..<DirectWriteQueue.writers {
      running.enter()
      DispatchQueue.global(qos: .userInitiated).async { [self] in
        defer { running.leave() }
        work()
      }
    }
  }

  deinit {
    stop()
    storage.deallocate()
  }

  /// The first write failure's `errno`, if any.
  var failure: Int32? { firstFailure.withLock { $0 } }

  func pointer(_ buffer: Int) -> UnsafeMutableRawPointer { storage + buffer * capacity }

  /// A free buffer to fill (waits while all are being written).
  func acquire() -> Int {
    freeCount.wait()
    return freeList.withLock { $0.removeLast() }
  }

  /// Writes the first `count` bytes of `buffer` at `offset`, then frees the buffer.
  func submit(_ buffer: Int, offset: Int, count: Int) {
    inFlight.enter()
    enqueue((buffer, offset, count))
  }

  /// Waits until every submitted write is done.
  func drain() { inFlight.wait() }

  /// Writes `count` bytes at `offset` through the ordinary descriptor (for the writes behind the buffers);
  /// false on failure.
  func writeBuffered(_ source: UnsafeRawPointer, _ count: Int, at offset: Int) -> Bool {
    var done = 0
    while done < count {
      let n = pwrite(buffered, source + done, count - done, off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        fail(n == 0 ? EIO : errno)
        return false
      }
      done += n
    }
    return true
  }

  /// Stops the writers after the writes already submitted (so it also waits for them); once only.
  func stop() {
    guard !stopped else { return }
    stopped = true
    for _ in 0..<DirectWriteQueue.writers { enqueue((-1, 0, 0)) }
    running.wait()
  }

  private func enqueue(_ job: (buffer: Int, offset: Int, count: Int)) {
    jobs.withLock { q in
      q.ring[q.tail] = job
      q.tail = (q.tail + 1) % q.ring.count
    }
    ready.signal()
  }

  private func work() {
    while true {
      ready.wait()
      let job = jobs.withLock { q in
        defer { q.head = (q.head + 1) % q.ring.count }
        return q.ring[q.head]
      }
      if job.buffer < 0 { return }
      if failure == nil { write(job) }
      freeList.withLock { $0.append(job.buffer) }
      freeCount.signal()
      inFlight.leave()
    }
  }

  private func write(_ job: (buffer: Int, offset: Int, count: Int)) {
    let source = pointer(job.buffer)
    if !refused.load(ordering: .relaxed) {
      let n = pwrite(direct, source, job.count, off_t(job.offset))
      if n == job.count { return }
      guard n < 0 && errno == EINVAL else {
        fail(n < 0 ? errno : EIO)
        return
      }
      refused.store(true, ordering: .relaxed)
    }
    _ = writeBuffered(source, job.count, at: job.offset)
  }

  private func fail(_ code: Int32) {
    firstFailure.withLock { if $0 == nil { $0 = code } }
  }
}
