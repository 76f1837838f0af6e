import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Where a new worker thread starts: off the core of the thread that starts it.
///
/// Why: this CI-class VM's scheduler packs threads onto as few vCPUs as it can (`sched_vcpu_pack`). A thread
/// created for a few milliseconds of work was placed on its creator's vCPU while the other idled, and waited there
/// for the creator's time slice to end: `perf` showed W2's parse helper runnable on CPU 0 for 3.4 ms, then moved
/// to CPU 1. Timing each of W2's 16 parse parts showed it in about half of the fresh runs (one thread parsed 15
/// parts, or the other started 1.5–3 ms late). Once it runs elsewhere it may run anywhere again: kept off its
/// creator's core for good, it could not take that core when its own was busy with other work (measured with a
/// busy loop on CPU 1: W2's compile phase 9.2 → 14.6 ms, its render 106 → 127 ms).
public enum ThreadPlacement {
  /// The CPU the calling thread is running on; -1 when unknown.
  public static func currentCPU() -> Int32 {
    #if canImport(Glibc)
      return glibc.map { $0.cpu() } ?? -1
    #else
      return -1
    #endif
  }

  /// Starts a detached thread running `body`, placed off the caller's core when there is another. The thread is
  /// moved before its body starts, and then may run on every CPU its creator may again: kept off for good, a
  /// thread that shares its core with other work could not take the free one.
  /// - Returns: False (nothing started) when no thread could be created, or on a platform without thread affinity;
  ///   the caller then starts its thread as it otherwise would.
  @discardableResult
  public static func startOffThisCore(_ body: @escaping @Sendable () -> Void) -> Bool {
    #if canImport(Glibc)
      let cpu = currentCPU()
      // What the new thread inherits, and gets back once moved.
      let start = Start(body, original: affinity(of: pthread_self()))
      let context = Unmanaged.passRetained(start).toOpaque()
      var thread = pthread_t()
      guard
        pthread_create(
          &thread, nil,
          { context in
            Unmanaged<Start>.fromOpaque(context!).takeRetainedValue().run()
            return nil
          }, context) == 0
      else {
        Unmanaged<Start>.fromOpaque(context).release()
        return false
      }
      // Before the body runs: the scheduler moves the thread at once.
      keep(thread, off: cpu)
      start.placed.store(true, ordering: .releasing)
      pthread_detach(thread)
      return true
    #else
      return false
    #endif
  }

  #if canImport(Glibc)
    private typealias CPU = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (pthread_t, Int, UnsafeMutableRawPointer) -> Int32
    /// glibc's `sched_getcpu`, `pthread_getaffinity_np` and `pthread_setaffinity_np`: declared only under
    /// `_GNU_SOURCE`, so Swift does not import them.
    private static let glibc: (cpu: CPU, get: Affinity, set: Affinity)? = {
      let all = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
      guard let cpu = dlsym(all, "sched_getcpu"), let get = dlsym(all, "pthread_getaffinity_np"),
        let set = dlsym(all, "pthread_setaffinity_np")
      else { return nil }
      return (
        unsafeBitCast(cpu, to: CPU.self), unsafeBitCast(get, to: Affinity.self), unsafeBitCast(set, to: Affinity.self)
      )
    }()

    /// The CPUs `thread` may run on, as a set; nil when unknown.
    private static func affinity(of thread: pthread_t) -> cpu_set_t? {
      guard let glibc else { return nil }
      var set = cpu_set_t()
      let read = withUnsafeMutableBytes(of: &set) { glibc.get(thread, $0.count, $0.baseAddress!) == 0 }
      return read ? set : nil
    }

    /// Lets `thread` run on the CPUs of `set`.
    @discardableResult
    private static func setAffinity(_ thread: pthread_t, _ set: cpu_set_t) -> Bool {
      guard let glibc else { return false }
      var set = set
      return withUnsafeMutableBytes(of: &set) { glibc.set(thread, $0.count, $0.baseAddress!) == 0 }
    }

    /// The CPUs `thread` may run on, ascending (empty when unknown).
    static func cpus(of thread: pthread_t) -> [Int32] {
      guard var set = affinity(of: thread) else { return [] }
      return withUnsafeBytes(of: &set) { bytes in
        (0..<Int32(bytes.count * 8)).filter { bytes[Int($0) / 8] & UInt8(1 << (Int($0) % 8)) != 0 }
      }
    }

    /// Keeps `thread` off `cpu` when it may run on another; otherwise leaves it where it may run.
    /// - Returns: Whether the thread's CPUs changed.
    @discardableResult
    public static func keep(_ thread: pthread_t, off cpu: Int32) -> Bool {
      guard cpu >= 0, var set = affinity(of: thread) else { return false }
      let others = withUnsafeMutableBytes(of: &set) { bytes -> Bool in
        let (byte, bit) = (Int(cpu) / 8, UInt8(1 << (Int(cpu) % 8)))
        guard byte < bytes.count, bytes[byte] & bit != 0 else { return false }
        bytes[byte] &= ~bit
        return bytes.contains { $0 != 0 }
      }
      return others && setAffinity(thread, set)
    }

    /// A thread's body, carried through `pthread_create`'s context pointer; the CPUs it inherits, and whether it
    /// is placed.
    private final class Start: @unchecked Sendable {
      let body: @Sendable () -> Void
      let original: cpu_set_t?
      let placed = Atomic<Bool>(false)
      init(_ body: @escaping @Sendable () -> Void, original: cpu_set_t?) {
        self.body = body
        self.original = original
      }

      /// The new thread's work: waits until it is placed (by its creator, on the creator's core: yielding lets the
      /// creator do it), then, running elsewhere now, lets itself move again as any thread, and runs the body.
      func run() {
        while !placed.load(ordering: .acquiring) { sched_yield() }
        if let original { ThreadPlacement.setAffinity(pthread_self(), original) }
        body()
      }
    }
  #endif
}
