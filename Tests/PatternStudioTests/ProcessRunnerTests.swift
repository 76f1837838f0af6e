import Foundation
import TestSupport
import Testing

/// The test harness's own promise: a hung child fails its test in bounded time rather than holding CI.
@Suite("ProcessRunner") struct ProcessRunnerTests {
  @Test("a child past its timeout is killed and reported; one that finishes in time is untouched")
  func timeoutKillsAHungChild() async throws {
    let start = Date()
    let hung = try await ProcessRunner.run("/bin/sleep", ["30"], timeout: 0.5)
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(hung.status == 137)
    #expect(hung.stderr.contains("killed after 0.5 s: /bin/sleep 30"))
    let quick = try await ProcessRunner.run("/bin/sh", ["-c", "echo ok; exit 3"], timeout: 30)
    #expect(quick.status == 3 && quick.stdout == "ok\n" && !quick.stderr.contains("killed"))
  }
}
