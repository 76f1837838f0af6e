import Glibc

/// libsndfile's "file" for `AudioFileWriter` on file systems that take `O_DIRECT`: the bytes go to disk
/// without passing through the page cache.
///
/// Writing a render's file through the page cache cost more CPU than encoding it (a 69 MB float WAV: ~20 ms
/// of kernel time copying pages, allocating their buffer heads and starting their writeback), on the core
/// the render needs, and the cached pages then had to be freed again when the file was next replaced. Here
/// the appended bytes collect in aligned buffers that `DirectWriteQueue` writes in whole blocks; the few
/// writes libsndfile makes behind what is already on disk (the header, patched when the file is closed) go
/// through an ordinary descriptor of the same file, as do reads. `finish()` writes the last partial block
/// padded and truncates the file to its length. Durability still comes from the caller's `fsync`.
///
/// If the file system refuses a direct write (`EINVAL`), the rest goes through the ordinary descriptor:
/// the same bytes, only slower.
final class DirectFile: VirtualFile {
  /// `O_DIRECT`, which Swift's Glibc module leaves out (glibc defines it only under `_GNU_SOURCE`); its value
  /// differs between architectures.
  #if arch(x86_64) || arch(i386)
    static let openFlag: Int32 = 0o40000
  #elseif arch(arm64) || arch(arm)
    static let openFlag: Int32 = 0o200000
  #else
    static let openFlag: Int32 = 0o40000
  #endif

  /// Alignment of direct writes: offsets, lengths and buffers (the largest logical block size in use).
  static let alignment = 4096
  /// Bytes per direct write.
  static let capacity = 2 << 20

  private let queue: DirectWriteQueue
  /// The buffer being filled: bytes `[flushed, flushed + pending)` of the file; everything before `flushed`
  /// is written or being written.
  private var current: Int
  private var flushed = 0
  private var pending = 0
  var position = 0
  /// The file's length: the end of the furthest write.
  private(set) var length = 0

  /// - Parameters:
  ///   - direct: The file opened with `O_DIRECT`; `buffered`: the same file without it (both owned by the caller).
  ///   - refused: Start as if the file system had refused direct writes (tests of that path).
  init(direct: Int32, buffered: Int32, refused: Bool = false) {
    queue = DirectWriteQueue(
      direct: direct, buffered: buffered, capacity: DirectFile.capacity, alignment: DirectFile.alignment,
      refused: refused)
    current = queue.acquire()
  }

  /// Writes what is still buffered, waits for every write and gives the file its exact length; returns the
  /// first failure's `errno`.
  func finish() -> Int32? {
    if pending > 0 && queue.failure == nil {
      let padded = (pending + DirectFile.alignment - 1) & ~(DirectFile.alignment - 1)
      (queue.pointer(current) + pending).initializeMemory(as: UInt8.self, repeating: 0, count: padded - pending)
      queue.submit(current, offset: flushed, count: padded)
    }
    stop()
    if let failure = queue.failure { return failure }
    return ftruncate(buffered, off_t(length)) == 0 ? nil : errno
  }

  private var buffered: Int32 { queue.buffered }

  /// Waits for the writes in flight and stops the writers (before the descriptors close: a write must never
  /// reach a descriptor number reused by another file).
  func stop() { queue.stop() }

  func write(_ source: UnsafeRawPointer, count: Int) -> Int {
    var source = source
    var remaining = count
    // Behind the buffer (a header patched on close): the ordinary descriptor, once the writes there are done.
    if position < flushed {
      let n = min(remaining, flushed - position)
      queue.drain()
      guard queue.writeBuffered(source, n, at: position) else { return 0 }
      source += n
      remaining -= n
      position += n
    }
    while remaining > 0 {
      let offset = position - flushed
      let buffer = queue.pointer(current)
      if offset > pending {
        // A seek past the end: the gap reads as zeros.
        (buffer + pending).initializeMemory(as: UInt8.self, repeating: 0, count: offset - pending)
        pending = offset
      }
      let n = min(remaining, DirectFile.capacity - offset)
      // Streamed: the buffer was last read by the disk (`StreamingCopy`).
      StreamingCopy.copy(to: buffer + offset, from: source, count: n)
      pending = max(pending, offset + n)
      source += n
      remaining -= n
      position += n
      if pending == DirectFile.capacity {
        queue.submit(current, offset: flushed, count: pending)
        flushed += pending
        pending = 0
        current = queue.acquire()
      }
    }
    length = max(length, position)
    return queue.failure == nil ? count : 0
  }

  func read(into target: UnsafeMutableRawPointer, count: Int) -> Int {
    var done = 0
    let end = min(position + count, length)
    while position < end {
      if position < flushed {
        queue.drain()
        let n = pread(buffered, target + done, min(end, flushed) - position, off_t(position))
        guard n > 0 else { break }
        done += n
        position += n
      } else {
        let n = min(end, flushed + pending) - position
        guard n > 0 else { break }
        (target + done).copyMemory(from: queue.pointer(current) + (position - flushed), byteCount: n)
        done += n
        position += n
      }
    }
    return done
  }
}
