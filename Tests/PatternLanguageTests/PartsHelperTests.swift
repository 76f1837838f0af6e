import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

/// `PartsHelper`: a step's indices each run exactly once, shared by the calling thread and the helper, steps of
/// different sizes back to back included; the helper ends when stopped or idle, after which it runs nothing; a
/// large compile with a helper running gives what one pass gives.
@Suite("Parts helper")
struct PartsHelperTests {
  /// Runs `count` indices on `helper`, each recording its run and its thread; returns the runs per index and the
  /// threads seen, or nil when the helper refused the step.
  static func step(_ helper: PartsHelper, _ count: Int, pause: UInt32 = 0) -> (runs: [Int], threads: Int)? {
    let runs = Mutex<[Int]>(Array(repeating: 0, count: count))
    let threads = Mutex<Set<UInt>>([])
    let used = helper.run(count) { i in
      runs.withLock { $0[i] += 1 }
      threads.withLock { _ = $0.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) }
      if pause > 0 { usleep(pause) }
    }
    return used ? (runs.withLock { $0 }, threads.withLock { $0.count }) : nil
  }

  @Test("every index runs once, on the caller and the helper; a stopped helper runs nothing")
  func indicesAndThreads() throws {
    guard FrontEndParts.cores >= 2 else { return }
    let helper = PartsHelper()
    helper.begin()
    // Long enough per index that the helper joins.
    let first = try #require(Self.step(helper, 400, pause: 200))
    #expect(first.runs == Array(repeating: 1, count: 400))
    #expect(first.threads == 2 && helper.helped.load(ordering: .relaxed) > 0)
    // Steps of alternating sizes back to back: no index runs twice or is skipped.
    for round in 0..<300 {
      let count = round % 2 == 0 ? 3 : 11
      let next = try #require(Self.step(helper, count))
      #expect(next.runs == Array(repeating: 1, count: count), "round \(round)")
    }
    helper.stopAndWait()
    #expect(Self.step(helper, 1) == nil)
  }

  @Test("work alongside a step runs once, on the calling thread, while the helper takes the step's indices")
  func alongside() throws {
    guard FrontEndParts.cores >= 2 else { return }
    let helper = PartsHelper()
    helper.begin()
    defer { helper.stopAndWait() }
    let runs = Mutex<[Int]>(Array(repeating: 0, count: 40))
    var calls = 0
    var doneDuring = 0
    let caller = pthread_self()
    var onCaller = false
    let used = helper.run(
      40,
      alongside: {
        calls += 1
        onCaller = pthread_equal(pthread_self(), caller) != 0
        // Long enough for the helper to take several indices meanwhile.
        for _ in 0..<200 where runs.withLock({ $0.reduce(0, +) }) < 5 { usleep(500) }
        doneDuring = runs.withLock { $0.reduce(0, +) }
      }
    ) { i in
      runs.withLock { $0[i] += 1 }
      usleep(100)
    }
    #expect(used && calls == 1 && onCaller)
    #expect(doneDuring >= 5, "the helper took no index while the caller's other work ran")
    #expect(runs.withLock { $0 } == Array(repeating: 1, count: 40))
  }

  @Test("idle for longer than its limit, the helper ends by itself")
  func idleEnds() {
    guard FrontEndParts.cores >= 2 else { return }
    let helper = PartsHelper()
    helper.begin()
    usleep(UInt32(PartsHelper.idleNanoseconds / 1_000) * 4)
    #expect(Self.step(helper, 1) == nil)
  }

  @Test("a large song compiled with a helper running gives the tree, score and diagnostics of one pass")
  func sameCompile() {
    guard FrontEndParts.cores >= 2 else { return }
    let song = HeapReserveTests.largeSong(bars: 400)
    let saved = (
      FrontEndParts.minimumStatements.load(ordering: .relaxed), FrontEndParts.bytesPerPart.load(ordering: .relaxed)
    )
    FrontEndParts.minimumStatements.store(Int.max, ordering: .relaxed)
    FrontEndParts.bytesPerPart.store(Int.max / 64, ordering: .relaxed)
    let onePass = PatternCompiler.compile(song)
    FrontEndParts.minimumStatements.store(saved.0, ordering: .relaxed)
    FrontEndParts.bytesPerPart.store(saved.1, ordering: .relaxed)
    PartsHelper.start()
    let helped = PatternCompiler.compile(song)
    #expect(helped.file == onePass.file && helped.score == onePass.score)
    #expect(helped.diagnostics == onePass.diagnostics)
  }
}
