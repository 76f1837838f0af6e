import Foundation

/// What a finished process printed, and how it ended.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs programs from tests: the package's built products and tools such as curl.
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

  /// Runs `executable` to completion (synchronously) and captures everything.
  public static func run(_ executable: String, _ args: [String], stdin: String? = nil, cwd: String? = nil) throws
    -> ProcessResult
  {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // stderr is drained on another thread, so a chatty process never blocks on a full pipe.
    let errors = DrainedPipe(err)
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessResult(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: errors.wait(), as: UTF8.self))
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
