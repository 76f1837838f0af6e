import Foundation

/// Kills a process that outlives its deadline (SIGKILL) unless `disarm` comes first, which says whether it had
/// to: a test waiting on a child then fails instead of hanging. It waits on a thread of its own: a timer on a
/// dispatch queue fired 25 s late when the test suite kept every pool thread busy.
public final class Watchdog: @unchecked Sendable {
  private let lock = NSLock()
  private var armed = true
  private var fired = false
  private let disarmed = DispatchSemaphore(value: 0)

  /// - Parameters: `pid` to kill, `seconds` from now.
  public init(pid: Int32, seconds: Double) {
    Thread { [self] in
      guard disarmed.wait(timeout: .now() + seconds) == .timedOut else { return }
      lock.lock()
      defer { lock.unlock() }
      // Only while armed: after `disarm` the pid may already belong to another process.
      guard armed else { return }
      fired = true
      kill(pid, SIGKILL)
    }.start()
  }

  /// Stops the watchdog; true if it had already killed the process.
  @discardableResult public func disarm() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    armed = false
    disarmed.signal()
    return fired
  }
}
