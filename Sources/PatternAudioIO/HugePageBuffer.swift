#if canImport(Glibc)
  import Glibc
#endif

/// Memory for a large, long-lived buffer on 2 MB boundaries, advised as transparent huge pages: its first write
/// faults it in 2 MB at a time rather than 4 KB at a time.
///
/// Why: a first write to fresh memory costs this VM ~1.35 µs per 4 KB page and ~0.17 ms per 2 MB page (a C
/// loop touching 4 MB: 1.4 ms against 0.35 ms), so a buffer filled once per render pays ~4× less. The writer's
/// four 2 MB direct-write buffers took a third of W2's sampled page faults (910 of 2,700 in one `perf record`);
/// with them on huge pages W2's render faulted 3,323 → 2,054 times (`perf stat`, 10 runs each). Where the
/// kernel gives no huge pages (THP `never`, or none free) the memory is the same, in 4 KB pages; under THP
/// `defrag=madvise` a first touch may compact memory first when it is fragmented.
enum HugePageBuffer {
  /// Bytes per huge page (x86-64 and arm64 with 4 KB pages).
  static let hugePage = 2 << 20

  /// `byteCount` bytes aligned to a huge page (and so to any smaller alignment), uninitialised; free with
  /// `deallocate`.
  static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: hugePage)
    #if canImport(Glibc)
      let whole = byteCount & ~(hugePage - 1)
      if whole > 0 { _ = madvise(memory, whole, Int32(MADV_HUGEPAGE)) }
    #endif
    return memory
  }
}
