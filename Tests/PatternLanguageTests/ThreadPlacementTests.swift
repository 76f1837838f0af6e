import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

#if canImport(Glibc)
  import Glibc
#endif

/// A helper thread starts off its creator's core (`ThreadPlacement`), and runs its body once.
@Suite("Thread placement")
struct ThreadPlacementTests {
  @Test("a thread started off this core runs its body once, free again to run on every CPU the caller may")
  func startsOffThisCore() {
    #if canImport(Glibc)
      let allowed = ThreadPlacement.cpus(of: pthread_self())
      let ran = Mutex<[[Int32]]>([])
      let done = DispatchSemaphore(value: 0)
      let started = ThreadPlacement.startOffThisCore {
        ran.withLock { $0.append(ThreadPlacement.cpus(of: pthread_self())) }
        done.signal()
      }
      #expect(started)
      #expect(done.wait(timeout: .now() + 30) == .success)
      // Moved before its body started (`keep`, below), its body runs with the caller's CPUs back.
      #expect(!allowed.isEmpty)
      #expect(ran.withLock { $0 } == [allowed])
    #endif
  }

  @Test("a thread kept off its CPUs one by one moves to the others, and stays on the last")
  func keepsItsLastCPU() {
    #if canImport(Glibc)
      let (allowed, outcomes) = HeapReserveTests.onNewThread { () -> ([Int32], [String]) in
        let me = pthread_self()
        let allowed = ThreadPlacement.cpus(of: me)
        // A CPU no machine here has, and none, are not in the thread's set: nothing changes.
        var outcomes = ["\(ThreadPlacement.keep(me, off: 100_000)) \(ThreadPlacement.keep(me, off: -1))"]
        for cpu in allowed {
          let kept = ThreadPlacement.keep(me, off: cpu)
          outcomes.append("\(kept) \(ThreadPlacement.cpus(of: me).count) \(ThreadPlacement.currentCPU() == cpu)")
        }
        return (allowed, outcomes)
      }
      #expect(!allowed.isEmpty)
      // Each CPU but the last is taken away, and the thread moves off it at once; the last stays.
      let expected =
        ["false false"] + (0..<max(allowed.count - 1, 0)).map { "true \(allowed.count - 1 - $0) false" }
        + ["false 1 true"]
      #expect(outcomes == expected)
    #endif
  }
}
