import Foundation
import TestSupport
import Testing

/// The test harness's own promise: a hung child fails its test in bounded time rather than holding CI.
@Suite("ProcessRunner") struct ProcessRunnerTests {
  @Test("a child past its timeout is killed and reported; one that finishes in time is untouched")
  func timeoutKillsAHungChild() async throws {
    // Timed on the blocking thread itself: when the async test resumes depends on the cooperative pool, which
    // the suite's other tests may hold for many seconds.
    let (hung, seconds) = try await OffPool.run {
      let start = Date()
      let result = try ProcessRunner.runBlocking("/bin/sleep", ["30"], timeout: 0.5)
      return (result, Date().timeIntervalSince(start))
    }
    // `sleep 30` ends with status 0 unless it is killed; killed, well before its 30 s.
    #expect(hung.status == 137 && seconds < 20, "\(seconds) s")
    #expect(hung.stderr.contains("killed after 0.5 s: /bin/sleep 30"))
    let quick = try await ProcessRunner.run("/bin/sh", ["-c", "echo ok; exit 3"], timeout: 30)
    #expect(quick.status == 3 && quick.stdout == "ok\n" && !quick.stderr.contains("killed"))
  }
}
