import Glibc
import NIOCore

/// A worker's reply bytes (a render's file) handed over through a memory file both processes hold, instead of
/// through the pipe: the worker encodes the file straight into its mapping of it while it renders, and the
/// server reads it into the response's buffer in one call.
///
/// Through the 1 MiB pipe, a 5.8 MB WAV took 1.7–2.8 ms after the render (six buffer-fulls, a wake-up and a
/// pipe page allocated and freed per megabyte, two copies); writing it into the file after the render took
/// 1.3 ms and reading it 1.2, so the worker now writes nothing after the render. For each worker it starts, the
/// server creates the file (`memfd_create`), sizes it to `maxBytes`, seals its size, and passes its descriptor
/// number; the worker opens it as `/proc/<server>/fd/<n>`, checks that it is that sealed file (so a wrong number
/// can never make it write into another file) and maps it. Where that cannot be done (no `memfd_create`, a
/// `/proc` the worker may not read, a file larger than `maxBytes`) the pipe carries the bytes as before: a reply
/// says which.
final class SharedReply: @unchecked Sendable {
  /// The largest reply handed over this way, bytes: the worker's mapping (of its address-space limit, which
  /// is at least 256 MiB). Larger files (long renders) go through the pipe. Pages are allocated as a reply first
  /// writes them and stay for the next, so the file holds as much memory as the largest reply that fitted.
  static let maxBytes = 64 << 20

  /// The memory file (this process's descriptor).
  let fd: Int32
  /// The worker's mapping of the whole file (nil on the server's side).
  let region: UnsafeMutableRawBufferPointer?

  /// fcntl's F_ADD_SEALS and F_GET_SEALS, and the seals on the size (F_SEAL_SHRINK | F_SEAL_GROW): not in
  /// Glibc's Swift module map.
  private static let (addSeals, getSeals, sizeSeals): (Int32, Int32, Int32) = (1033, 1034, 2 | 4)

  private init(fd: Int32, region: UnsafeMutableRawBufferPointer?) {
    self.fd = fd
    self.region = region
  }

  deinit {
    if let region { munmap(region.baseAddress, region.count) }
    close(fd)
  }

  /// A new memory file of `maxBytes` whose size cannot change (the server's side), or nil where the system has
  /// none.
  static func create() -> SharedReply? {
    typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    // Not in Glibc's Swift module map (it needs _GNU_SOURCE): looked up in the C library instead.
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else { return nil }
    let memfdCreate = unsafeBitCast(symbol, to: MemfdCreate.self)
    // MFD_CLOEXEC (1): no other child of the server inherits it. MFD_ALLOW_SEALING (2).
    let fd = memfdCreate("pstudio-worker-reply", 1 | 2)
    guard fd >= 0 else { return nil }
    // Sized once (pages are allocated only as they are written) and sealed: nothing can shrink it under the
    // worker's mapping (a SIGBUS), and the worker can tell it from any other file.
    guard ftruncate(fd, off_t(maxBytes)) == 0, fcntl(fd, addSeals, sizeSeals) == 0 else {
      close(fd)
      return nil
    }
    return SharedReply(fd: fd, region: nil)
  }

  /// The server's memory file `fd` (the worker's side), opened through the parent's `/proc` entry and mapped,
  /// if it is the sealed `maxBytes` file `create()` makes; nil otherwise (the worker then answers through the
  /// pipe, and says why on standard error).
  static func open(serverDescriptor fd: Int32) -> SharedReply? {
    guard fd >= 0 else { return nil }
    let own = Glibc.open("/proc/\(getppid())/fd/\(fd)", O_RDWR | O_CLOEXEC)
    guard own >= 0 else {
      note("cannot open the server's reply file (\(String(cString: strerror(errno))))")
      return nil
    }
    // (Its size from `lseek`: mappings use offsets, not the position, so moving it changes nothing.)
    guard fcntl(own, getSeals) & sizeSeals == sizeSeals, lseek(own, 0, SEEK_END) == off_t(maxBytes) else {
      close(own)
      note("descriptor \(fd) of the server is not its sealed reply file")
      return nil
    }
    guard let base = mmap(nil, maxBytes, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0), base != MAP_FAILED else {
      note("cannot map the server's reply file (\(String(cString: strerror(errno))))")
      close(own)
      return nil
    }
    return SharedReply(fd: own, region: UnsafeMutableRawBufferPointer(start: base, count: maxBytes))
  }

  /// The file's first `count` bytes (the server's side), read straight into a buffer for the response.
  func load(count: Int) throws -> ByteBuffer {
    // A worker's claim is checked like any input from it: a bad count is its failure, not the server's.
    guard (0...Self.maxBytes).contains(count) else { throw WorkerFrames.Malformed() }
    var buffer = ByteBufferAllocator().buffer(capacity: count)
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
      var done = 0
      while done < count {
        let n = pread(fd, raw.baseAddress! + done, count - done, off_t(done))
        if n < 0 && errno == EINTR { continue }
        // The file is `maxBytes` long: fewer bytes means something else is wrong with it.
        guard n > 0 else { throw WorkerFrames.Malformed() }
        done += n
      }
      return count
    }
    return buffer
  }

  private static func note(_ why: String) {
    let line = "pstudio worker: replies go through the pipe: \(why)\n"
    _ = line.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
  }
}
