import Foundation

/// What a finished process printed, and how it ended.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs programs from tests: the package's built products and tools such as curl, flac or python3.
///
/// `run` is `async` and waits on a thread of its own, never on Swift concurrency's cooperative pool (one
/// thread per core here): a test waiting minutes for a child process must not starve every other test.
public enum ProcessRunner {
  /// The built product `name` (it sits beside the test bundle), or `.build/debug/NAME`.
  public static func builtProduct(_ name: String) -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return ".build/debug/\(name)"
  }

  /// `pstudio` for end-to-end tests: the one `Scripts/test` names in `PSTUDIO_BIN`, else the debug
  /// build beside the tests.
  public static let pstudio: String = ProcessInfo.processInfo.environment["PSTUDIO_BIN"] ?? builtProduct("pstudio")

  /// `pstudio-server` (what `pstudio serve` runs, and the server's workers): the one beside `pstudio`.
  public static let pstudioServer: String = {
    let folder = (pstudio as NSString).deletingLastPathComponent
    return (folder.isEmpty ? "." : folder) + "/pstudio-server"
  }()

  /// Runs `executable` to completion and captures everything, off the cooperative pool.
  ///
  /// - Parameter timeout: seconds before the process is killed (SIGKILL); the result then has status 137 and
  ///   stderr says so. A hung child fails its test instead of holding CI until its 20-minute limit.
  public static func run(
    _ executable: String, _ args: [String], stdin: String? = nil, cwd: String? = nil,
    environment: [String: String] = [:], timeout: Double = 600
  ) async throws -> ProcessResult {
    try await OffPool.run {
      try runBlocking(executable, args, stdin: stdin, cwd: cwd, environment: environment, timeout: timeout)
    }
  }

  /// Runs `executable` to completion on the calling thread (for code that is already off the pool).
  ///
  /// - Parameter timeout: seconds before the process is killed, as for `run`.
  public static func runBlocking(
    _ executable: String, _ args: [String], stdin: String? = nil, cwd: String? = nil,
    environment: [String: String] = [:], timeout: Double = 600
  ) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    let watchdog = Watchdog(pid: p.processIdentifier, seconds: timeout)
    // stderr is drained on another thread, so a chatty process never blocks on a full pipe.
    let errors = DrainedPipe(err)
    do {
      if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
      try input.fileHandleForWriting.close()
    } catch {
      // The child is ended and reaped here, so the watchdog never outlives it (its pid could be reused).
      p.terminate()
      p.waitUntilExit()
      _ = watchdog.disarm()
      throw error
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let killed = watchdog.disarm()
    var stderr = String(decoding: errors.wait(), as: UTF8.self)
    if killed {
      stderr += "\n[ProcessRunner] killed after \(timeout) s: \(executable) \(args.prefix(4).joined(separator: " "))"
    }
    return ProcessResult(
      status: killed ? 137 : p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: stderr)
  }

  /// Where `tool` is on the PATH (e.g. `flac`, `sndfile-info`, `fluidsynth`), or nil.
  public static func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(dir)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  /// Reads a pipe to its end in the background.
  private final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ pipe: Pipe) {
      Thread {
        self.data = pipe.fileHandleForReading.readDataToEndOfFile()
        self.done.signal()
      }.start()
    }
    /// Everything the pipe delivered (the write happens before the signal this waits for).
    func wait() -> Data {
      done.wait()
      return data
    }
  }
}
