#if canImport(Glibc)
  import Glibc
#endif

/// glibc's `mallopt`, looked up in the C library (it is not in Glibc's Swift module map), for the processes that
/// fix the allocator's thresholds: `pstudio`'s one-shot commands (`HeapReserve`) and the server's workers.
package enum MallocOptions {
  /// `M_TRIM_THRESHOLD`: free room at an arena's top kept up to this many bytes.
  package static let trimThreshold: Int32 = -1
  /// `M_TOP_PAD`: bytes the main arena grows by beyond each request.
  package static let topPad: Int32 = -2
  /// `M_MMAP_THRESHOLD`: blocks this large or larger get a mapping of their own (fixing it also stops glibc raising
  /// it after each large free).
  package static let mmapThreshold: Int32 = -3

  /// Sets one option; false when it could not (not glibc, or a value glibc refuses). Call it before other threads
  /// allocate: glibc documents `mallopt` as unsafe to run alongside them.
  @discardableResult
  package static func set(_ option: Int32, _ value: Int32) -> Bool {
    #if canImport(Glibc)
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
      return unsafeBitCast(symbol, to: Mallopt.self)(option, value) == 1
    #else
      return false
    #endif
  }
}
