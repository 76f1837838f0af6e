import Foundation
import Glibc
import Synchronization

/// Worker processes (`pstudio worker`) that run the server's compiles and renders, so a trap, a runaway
/// allocation or a hang in the engine ends a worker, never the server that holds every client's connection.
///
/// Workers are started on demand and reused; one that crashes, or is killed because its request timed out or
/// went away, is replaced by the next job. Each has an address-space limit. Calls block: run them off the
/// cooperative pool (`Offload`).
final class WorkerPool: Sendable {
  /// How a job ended without an answer.
  enum Failure: Error, CustomStringConvertible {
    /// The worker died (a trap, the memory limit, a signal): the exit status or signal.
    case crashed(String)
    /// The deadline passed or the request was cancelled: the worker was killed.
    case stopped
    var description: String {
      switch self {
      case .crashed(let how): "the worker process crashed (\(how))"
      case .stopped: "the job was stopped"
      }
    }
  }

  let executable: String
  let arguments: [String]
  private let idle = Mutex<[WorkerProcess]>([])
  /// Jobs that ended a worker (for health and tests).
  let crashes = Atomic<Int>(0)

  /// - Parameters:
  ///   - executable: `pstudio` itself.
  ///   - instrumentFolders: Passed on as `--instruments`.
  ///   - memoryLimitMB: Each worker's address-space limit, MiB.
  init(executable: String, instrumentFolders: [String], memoryLimitMB: Int) {
    self.executable = executable
    arguments = ["worker", "--memory-mb", "\(memoryLimitMB)"] + instrumentFolders.flatMap { ["--instruments", $0] }
  }

  deinit {
    idle.withLock { workers in for w in workers { w.stop() } }
  }

  /// Runs `job` in a worker and returns its reply and payload. `shouldStop` is polled while the job runs
  /// (every 50 ms); true kills the worker and throws `Failure.stopped`.
  func perform(_ job: WorkerJob, shouldStop: @escaping () -> Bool) throws -> (WorkerReply, [UInt8]) {
    let worker = try idle.withLock { $0.popLast() } ?? WorkerProcess(executable: executable, arguments: arguments)
    do {
      let result = try worker.exchange(job, shouldStop: shouldStop)
      idle.withLock { $0.append(worker) }
      return result
    } catch let failure as Failure {
      if case .crashed = failure { crashes.add(1, ordering: .relaxed) }
      worker.stop()
      throw failure
    } catch {
      worker.stop()
      throw Failure.crashed("\(error)")
    }
  }
}

/// One `pstudio worker` process and its pipes.
final class WorkerProcess: @unchecked Sendable {
  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()

  init(executable: String, arguments: [String]) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    // A crash is answered at once: its message, without the seconds a symbolicated backtrace takes.
    process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
    try process.run()
  }

  /// Sends a job and waits for the answer.
  func exchange(_ job: WorkerJob, shouldStop: () -> Bool) throws -> (WorkerReply, [UInt8]) {
    do {
      try WorkerFrames.write(input.fileHandleForWriting.fileDescriptor, header: job)
      guard
        let answer = try WorkerFrames.read(
          output.fileHandleForReading.fileDescriptor, as: WorkerReply.self,
          wait: { if shouldStop() { throw WorkerPool.Failure.stopped } })
      else { throw WorkerFrames.Closed() }
      return answer
    } catch let failure as WorkerPool.Failure {
      throw failure
    } catch {
      throw WorkerPool.Failure.crashed(exitDescription())
    }
  }

  /// How the process ended (waits briefly for it).
  private func exitDescription() -> String {
    for _ in 0..<100 where process.isRunning { usleep(10_000) }
    guard !process.isRunning else { return "it stopped answering" }
    return process.terminationReason == .uncaughtSignal
      ? "signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
  }

  /// Ends the process (SIGKILL) and reaps it.
  func stop() {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }
}
