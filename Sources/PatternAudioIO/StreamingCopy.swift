import CStreamCopy

/// Copies bytes into memory that a device will read next, without first reading it into the cache.
///
/// Why: `DirectFile` fills its 2 MB buffers and hands them to `O_DIRECT` writes; a buffer is refilled right after
/// the disk has read it, and ordinary stores then fetched every one of its cache lines for ownership first. On
/// the CI machine's VM that made the copy ~8× slower (68 MB in 2 MB buffers: 22–29 ms against 3 ms streamed;
/// the second copy into the same buffer took 2 ms either way), and the copy runs on the rendering thread when
/// it helps the writer. Non-temporal stores (`pstudio_stream_copy`: SSE2 on x86-64, `memcpy` elsewhere) write
/// the lines without reading them. The bytes are those `memcpy` would write.
enum StreamingCopy {
  /// Copies `count` bytes from `source` to `target` (the ranges must not overlap) and fences, so another thread
  /// or a device sees them once this returns.
  @inline(__always)
  static func copy(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
    pstudio_stream_copy(target, source, count)
  }
}
