import Synchronization

#if canImport(Glibc)
  import Glibc

  /// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not import).
  @_silgen_name("mallopt") private func mallopt(_ option: Int32, _ value: Int32) -> Int32
#endif

/// Room made ahead in the main thread's malloc arena for compiling a large song, backed by transparent huge pages.
///
/// Why: the front end of a large song allocates its tree, nodes and events in many small blocks, so the arena grows
/// a page at a time, and every new page is a fault. Measured on W2 (3,960 notes, 291 KB; 30 runs of `pstudio check`
/// on the CI-class VM): 2,122 page faults and 18.0 ms without, 886 and 14.2 ms with. A reserve allocated, advised
/// `MADV_HUGEPAGE` and freed again stays in the arena as its free top: later blocks are carved from it without a
/// system call, and fault in 2 MB at a time.
///
/// Only for processes that enable it (`pstudio`'s one-shot commands): the first reserve also sets glibc's thresholds
/// process-wide — blocks up to 32 MB come from the arena, not a mapping of their own each, and freed room is kept,
/// not trimmed — which suits a process that renders and exits, not a server. Untouched room costs no memory.
public enum HeapReserve {
  /// Sources this large (bytes) or larger get a reserve.
  public static let minimumSourceBytes = 64 * 1024
  /// Room per byte of source: the front end's peak (W2: ~8 MB for 291 KB, most of it freed within the compile).
  static let bytesPerSourceByte = 24
  /// The most one reserve takes, in bytes: glibc serves larger blocks by `mmap`, outside the arena.
  static let maximumBytes = 31 << 20

  /// Whether reserves are made (`enable()`; tests turn it off again).
  static let enabled = Atomic<Bool>(false)

  /// Lets `reserve(forSource:)` work in this process (off by default).
  public static func enable() { enabled.store(true, ordering: .relaxed) }

  private static let thresholds: Void = {
    #if canImport(Glibc)
      _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD: also stops glibc moving it after each large free
      _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD: keep freed room
      _ = mallopt(-2, 16 << 20)  // M_TOP_PAD: grow the main arena 16 MB at a time
    #endif
  }()

  /// The source size of the last reserve on the main thread, for the threads that share its work.
  private static let sourceBytes = Atomic<Int>(0)
  #if canImport(Glibc)
    /// Bytes reserved on each thread so far (a thread-specific value, zero until the first reserve).
    private static let reservedKey: pthread_key_t = {
      var key = pthread_key_t()
      pthread_key_create(&key, nil)
      return key
    }()
  #endif

  /// Makes room for compiling a source of `bytes` bytes at the top of the calling thread's arena, advised as huge
  /// pages, when enabled and the source is at least `minimumSourceBytes`.
  /// - Returns: Whether room was made (not when as much was made on this thread already).
  @discardableResult
  static func reserve(forSource bytes: Int) -> Bool {
    guard bytes >= minimumSourceBytes, enabled.load(ordering: .relaxed) else { return false }
    sourceBytes.store(bytes, ordering: .relaxed)
    return reserve(bytes * bytesPerSourceByte)
  }

  /// On a thread that takes a share of the front end's work (a part, a run of statements): room for its share of
  /// the source last reserved for, once per thread and size.
  @discardableResult
  static func reserveShare() -> Bool {
    let bytes = sourceBytes.load(ordering: .relaxed)
    guard bytes >= minimumSourceBytes, enabled.load(ordering: .relaxed) else { return false }
    return reserve(bytes * bytesPerSourceByte / FrontEndParts.cores)
  }

  /// `wanted` bytes (at most `maximumBytes`) of room on this thread, unless as much was made here already.
  private static func reserve(_ wanted: Int) -> Bool {
    #if canImport(Glibc)
      _ = thresholds
      let size = min(wanted, maximumBytes)
      let done = Int(bitPattern: pthread_getspecific(reservedKey))
      guard size > done else { return false }
      pthread_setspecific(reservedKey, UnsafeRawPointer(bitPattern: size))
      let huge = 2 << 20
      guard let block = malloc(size) else { return false }
      let start = (Int(bitPattern: block) + huge - 1) & ~(huge - 1)
      let end = (Int(bitPattern: block) + size) & ~(huge - 1)
      if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(aligned, end - start, Int32(MADV_HUGEPAGE))
      }
      free(block)
      return true
    #else
      return false
    #endif
  }
}
