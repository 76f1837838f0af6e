import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Room made ahead in the malloc arenas of a large compile's threads, backed by transparent huge pages.
///
/// Why: the front end of a large song allocates its tree, nodes and events in many small blocks, so each thread's
/// arena grows a page at a time, every new page a fault (and, in a worker thread's arena, an `mprotect`). A first
/// write to fresh memory costs this VM ~0.4 ms per MB in 4 KB pages and ~0.1 ms in 2 MB pages. Measured on W2
/// (3,960 notes, 291 KB; `perf stat`, 30 runs of `pstudio check` each way): ~2,200 page faults and 19–22 ms
/// without, ~1,100 and 16–17 ms with. A reserve allocated, advised `MADV_HUGEPAGE` and freed again stays in the
/// arena as its free top: later blocks are carved from it without a system call, and fault in 2 MB at a time.
///
/// Only for processes that enable it, before they start other threads (`pstudio`'s one-shot commands): `enable`
/// also fixes glibc's thresholds — blocks up to 32 MB come from the arenas, not a mapping of their own each, and
/// freed room is kept, not trimmed — which suits a process that compiles one song and exits, not a server, a
/// watcher or an album's many songs. Untouched room costs no memory.
public enum HeapReserve {
  /// Sources this large (bytes) or larger get a reserve.
  public static let minimumSourceBytes = 64 * 1024
  /// Room per byte of source: the front end's peak (W2: ~8 MB for 291 KB, most of it freed within the compile).
  static let bytesPerSourceByte = 24
  /// The most one reserve takes, in bytes: with the whole huge pages `reserve` asks for, glibc would serve a larger
  /// block by `mmap` (`enable`'s threshold is 32 MB), outside the arena.
  static let maximumBytes = 28 << 20
  /// A malloc chunk's header (glibc, 64-bit): a block's room starts this far into its chunk.
  static let headerBytes = 16
  /// A transparent huge page, bytes.
  static let hugePage = 2 << 20

  /// Whether reserves are made (`enable()`; tests set it directly, leaving glibc's thresholds alone).
  static let enabled = Atomic<Bool>(false)
  /// The size of the source being compiled (0 when below `minimumSourceBytes`), for the threads sharing its work.
  private static let sourceBytes = Atomic<Int>(0)
  /// The last block kept to hold the room below a reserve's huge pages.
  private static let kept = Atomic<Int>(0)
  /// Reserves made in this process (what tests check).
  static let made = Atomic<Int>(0)

  /// Lets `reserve(forSource:)` work in this process and fixes glibc's thresholds. Call it from `main`, before
  /// other threads allocate.
  public static func enable() {
    MallocOptions.set(MallocOptions.mmapThreshold, 32 << 20)
    MallocOptions.set(MallocOptions.trimThreshold, Int32.max)  // keep freed room
    MallocOptions.set(MallocOptions.topPad, 16 << 20)  // grow the main arena 16 MB at a time
    enabled.store(true, ordering: .relaxed)
  }

  #if canImport(Glibc)
    /// Bytes reserved on each thread so far (a thread-specific value, zero until the first reserve); nil when no
    /// key could be made (then nothing is reserved).
    private static let reservedKey: pthread_key_t? = {
      var key = pthread_key_t()
      return pthread_key_create(&key, nil) == 0 ? key : nil
    }()
  #endif

  /// Makes room for compiling a source of `bytes` bytes at the top of the calling thread's arena, advised as huge
  /// pages, when enabled and the source is at least `minimumSourceBytes`; records the size for `reserveShare`.
  /// - Returns: Whether room was made (not when as much was made on this thread already).
  @discardableResult
  static func reserve(forSource bytes: Int) -> Bool {
    guard enabled.load(ordering: .relaxed) else { return false }
    let large = bytes >= minimumSourceBytes
    sourceBytes.store(large ? bytes : 0, ordering: .relaxed)
    return large && reserve(bytes * bytesPerSourceByte)
  }

  /// On a thread that takes parts or runs of the source being compiled: room for one thread's share of it (one
  /// core's: `concurrentPerform` runs a thread per core), once per thread and size.
  @discardableResult
  static func reserveShare() -> Bool {
    let bytes = sourceBytes.load(ordering: .relaxed)
    guard bytes > 0, enabled.load(ordering: .relaxed) else { return false }
    return reserve(bytes * bytesPerSourceByte / FrontEndParts.cores)
  }

  /// Where a reserve of `size` bytes goes in a block at `block`: `taken` bytes asked of malloc (whole huge pages,
  /// and one more: a block rarely starts on a 2 MB boundary, and only whole huge pages can be advised), the first
  /// boundary in it (`start`), the bytes advised from there, and the bytes of a block that fills the room below
  /// `start` exactly (0 when there is none), so the next block from the same top starts at `start`.
  static func layout(size: Int, block: Int) -> (start: Int, advised: Int, below: Int) {
    let start = wholePages(block)
    return (start, wholePages(size), max(start - block - headerBytes, 0))
  }

  /// The bytes a reserve of `size` asks of malloc (`layout`).
  static func taken(size: Int) -> Int { wholePages(size) + hugePage }

  /// `bytes` rounded up to a whole number of huge pages.
  private static func wholePages(_ bytes: Int) -> Int { (bytes + hugePage - 1) & ~(hugePage - 1) }

  /// `wanted` bytes (at most `maximumBytes`) of room on this thread, unless as much was made here already.
  static func reserve(_ wanted: Int) -> Bool { makeRoom(wanted) != nil }

  /// `reserve`'s work: where the reserve's block was, and the block kept below its huge pages (0 when none), or
  /// nil when no room was made.
  static func makeRoom(_ wanted: Int) -> (block: Int, kept: Int)? {
    #if canImport(Glibc)
      guard let key = reservedKey else { return nil }
      let size = min(wanted, maximumBytes)
      guard size > Int(bitPattern: pthread_getspecific(key)), let block = malloc(taken(size: size)) else {
        return nil
      }
      pthread_setspecific(key, UnsafeRawPointer(bitPattern: size))
      let (start, advised, below) = layout(size: size, block: Int(bitPattern: block))
      if let aligned = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(aligned, advised, Int32(MADV_HUGEPAGE))
      }
      // The room below the first boundary stays taken, and untouched (so it costs no memory): the blocks that
      // follow are carved from the huge pages above it. Left alone, they would fill it first, a 4 KB fault a page
      // (a thread's new arena starts 2 KB into a huge page whose header page is already in: W2's helper thread
      // took ~500 faults there, and `check` of W2 ~1,050 in all; ~570 with the room kept). Shrunk in place
      // (glibc splits the block and frees the rest, which joins the free top), never freed.
      var room = 0
      if below > 0, let shrunk = realloc(block, below) {
        room = Int(bitPattern: shrunk)
        // Stored, so the compiler cannot drop a block that nothing reads (it did).
        kept.store(room, ordering: .relaxed)
      } else {
        free(block)
      }
      made.add(1, ordering: .relaxed)
      return (Int(bitPattern: block), room)
    #else
      return nil
    #endif
  }
}
