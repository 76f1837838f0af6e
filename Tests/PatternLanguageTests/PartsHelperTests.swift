import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

/// `PartsHelper`: a step's indices each run exactly once, shared by the calling thread and the helper, and the
/// helper ends once it has nothing to do; a large compile through it gives what one pass gives.
@Suite("Parts helper", .serialized)
struct PartsHelperTests {
  @Test("every index runs once, on the caller and the helper; the helper ends when idle")
  func indicesAndThreads() throws {
    guard FrontEndParts.cores >= 2 else { return }
    PartsHelper.start()
    let count = 400
    let runs = Mutex<[Int]>(Array(repeating: 0, count: count))
    let threads = Mutex<Set<UInt>>([])
    let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
    let used = PartsHelper.run(count) { i in
      runs.withLock { $0[i] += 1 }
      threads.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) }
      usleep(200)  // long enough that the helper joins
    }
    #expect(used)
    #expect(runs.withLock { $0 } == Array(repeating: 1, count: count))
    let seen = threads.withLock { $0 }
    #expect(seen.contains(caller) && seen.count == 2, "\(seen.count) threads")
    // Steps one after another reuse it.
    let second = Atomic<Int>(0)
    #expect(PartsHelper.run(100) { _ in second.add(1, ordering: .relaxed) })
    #expect(second.load(ordering: .relaxed) == 100)
    // Idle for longer than its limit: it has ended, and a step falls back (runs nothing here).
    usleep(UInt32(PartsHelper.idleNanoseconds / 1_000) * 5)
    #expect(!PartsHelper.run(1) { _ in Issue.record("ran without a helper") })
  }

  @Test("a large song compiled with the helper running gives the tree, score and diagnostics of one pass")
  func sameCompile() {
    guard FrontEndParts.cores >= 2 else { return }
    let song = HeapReserveTests.largeSong(bars: 400)
    let oneThread = withParts(disabled: true) { PatternCompiler.compile(song) }
    PartsHelper.start()
    let before = PartsHelper.started.load(ordering: .relaxed)
    let helped = PatternCompiler.compile(song)
    #expect(before >= 1)
    #expect(helped.file == oneThread.file && helped.score == oneThread.score)
    #expect(helped.diagnostics == oneThread.diagnostics)
  }

  /// `body` with the front end's parts off (one pass) when `disabled`.
  func withParts<T>(disabled: Bool, _ body: () -> T) -> T {
    let saved = FrontEndParts.minimumStatements.load(ordering: .relaxed)
    let savedBytes = FrontEndParts.bytesPerPart.load(ordering: .relaxed)
    if disabled {
      FrontEndParts.minimumStatements.store(Int.max, ordering: .relaxed)
      FrontEndParts.bytesPerPart.store(Int.max / 64, ordering: .relaxed)
    }
    defer {
      FrontEndParts.minimumStatements.store(saved, ordering: .relaxed)
      FrontEndParts.bytesPerPart.store(savedBytes, ordering: .relaxed)
    }
    return body()
  }
}
