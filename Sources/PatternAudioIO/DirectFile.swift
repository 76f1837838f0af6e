import CSndFile
import Glibc

/// libsndfile's "file" for `AudioFileWriter` on file systems that take `O_DIRECT`: the bytes go to disk
/// without passing through the page cache.
///
/// Writing a render's file through the page cache cost more CPU than encoding it (a 69 MB float WAV: ~20 ms
/// of kernel time copying pages, allocating their buffer heads and starting their writeback), on the core
/// the render needs, and the cached pages then had to be freed again when the file was next replaced. Here
/// the appended bytes collect in an aligned buffer that goes to disk in whole blocks with `pwrite`; the few
/// writes libsndfile makes behind what is already on disk (the header, patched when the file is closed) go
/// through an ordinary descriptor of the same file, as do reads. `finish()` writes the last partial block
/// padded and truncates the file to its length. Durability still comes from the caller's `fsync`.
///
/// If the file system refuses a direct write (`EINVAL`), the rest goes through the ordinary descriptor:
/// the same bytes, only slower.
final class DirectFile {
  /// `O_DIRECT`, which Swift's Glibc module leaves out (glibc defines it only under `_GNU_SOURCE`); its value
  /// differs between architectures.
  #if arch(x86_64) || arch(i386)
    static let openFlag: Int32 = 0o40000
  #elseif arch(arm64) || arch(arm)
    static let openFlag: Int32 = 0o200000
  #else
    static let openFlag: Int32 = 0o40000
  #endif

  /// Alignment of direct writes: offsets, lengths and the buffer (the largest logical block size in use).
  static let alignment = 4096
  /// Bytes per direct write.
  static let capacity = 2 << 20

  /// Opened with `O_DIRECT`; owned by the caller.
  private let direct: Int32
  /// The same file without `O_DIRECT`; owned by the caller.
  private let buffered: Int32
  private let buffer: UnsafeMutableRawPointer
  /// Bytes `[flushed, flushed + pending)` are in `buffer`; everything before `flushed` is in the file.
  private var flushed = 0
  private var pending = 0
  private var position = 0
  /// The file's length: the end of the furthest write.
  private var length = 0
  /// Direct writes were refused: everything goes through `buffered`.
  private var refused = false
  /// The first failure's `errno` (reported by `finish` and by the write callback's short count).
  private(set) var failure: Int32?

  /// - Parameter refused: Start as if the file system had refused direct writes (tests of that path).
  init(direct: Int32, buffered: Int32, refused: Bool = false) {
    self.direct = direct
    self.buffered = buffered
    self.refused = refused
    buffer = .allocate(byteCount: DirectFile.capacity, alignment: DirectFile.alignment)
  }

  deinit { buffer.deallocate() }

  /// Writes what is still buffered and gives the file its exact length.
  func finish() -> Int32? {
    if pending > 0 && failure == nil {
      let padded = (pending + DirectFile.alignment - 1) & ~(DirectFile.alignment - 1)
      (buffer + pending).initializeMemory(as: UInt8.self, repeating: 0, count: padded - pending)
      flush(count: padded)
    }
    if failure == nil && ftruncate(buffered, off_t(length)) != 0 { failure = errno }
    return failure
  }

  private func write(_ source: UnsafeRawPointer, count: Int) -> Int {
    var source = source
    var remaining = count
    // Behind the buffer (a header patched on close): the ordinary descriptor.
    if position < flushed {
      let n = min(remaining, flushed - position)
      guard writeAll(buffered, source, n, at: position) else { return 0 }
      source += n
      remaining -= n
      position += n
    }
    while remaining > 0 && failure == nil {
      let offset = position - flushed
      if offset > pending {
        // A seek past the end: the gap reads as zeros.
        (buffer + pending).initializeMemory(as: UInt8.self, repeating: 0, count: offset - pending)
        pending = offset
      }
      let n = min(remaining, DirectFile.capacity - offset)
      (buffer + offset).copyMemory(from: source, byteCount: n)
      pending = max(pending, offset + n)
      source += n
      remaining -= n
      position += n
      if pending == DirectFile.capacity { flush(count: pending) }
    }
    length = max(length, position)
    return failure == nil ? count : 0
  }

  /// Writes the first `count` bytes of the buffer (a multiple of the alignment, or the padded tail) at
  /// `flushed`, then keeps what follows them.
  private func flush(count: Int) {
    let done: Bool
    if !refused {
      let n = pwrite(direct, buffer, count, off_t(flushed))
      if n == count {
        done = true
      } else if n < 0 && errno == EINVAL {
        refused = true
        done = writeAll(buffered, buffer, count, at: flushed)
      } else {
        if n >= 0 { errno = EIO }
        done = false
      }
    } else {
      done = writeAll(buffered, buffer, count, at: flushed)
    }
    guard done else {
      if failure == nil { failure = errno }
      return
    }
    let kept = max(0, pending - count)
    if kept > 0 { buffer.copyMemory(from: buffer + count, byteCount: kept) }
    flushed += count
    pending = kept
  }

  private func writeAll(_ fd: Int32, _ source: UnsafeRawPointer, _ count: Int, at offset: Int) -> Bool {
    var done = 0
    while done < count {
      let n = pwrite(fd, source + done, count - done, off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        if failure == nil { failure = n == 0 ? EIO : errno }
        return false
      }
      done += n
    }
    return true
  }

  private func read(_ target: UnsafeMutableRawPointer, count: Int) -> Int {
    var done = 0
    let end = min(position + count, length)
    while position < end {
      if position < flushed {
        let n = pread(buffered, target + done, min(end, flushed) - position, off_t(position))
        guard n > 0 else { break }
        done += n
        position += n
      } else {
        let n = min(end, flushed + pending) - position
        guard n > 0 else { break }
        (target + done).copyMemory(from: buffer + (position - flushed), byteCount: n)
        done += n
        position += n
      }
    }
    return done
  }

  private static func from(_ user: UnsafeMutableRawPointer?) -> DirectFile {
    Unmanaged<DirectFile>.fromOpaque(user!).takeUnretainedValue()
  }

  /// The C callbacks (no captures: the file travels in `user_data`).
  static var callbacks: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in sf_count_t(DirectFile.from(user).length) },
      seek: { offset, whence, user in
        let file = DirectFile.from(user)
        let base: Int
        switch whence {
        case SEEK_CUR: base = file.position
        case SEEK_END: base = file.length
        default: base = 0
        }
        file.position = max(0, base + Int(offset))
        return sf_count_t(file.position)
      },
      read: { pointer, count, user in
        guard let pointer, count > 0 else { return 0 }
        return sf_count_t(DirectFile.from(user).read(pointer, count: Int(count)))
      },
      write: { pointer, count, user in
        guard let pointer, count > 0 else { return 0 }
        return sf_count_t(DirectFile.from(user).write(pointer, count: Int(count)))
      },
      tell: { user in sf_count_t(DirectFile.from(user).position) })
  }
}
