import Glibc
import NIOCore

/// A worker's reply bytes (a render's file) handed over through a memory file both processes hold, instead of
/// through the pipe: the worker encodes the file straight into its mapping of it while it renders, and the
/// server reads it into the response's buffer in one call.
///
/// Through the 1 MiB pipe, a 5.8 MB WAV took 1.7–2.8 ms after the render (six buffer-fulls, a wake-up and a
/// pipe page allocated and freed per megabyte, two copies); writing it into the file after the render took
/// 1.3 ms and reading it 1.2, so the worker now writes nothing after the render. The server creates the file
/// (`memfd_create`) for each worker it starts and passes its descriptor number; the worker opens it as
/// `/proc/<server>/fd/<n>` and maps it. Where that cannot be done (no `memfd_create`, a `/proc` the worker may
/// not read, a file larger than `maxBytes`) the pipe carries the bytes as before: a reply says which.
final class SharedReply: @unchecked Sendable {
  /// The largest reply handed over this way, bytes: the worker's mapping (of its address-space limit, which
  /// is at least 256 MiB). Larger files (long renders) go through the pipe, so an idle worker never holds more
  /// than this much memory for its replies.
  static let maxBytes = 64 << 20

  /// The memory file (this process's descriptor).
  let fd: Int32
  /// The worker's mapping of the whole file (nil on the server's side).
  let region: UnsafeMutableRawBufferPointer?

  private init(fd: Int32, region: UnsafeMutableRawBufferPointer?) {
    self.fd = fd
    self.region = region
  }

  deinit {
    if let region { munmap(region.baseAddress, region.count) }
    close(fd)
  }

  /// A new, empty memory file (the server's side), or nil where the system has none.
  static func create() -> SharedReply? {
    typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    // Not in Glibc's Swift module map (it needs _GNU_SOURCE): looked up in the C library instead.
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else { return nil }
    let memfdCreate = unsafeBitCast(symbol, to: MemfdCreate.self)
    // MFD_CLOEXEC (1): no other child of the server inherits it.
    let fd = memfdCreate("pstudio-worker-reply", 1)
    return fd >= 0 ? SharedReply(fd: fd, region: nil) : nil
  }

  /// The server's memory file `fd` (the worker's side), opened through the parent's `/proc` entry, sized to
  /// `maxBytes` (pages are allocated only as they are written, and stay for the next reply) and mapped; nil
  /// when any of that fails (the worker then answers through the pipe).
  static func open(serverDescriptor fd: Int32) -> SharedReply? {
    guard fd >= 0 else { return nil }
    let own = Glibc.open("/proc/\(getppid())/fd/\(fd)", O_RDWR | O_CLOEXEC)
    guard own >= 0 else { return nil }
    guard ftruncate(own, off_t(maxBytes)) == 0,
      let base = mmap(nil, maxBytes, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0), base != MAP_FAILED
    else {
      close(own)
      return nil
    }
    return SharedReply(fd: own, region: UnsafeMutableRawBufferPointer(start: base, count: maxBytes))
  }

  /// The file's first `count` bytes (the server's side), read straight into a buffer for the response.
  func load(count: Int) throws -> ByteBuffer {
    guard count <= Self.maxBytes else { throw WorkerFrames.Malformed() }
    var buffer = ByteBufferAllocator().buffer(capacity: count)
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
      var done = 0
      while done < count {
        let n = pread(fd, raw.baseAddress! + done, count - done, off_t(done))
        if n < 0 && errno == EINTR { continue }
        // The worker said it stored `count` bytes: fewer means the file is not what it claimed.
        guard n > 0 else { throw WorkerFrames.Malformed() }
        done += n
      }
      return count
    }
    return buffer
  }
}
