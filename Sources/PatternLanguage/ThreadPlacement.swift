import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Where a worker thread runs: off the core of the thread that starts it, for the worker's whole life.
///
/// Why: this CI-class VM's scheduler packs threads onto as few vCPUs as it can (`sched_vcpu_pack`). A thread
/// created for a few milliseconds of work was placed on its creator's vCPU while the other idled, and waited there
/// for the creator's time slice to end: `perf` showed W2's parse helper runnable on CPU 0 for 3.4 ms, then moved
/// to CPU 1. Timing each of W2's 16 parse parts showed it in about half of the fresh runs (one thread parsed 15
/// parts, or the other started 1.5–3 ms late). A worker that sleeps and wakes (a render's lane worker, once per
/// chunk) was woken beside its waker in the same way, so the exclusion is not lifted once the thread runs: it
/// may use every CPU its creator may but the one its creator was on. The cost, on a machine loaded by other work,
/// is that it cannot take that CPU when it is the free one.
public enum ThreadPlacement {
  /// The CPU the calling thread is running on; -1 when unknown.
  public static func currentCPU() -> Int32 {
    #if canImport(Glibc)
      return glibc.map { $0.cpu() } ?? -1
    #else
      return -1
    #endif
  }

  #if canImport(Glibc)
    private typealias CPU = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (pthread_t, Int, UnsafeMutableRawPointer) -> Int32
    /// glibc's `sched_getcpu`, `pthread_getaffinity_np` and `pthread_setaffinity_np`: declared only under
    /// `_GNU_SOURCE`, so Swift does not import them.
    nonisolated(unsafe) private static let glibc: (cpu: CPU, get: Affinity, set: Affinity)? = {
      let all = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
      guard let cpu = dlsym(all, "sched_getcpu"), let get = dlsym(all, "pthread_getaffinity_np"),
        let set = dlsym(all, "pthread_setaffinity_np")
      else { return nil }
      return (
        unsafeBitCast(cpu, to: CPU.self), unsafeBitCast(get, to: Affinity.self), unsafeBitCast(set, to: Affinity.self)
      )
    }()

    /// The CPUs `thread` may run on, ascending (empty when unknown).
    static func cpus(of thread: pthread_t) -> [Int32] {
      guard let glibc else { return [] }
      var set = cpu_set_t()
      return withUnsafeMutableBytes(of: &set) { bytes in
        guard let base = bytes.baseAddress, glibc.get(thread, bytes.count, base) == 0 else { return [] }
        return (0..<Int32(bytes.count * 8)).filter { bytes[Int($0) / 8] & UInt8(1 << (Int($0) % 8)) != 0 }
      }
    }

    /// Keeps `thread` off `cpu` when it may run on another; otherwise leaves it where it may run.
    /// - Returns: Whether the thread's CPUs changed.
    @discardableResult
    public static func keep(_ thread: pthread_t, off cpu: Int32) -> Bool {
      guard cpu >= 0, let glibc else { return false }
      var set = cpu_set_t()
      let size = MemoryLayout<cpu_set_t>.size
      return withUnsafeMutableBytes(of: &set) { bytes in
        guard let base = bytes.baseAddress, glibc.get(thread, size, base) == 0 else { return false }
        let byte = Int(cpu) / 8
        let bit = UInt8(1 << (Int(cpu) % 8))
        guard byte < bytes.count, bytes[byte] & bit != 0 else { return false }
        bytes[byte] &= ~bit
        guard bytes.contains(where: { $0 != 0 }) else { return false }
        return glibc.set(thread, size, base) == 0
      }
    }

    /// Starts a detached thread running `body`, placed off the caller's core when there is another: the body
    /// starts once the thread is placed.
    /// - Returns: False (nothing started) when no thread could be created.
    @discardableResult
    public static func startOffThisCore(_ body: @escaping @Sendable () -> Void) -> Bool {
      let cpu = currentCPU()
      let start = Start(body)
      let context = Unmanaged.passRetained(start).toOpaque()
      var thread = pthread_t()
      guard
        pthread_create(
          &thread, nil,
          { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            // Placed by its creator first (on the creator's core, yielding lets the creator do it).
            while !start.placed.load(ordering: .acquiring) { sched_yield() }
            start.body()
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
    }

    /// A thread's body, carried through `pthread_create`'s context pointer, and whether the thread is placed.
    private final class Start: Sendable {
      let body: @Sendable () -> Void
      let placed = Atomic<Bool>(false)
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
  #endif
}
