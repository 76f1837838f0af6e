import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

#if canImport(Glibc)
  import Glibc
#endif

/// A helper thread is kept off its creator's core from the start (`ThreadPlacement`), and runs its body once.
@Suite("Thread placement")
struct ThreadPlacementTests {
  @Test("a thread started off this core runs its body once, on all the caller's CPUs but the one it was on")
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
      let masks = ran.withLock { $0 }
      #expect(masks.count == 1)
      guard let own = masks.first else { return }
      // One CPU fewer than the caller may use (the one it was running on), when it may use more than one; with one
      // there is nowhere else, and the thread runs there.
      #expect(!allowed.isEmpty && Set(own).isSubset(of: allowed))
      #expect(own.count == (allowed.count >= 2 ? allowed.count - 1 : allowed.count))
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
