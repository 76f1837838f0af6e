import Dispatch
import Hummingbird
import Logging

extension StudioServer {
  /// The log levels `runUntilStopped` takes, quietest last.
  public static let logLevels = Logger.Level.allCases.map(\.rawValue)

  /// Runs the server on this thread until SIGINT or SIGTERM (a graceful shutdown), the way `pstudio serve`
  /// does: the caller needs neither Hummingbird nor Swift concurrency.
  ///
  /// - Parameters:
  ///   - logLevel: One of `logLevels`: requests are logged at `info`; `debug` adds a preview of each source.
  ///   - onListening: Called once with the bound address (`http://127.0.0.1:PORT`), also for port 0.
  public func runUntilStopped(logLevel: String = "info", onListening: @escaping @Sendable (String) -> Void) throws {
    var logger = Logger(label: "pstudio.serve")
    logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
    let app = application(logger: logger) { url in onListening(url) }
    let outcome = ServerOutcome()
    Task {
      do { try await app.runService() } catch { outcome.error = error }
      outcome.done.signal()
    }
    outcome.done.wait()
    if let error = outcome.error { throw error }
  }
}

/// How the server task ended: written before `done` is signalled, read after it is waited for.
private final class ServerOutcome: @unchecked Sendable {
  var error: (any Error)?
  let done = DispatchSemaphore(value: 0)
}
