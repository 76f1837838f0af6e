import ArgumentParser
import Foundation
import Glibc
import PStudioCLI
import PatternServer

/// `pstudio users`: the accounts of `pstudio serve --auth` (kept in the server's database).
struct Users: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "Manage the accounts of pstudio serve --auth (add, remove, password, token, list).",
    discussion: """
      Accounts live in the server's database (--db, as for serve). Passwords are stored as bcrypt hashes and \
      tokens as SHA-256 hashes: neither can be read back. A password is read from standard input when it is \
      not a terminal (the first line), else asked for twice without echo.
      """,
    subcommands: [Add.self, Remove.self, Password.self, Token.self, List.self])

  /// `--db` as `serve` takes it.
  struct DatabaseOption: ParsableArguments {
    @Option(help: "The SQLite database file (default: the one pstudio serve uses).") var db: String?

    func open() throws -> UserAdministration {
      let path = db ?? ServerConfiguration.defaultDatabasePath()
      do {
        let admin = try UserAdministration(databasePath: path)
        if let password = admin.adminPassword {
          printError("pstudio: created the database \(path) with the user 'admin', one-time password: \(password)")
        }
        return admin
      } catch {
        printError("pstudio: cannot open the database \(path): \(error)")
        throw Exit.io
      }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a user (the password from stdin or a prompt).")
    @Argument(help: "The user's name (letters, digits, '.', '_', '-').") var name: String
    @OptionGroup var database: DatabaseOption

    func run() throws {
      let admin = try database.open()
      try Users.report { try admin.add(name, password: try Users.readPassword()) }
      printError("pstudio: added user '\(name)'")
    }
  }

  struct Password: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "password", abstract: "Set a user's password (from stdin or a prompt); their sessions end.")
    @Argument(help: "The user's name.") var name: String
    @OptionGroup var database: DatabaseOption

    func run() throws {
      let admin = try database.open()
      try Users.report { try admin.setPassword(name, password: try Users.readPassword()) }
      printError("pstudio: changed the password of '\(name)'")
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove", abstract: "Remove a user, their tokens and sessions.")
    @Argument(help: "The user's name.") var name: String
    @Flag(help: "Also delete the patterns the user owns (refused otherwise).") var deletePatterns = false
    @OptionGroup var database: DatabaseOption

    func run() throws {
      let admin = try database.open()
      var deleted = 0
      try Users.report { deleted = try admin.remove(name, deletePatterns: deletePatterns) }
      printError("pstudio: removed user '\(name)'" + (deleted > 0 ? " and \(deleted) pattern(s)" : ""))
    }
  }

  struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "token",
      abstract: "Print a new API token for a user (Authorization: Bearer TOKEN); it is shown only once.")
    @Argument(help: "The user's name.") var name: String
    @Flag(name: .customLong("revoke-all"), help: "Instead: revoke every API token of the user (none is printed).")
    var revokeAll = false
    @OptionGroup var database: DatabaseOption

    func run() throws {
      let admin = try database.open()
      if revokeAll {
        var count = 0
        try Users.report { count = try admin.revokeTokens(name) }
        printError("pstudio: revoked \(count) token\(count == 1 ? "" : "s") of '\(name)'")
        return
      }
      var token = ""
      try Users.report { token = try admin.token(name) }
      print(token)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the users: name, patterns, tokens, created.")
    @OptionGroup var database: DatabaseOption

    func run() throws {
      let admin = try database.open()
      var entries: [UserAdministration.Entry] = []
      try Users.report { entries = try admin.list() }
      for e in entries { print("\(e.name)\t\(e.patterns) patterns\t\(e.tokens) tokens\t\(e.createdAt)") }
    }
  }

  /// Runs `body`, turning a refusal into a message and exit code 1.
  static func report(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let failure as UserAdministration.Failure {
      printError("pstudio: \(failure)")
      throw Exit.inputError
    }
  }

  /// The first line of standard input when it is not a terminal; otherwise asked for twice, without echo.
  static func readPassword() throws -> String {
    guard isatty(STDIN_FILENO) == 1 else {
      return readLine(strippingNewline: true) ?? ""
    }
    let first = String(cString: getpass("Password: "))
    let second = String(cString: getpass("Again: "))
    guard first == second else {
      printError("pstudio: the two passwords differ")
      throw Exit.inputError
    }
    return first
  }
}
