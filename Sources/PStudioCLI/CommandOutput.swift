import ArgumentParser
import Foundation

/// Exit codes shared by every subcommand of `pstudio` and `pstudio-server`.
public enum Exit {
  public static let inputError = ExitCode(1)
  public static let usage = ExitCode(2)
  public static let io = ExitCode(3)
}

/// Writes to standard error (progress, summaries, diagnostics).
public func printError(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

extension ParsableCommand {
  /// Parses the command line as this root command and runs it, like ArgumentParser's `main`, but usage errors
  /// exit with 2 (not EX_USAGE 64), as documented for both executables.
  public static func parseAndRun() -> Never {
    do {
      var command = try parseAsRoot()
      try command.run()
      exit()
    } catch {
      if exitCode(for: error) == .validationFailure {
        printError(fullMessage(for: error))
        Foundation.exit(Exit.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}
