import ArgumentParser
import Foundation
import Glibc
import PStudioCLI

/// `pstudio serve` and `pstudio users` run `pstudio-server` (installed beside `pstudio`), which holds the
/// server and its libraries, so that no other command pays for them at start-up: their conformance records
/// (scanned by the Swift runtime at every generic instantiation it has not seen) and SQLite's loading made a
/// one-line `check` take 2.33 ms instead of 2.03 (fresh copies of both binaries, 3 rounds of 300, alternating).
/// `QuickStart` hands these commands over before any parsing; the two commands here only list them in
/// `pstudio --help`.
enum ServerHandOver {
  /// Whether `pstudio-server` runs `command`. (Two comparisons, not a `Set`: the first `Set<String>` of a
  /// process costs a runtime conformance scan, and this runs before every command.)
  static func handles(_ command: String) -> Bool { command == "serve" || command == "users" }

  /// Replaces this process with `pstudio-server` and `arguments` (the command first); returns only if it
  /// cannot, after saying why.
  static func exec(_ arguments: [String]) -> Never {
    let server = serverPath()
    var argv: [UnsafeMutablePointer<CChar>?] = (["pstudio"] + arguments).map { strdup($0) }
    argv.append(nil)
    execv(server, &argv)
    printError(
      "pstudio: \(arguments.first ?? "serve") needs pstudio-server beside pstudio (\(server)): "
        + "\(String(cString: strerror(errno))); build it with swift build -c release (or Scripts/install)")
    exit(Exit.io.rawValue)
  }

  /// `pstudio-server` in the folder of this executable's real path (so a symlinked `pstudio` still finds it).
  static func serverPath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
    let me =
      n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    let folder = me.lastIndex(of: "/").map { String(me[..<$0]) } ?? "."
    return folder + "/pstudio-server"
  }
}

/// Listed in `pstudio --help`; runs `pstudio-server serve`.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the studio's HTTP API and page (pstudio serve --help for its options).")
  @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
  func run() { ServerHandOver.exec(["serve"] + arguments) }
}

/// Listed in `pstudio --help`; runs `pstudio-server users`.
struct Users: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "Manage the accounts of pstudio serve --auth (pstudio users --help for its commands).")
  @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
  func run() { ServerHandOver.exec(["users"] + arguments) }
}
