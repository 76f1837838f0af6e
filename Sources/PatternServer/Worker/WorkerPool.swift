import Foundation
import Glibc
import NIOCore
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
  /// The largest answer accepted from a worker, bytes: a render's file at the server's limit, and some.
  let maxPayload: Int
  private let idle = Mutex<[WorkerProcess]>([])
  /// Jobs that ended a worker (for health and tests).
  let crashes = Atomic<Int>(0)

  /// - Parameters:
  ///   - executable: `pstudio` itself.
  ///   - instrumentFolders: Passed on as `--instruments`.
  ///   - memoryLimitMB: Each worker's address-space limit, MiB.
  init(executable: String, instrumentFolders: [String], memoryLimitMB: Int, maxPayload: Int) {
    self.executable = executable
    self.maxPayload = maxPayload
    arguments = ["worker", "--memory-mb", "\(memoryLimitMB)"] + instrumentFolders.flatMap { ["--instruments", $0] }
  }

  deinit {
    idle.withLock { workers in for w in workers { w.stop() } }
  }

  /// Runs `job` in a worker and returns its reply and payload. `shouldStop` is polled while the job runs
  /// (every 50 ms); true kills the worker and throws `Failure.stopped`.
  ///
  /// `progress` gets the job's progress frames (renders that asked for them), on the calling thread, in order.
  func perform(_ job: WorkerJob, shouldStop: @escaping () -> Bool, progress: (Int) -> Void = { _ in }) throws
    -> (WorkerReply, ByteBuffer)
  {
    var worker = try idle.withLock { $0.popLast() } ?? WorkerProcess(executable: executable, arguments: arguments)
    do {
      let result: (WorkerReply, ByteBuffer)
      do {
        result = try worker.exchange(job, shouldStop: shouldStop, maxPayload: maxPayload, progress: progress)
      } catch is WorkerProcess.NotSent {
        // An idle worker that died meanwhile (killed from outside): the job never ran; one fresh try.
        worker.stop()
        worker = try WorkerProcess(executable: executable, arguments: arguments)
        result = try worker.exchange(job, shouldStop: shouldStop, maxPayload: maxPayload, progress: progress)
      }
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
  private let input: Pipe
  private let output: Pipe
  /// The memory file a render's file comes through when it fits (nil: everything comes through `output`).
  private let shared = SharedReply.create()
  /// The job could not be written: the worker was already gone.
  struct NotSent: Error {}
  /// Pipes are not close-on-exec: one worker started while another's pipes are open would inherit them (and
  /// keep them open past the other's death). Starting workers one at a time keeps each to its own.
  private static let spawning = Mutex<Void>(())

  init(executable: String, arguments: [String]) throws {
    let process = self.process
    let arguments = arguments + (shared.map { ["--reply-fd", "\($0.fd)"] } ?? [])
    (input, output) = try WorkerProcess.spawning.withLock { _ in
      let (input, output) = (Pipe(), Pipe())
      WorkerFrames.enlarge(pipe: output.fileHandleForReading.fileDescriptor)
      try Self.start(process, executable, arguments, input, output)
      return (input, output)
    }
  }

  private static func start(
    _ process: Process, _ executable: String, _ arguments: [String], _ input: Pipe, _ output: Pipe
  ) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    // A crash is answered at once: its message, without the seconds a symbolicated backtrace takes.
    process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
    try process.run()
  }

  /// Sends a job and waits for the answer (at most `maxPayload` bytes of it).
  func exchange(_ job: WorkerJob, shouldStop: () -> Bool, maxPayload: Int, progress: (Int) -> Void) throws
    -> (WorkerReply, ByteBuffer)
  {
    do {
      try WorkerFrames.write(input.fileHandleForWriting.fileDescriptor, header: job)
    } catch {
      throw NotSent()
    }
    do {
      while true {
        guard
          let answer = try WorkerFrames.read(
            output.fileHandleForReading.fileDescriptor, as: WorkerReply.self, maxPayload: maxPayload,
            wait: { if shouldStop() { throw WorkerPool.Failure.stopped } })
        else { throw WorkerFrames.Closed() }
        if let count = answer.0.shared {
          // The worker wrote the bytes into the memory file before it sent this frame.
          guard let shared else { throw WorkerFrames.Malformed() }
          return (answer.0, try shared.load(count: count))
        }
        guard answer.0.status == .progress else { return answer }
        progress(answer.0.percent ?? 0)
      }
    } catch let failure as WorkerPool.Failure {
      throw failure
    } catch is WorkerFrames.Malformed {
      // A live worker that answered nonsense: no exit to wait for (the pool stops it).
      throw WorkerPool.Failure.crashed("it sent a malformed reply")
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
