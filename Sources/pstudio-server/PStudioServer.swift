import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO

/// The studio server's executable: `serve`, `users` and the `worker` processes `serve` starts. Users run it as
/// `pstudio serve` and `pstudio users` (`pstudio` hands those commands over to this program, installed beside
/// it): the server's libraries (NIO, Hummingbird, GRDB, bcrypt) live only here, so every other command starts
/// without them.
@main
struct PStudioServer: ParsableCommand {
  static let configuration = CommandConfiguration(
    // Named as users call it, so usage and help read `pstudio serve …`.
    commandName: "pstudio",
    abstract: "Pattern Studio's server: pstudio serve and pstudio users.",
    subcommands: [Serve.self, Users.self, Worker.self]
  )

  /// Like ArgumentParser's `main`, but usage errors exit with 2 (not EX_USAGE 64), as `pstudio` does.
  static func main() {
    TemporaryFiles.removeOnSignals()
    parseAndRun()
  }
}
