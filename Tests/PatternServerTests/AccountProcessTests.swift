import Foundation
import GRDB
import HTTPTypes
import TestSupport
import Testing

@testable import PatternServer

/// `pstudio serve --auth` and `pstudio users` as real processes: the safe default for non-loopback hosts, the
/// account commands, and the upgrade of a database from before accounts.
@Suite("pstudio users and serve --auth (processes)", .serialized) struct AccountProcessTests {
  static let binary = ProcessRunner.pstudio

  @Test("a non-loopback --host without --auth exits 2 with a message naming --auth")
  func nonLoopbackHostNeedsAuth() async throws {
    let root = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    for host in ["0.0.0.0", "192.0.2.10", "::"] {
      let result = try await ProcessRunner.run(
        Self.binary, ["serve", "--host", host, "--port", "0", "--db", root + "/studio.sqlite"])
      #expect(result.status == 2, "\(host): \(result.stderr)")
      #expect(result.stderr.contains("--auth") && result.stderr.contains("--insecure-open"), "\(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: root + "/studio.sqlite"), "nothing is created before refusing")
  }

  @Test("users add (password on stdin), list, token, password, remove; serve --auth accepts both credentials")
  func usersCommandsAndServeAuth() async throws {
    let root = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let db = ["--db", root + "/studio.sqlite"]
    let add = try await ProcessRunner.run(Self.binary, ["users", "add", "nina"] + db, stdin: "first secret\n")
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stderr.contains("one-time password"), "a new database announces admin's password")
    let again = try await ProcessRunner.run(Self.binary, ["users", "add", "nina"] + db, stdin: "x\n")
    #expect(again.status == 1 && again.stderr.contains("already"))
    #expect(try await ProcessRunner.run(Self.binary, ["users", "add", "-bad name"] + db, stdin: "x\n").status != 0)
    #expect(try await ProcessRunner.run(Self.binary, ["users", "add", "empty"] + db, stdin: "\n").status == 1)
    let changed = try await ProcessRunner.run(
      Self.binary, ["users", "password", "nina"] + db, stdin: "second secret\n")
    #expect(changed.status == 0, "\(changed.stderr)")
    let token = try await ProcessRunner.run(Self.binary, ["users", "token", "nina"] + db)
    #expect(token.status == 0)
    let text = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(text.hasPrefix("pst_") && text.count == 48, "\(text)")
    let list = try await ProcessRunner.run(Self.binary, ["users", "list"] + db)
    #expect(list.stdout.contains("admin\t") && list.stdout.contains("nina\t0 patterns\t1 tokens"), "\(list.stdout)")
    #expect(try await ProcessRunner.run(Self.binary, ["users", "remove", "admin"] + db).status == 1)

    let server = try await ServeProcessTests.Server.start(db + ["--auth"])
    #expect(try await server.request("GET", "/api/patterns").status == .unauthorized)
    let old = try await server.request(
      "POST", "/api/login", body: #"{"name": "nina", "password": "first secret"}"#)
    #expect(old.status == .unauthorized)
    let login = try await server.request(
      "POST", "/api/login", body: #"{"name": "nina", "password": "second secret"}"#)
    #expect(login.status == .ok)
    let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
    let saved = try await server.request(
      "POST", "/api/save", body: "{\"name\": \"n\", \"pattern_code\": \"melody { sine C4 0; }\"}",
      headers: ["Cookie": cookie])
    #expect(saved.status == .created)
    let listed = try await server.request("GET", "/api/patterns", headers: ["Authorization": "Bearer \(text)"])
    #expect(listed.status == .ok && listed.json["total"] as? Int == 1)
    // A leaked token is revoked while the server runs: the next request with it is 401.
    let revoked = try await ProcessRunner.run(Self.binary, ["users", "token", "nina", "--revoke-all"] + db)
    #expect(revoked.status == 0 && revoked.stderr.contains("revoked 1 token of 'nina'"), "\(revoked.stderr)")
    let after = try await server.request("GET", "/api/patterns", headers: ["Authorization": "Bearer \(text)"])
    #expect(after.status == .unauthorized)
    let stopped = await server.stop(SIGTERM)
    #expect(stopped.status == 0)
    #expect(!stopped.stderr.contains("one-time password"), "an existing database prints no password")

    let refused = try await ProcessRunner.run(Self.binary, ["users", "remove", "nina"] + db)
    #expect(refused.status == 1 && refused.stderr.contains("--delete-patterns"))
    let removed = try await ProcessRunner.run(Self.binary, ["users", "remove", "nina", "--delete-patterns"] + db)
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(!(try await ProcessRunner.run(Self.binary, ["users", "list"] + db)).stdout.contains("nina"))
  }

  @Test("a database from before accounts migrates: serve prints admin's one-time password once; every pattern loads")
  func aPreAccountsDatabaseMigratesToAdmin() async throws {
    let root = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = root + "/studio.sqlite"
    let songs = (1...3).map { "// song \($0)\nmelody { sine C4 0; sine E4 \($0); }\n" }
    try Self.writePreAccountsDatabase(path, songs: songs)

    let server = try await ServeProcessTests.Server.start(["--db", path, "--auth"])
    let password = try await Self.adminPassword(in: server.errorLog)
    #expect(try await server.request("GET", "/api/patterns").status == .unauthorized)
    let login = try await server.request(
      "POST", "/api/login", body: "{\"name\": \"admin\", \"password\": \"\(password)\"}")
    #expect(login.status == .ok, "\(login.text)")
    let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
    let list = try await server.request("GET", "/api/patterns", headers: ["Cookie": cookie])
    #expect(list.json["total"] as? Int == songs.count)
    for (i, song) in songs.enumerated() {
      let id = "migrated-pattern-\(i)-abcdef".prefix(22)
      let loaded = try await server.request("GET", "/api/patterns/\(id)", headers: ["Cookie": cookie])
      #expect(loaded.status == .ok && loaded.json["pattern_code"] as? String == song, "\(id): \(loaded.text)")
      #expect(loaded.json["version"] as? Int == 2)
      let first = try await server.request("GET", "/api/patterns/\(id)/versions/1", headers: ["Cookie": cookie])
      #expect(first.json["pattern_code"] as? String == "draft \(i)")
    }
    _ = await server.stop(SIGTERM)
    let again = try await ServeProcessTests.Server.start(["--db", path, "--auth"])
    let second = await again.stop(SIGTERM)
    #expect(!second.stderr.contains("one-time password"), "printed once: \(second.stderr)")
  }

  /// The schema and rows a pre-accounts `pstudio serve` left: migration v1 only, each pattern at version 2.
  static func writePreAccountsDatabase(_ path: String, songs: [String]) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
          INSERT INTO grdb_migrations VALUES ('v1: patterns and their versions');
          CREATE TABLE pattern (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, latest_version INTEGER NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE);
          CREATE INDEX pattern_by_update ON pattern(updated_at, seq);
          CREATE TABLE pattern_version (pattern_id TEXT NOT NULL REFERENCES pattern(id) ON DELETE CASCADE,
            version INTEGER NOT NULL, name TEXT NOT NULL, pattern_code TEXT NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (pattern_id, version));
          """)
      for (i, song) in songs.enumerated() {
        let id = String("migrated-pattern-\(i)-abcdef".prefix(22))
        let at = "2026-11-0\(i + 1)T10:00:00.000Z"
        try db.execute(
          sql: "INSERT INTO pattern VALUES (?, ?, 2, ?, ?, ?)", arguments: [id, "Song \(i)", at, at, i + 1])
        try db.execute(
          sql: "INSERT INTO pattern_version VALUES (?, 1, ?, ?, ?)", arguments: [id, "Song \(i)", "draft \(i)", at])
        try db.execute(
          sql: "INSERT INTO pattern_version VALUES (?, 2, ?, ?, ?)", arguments: [id, "Song \(i)", song, at])
      }
    }
  }

  /// The password in serve's "one-time password X" line (stderr, written before it listens).
  static func adminPassword(in log: URL) async throws -> String {
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    guard let range = text.range(of: "one-time password ") else { throw TestFailure("no password in: \(text)") }
    return String(text[range.upperBound...].prefix { !$0.isWhitespace })
  }
}
