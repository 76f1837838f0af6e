import Foundation

/// Blocking work (waiting for a process, a socket, a sleep) moved off Swift concurrency's cooperative pool
/// onto a thread of its own, so an `async` test can wait without holding one of the pool's few threads.
public enum OffPool {
  /// Runs `body` on a new thread and resumes with its result.
  public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  /// Polls `condition` every 2 ms (off the pool) until it holds, `seconds` pass, or `process` (if any) ends.
  /// - Returns: whether the condition held.
  public static func waitUntil(
    seconds: Double, whileRunning process: Process? = nil, _ condition: @escaping @Sendable () -> Bool
  ) async throws -> Bool {
    try await run {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline && process?.isRunning != false {
        if condition() { return true }
        usleep(2_000)
      }
      return condition()
    }
  }
}
