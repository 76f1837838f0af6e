import Foundation
import Glibc
import NIOCore

/// The worker protocol's framing over pipes: a frame is a little-endian `UInt32` header length, the header
/// (JSON), a little-endian `UInt64` payload length and the payload. Blocking reads and writes of whole frames.
enum WorkerFrames {
  /// The largest header accepted, bytes (a parse result of a 1 MiB song with every diagnostic fits).
  static let maxHeader = 64 << 20
  /// The largest payload accepted, bytes (a render's encoded file).
  static let maxPayload = 1 << 34

  struct Closed: Error {}
  struct Malformed: Error {}

  static func write(_ fd: Int32, header: some Encodable, payload: [UInt8] = []) throws {
    let json = try JSONEncoder().encode(header)
    var head = [UInt8]()
    head.reserveCapacity(12 + json.count)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { head += $0 }
    head += json
    withUnsafeBytes(of: UInt64(payload.count).littleEndian) { head += $0 }
    // The payload (a render's file, megabytes) goes from its own array: no copy into a frame.
    try head.withUnsafeBytes { try writeAll(fd, $0) }
    try payload.withUnsafeBytes { try writeAll(fd, $0) }
  }

  /// The pipe's buffer, raised to `bytes` (Linux caps it at /proc/sys/fs/pipe-max-size, 1 MiB by default):
  /// a 6 MB render then crosses in a few reads and context switches instead of ~90 (64 KiB is the default).
  /// Best effort: the pipe works either way.
  static func enlarge(pipe fd: Int32, to bytes: Int = 1 << 20) {
    // F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7): not exported by Glibc's module map.
    _ = fcntl(fd, 1031, Int32(bytes))
  }

  /// The next frame, or nil at a clean end of input. `wait` is called while no data has arrived yet and may
  /// throw to give up (a deadline, a cancelled request).
  static func read<T: Decodable>(
    _ fd: Int32, as type: T.Type, maxPayload: Int = maxPayload, wait: () throws -> Void = {}
  ) throws -> (T, ByteBuffer)? {
    guard let headerLength = try readExactly(fd, 4, wait: wait, eofIsEnd: true) else { return nil }
    let n = Int(headerLength.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian)
    guard n <= maxHeader else { throw Malformed() }
    guard let header = try readExactly(fd, n, wait: wait), let size = try readExactly(fd, 8, wait: wait) else {
      throw Closed()
    }
    let m = Int(size.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
    guard m <= maxPayload else { throw Closed() }
    // Read straight into the buffer the HTTP response sends: no zero-filled array, no second copy.
    var payload = ByteBufferAllocator().buffer(capacity: m)
    try payload.writeWithUnsafeMutableBytes(minimumWritableBytes: m) { raw in
      try readExactly(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<m]), wait: wait)
      return m
    }
    return (try JSONDecoder().decode(T.self, from: Data(header)), payload)
  }

  private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw Closed()
      }
      done += n
    }
  }

  /// `count` bytes; nil when the input ends before the first byte and `eofIsEnd`. Polls every 50 ms so
  /// `wait` can give up while the other side is still working.
  private static func readExactly(
    _ fd: Int32, _ count: Int, wait: () throws -> Void, eofIsEnd: Bool = false
  ) throws -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: count)
    let complete = try out.withUnsafeMutableBytes { try readExactly(fd, into: $0, wait: wait, eofIsEnd: eofIsEnd) }
    return complete ? out : nil
  }

  /// Fills `out`; false when the input ends before the first byte and `eofIsEnd`.
  @discardableResult
  private static func readExactly(
    _ fd: Int32, into out: UnsafeMutableRawBufferPointer, wait: () throws -> Void, eofIsEnd: Bool = false
  ) throws -> Bool {
    let count = out.count
    var done = 0
    while done < count {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, 50)
      if ready == 0 {
        try wait()
        continue
      }
      if ready < 0 {
        if errno == EINTR { continue }
        throw Closed()
      }
      let n = Glibc.read(fd, out.baseAddress! + done, count - done)
      if n == 0 {
        if done == 0 && eofIsEnd { return false }
        throw Closed()
      }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        throw Closed()
      }
      done += n
    }
    return true
  }
}
