import Foundation
import GRDB

/// A saved pattern at one version.
struct StoredPattern: Sendable, Equatable {
  var id: String
  var name: String
  var patternCode: String
  var version: Int
  /// When the pattern was first saved / this version was saved (ISO 8601, UTC, milliseconds).
  var createdAt: String
  var updatedAt: String
}

/// A pattern in a listing (no source text), or one entry of its version history.
struct PatternSummary: Sendable, Equatable {
  var id: String
  var name: String
  var version: Int
  var createdAt: String
  var updatedAt: String
  /// Bytes of `pattern_code` (UTF-8).
  var size: Int
  /// Someone else's pattern, listed because this user opened a share link of it.
  var shared = false
}

/// Saved patterns in SQLite (GRDB): every save is a new row in `pattern_version`, so earlier versions stay.
///
/// A file database runs in WAL mode with `synchronous = FULL`: a save's transaction is on disk before its response
/// is sent, so a `kill -9` right after a 200 loses nothing. Every statement takes its values as arguments.
///
/// Every pattern has an owner (`pattern.owner_id`); the pattern operations take the acting user's id and treat
/// someone else's pattern exactly as a missing one.
final class PatternStore: Sendable {
  let database: any DatabaseWriter
  /// The bcrypt cost of new password hashes (2^cost rounds; 12 in production, 4 in tests).
  let passwordCost: UInt8
  /// The one-time password of `admin` when this open created it (the migration to accounts); nil otherwise.
  let adminPassword: String?

  /// Opens (creating folders and the file if needed) and migrates; nil `path` keeps everything in memory.
  ///
  /// - Parameter passwordCost: bcrypt cost for the passwords this store hashes, 4 … 31.
  init(path: String?, passwordCost: UInt8 = 12) throws {
    self.passwordCost = passwordCost
    var config = Configuration()
    config.busyMode = .timeout(10)
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    if let path {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      database = try DatabasePool(path: path, configuration: config)
    } else {
      database = try DatabaseQueue(configuration: config)
    }
    let created = AdminPasswordBox()
    try Self.migrator(passwordCost: passwordCost, created: created).migrate(database)
    adminPassword = created.password
  }

  private static func migrator(passwordCost: UInt8, created: AdminPasswordBox) -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: patterns and their versions") { db in
      try db.create(table: "pattern") { t in
        t.primaryKey("id", .text)
        t.column("name", .text).notNull()
        t.column("latest_version", .integer).notNull()
        t.column("created_at", .text).notNull()
        t.column("updated_at", .text).notNull()
        // Listing order that never ties: newest change first, then insertion order.
        t.column("seq", .integer).notNull().unique()
      }
      try db.create(index: "pattern_by_update", on: "pattern", columns: ["updated_at", "seq"])
      try db.create(table: "pattern_version") { t in
        t.column("pattern_id", .text).notNull().references("pattern", onDelete: .cascade)
        t.column("version", .integer).notNull()
        t.column("name", .text).notNull()
        t.column("pattern_code", .text).notNull()
        t.column("created_at", .text).notNull()
        t.primaryKey(["pattern_id", "version"])
      }
    }
    migrator.registerMigration("v2: accounts, ownership and share links") { db in
      try Self.migrateToAccounts(db, passwordCost: passwordCost, created: created)
    }
    return migrator
  }

  /// Whether the database answers (for `/api/health`).
  func ping() async -> Bool {
    (try? await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
  }

  /// `PRAGMA synchronous` of the store's connections (2 = FULL).
  func synchronousMode() async throws -> Int {
    try await database.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
  }

  /// Saves a new pattern as version 1 under a fresh unguessable id.
  func create(name: String, code: String, owner: Int64) async throws -> StoredPattern {
    let now = Self.timestamp()
    let id = PatternID.make()
    try await database.write { db in
      let seq = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM pattern")) ?? 1
      try db.execute(
        sql: """
          INSERT INTO pattern (id, name, latest_version, created_at, updated_at, seq, owner_id)
          VALUES (?, ?, 1, ?, ?, ?, ?)
          """,
        arguments: [id, name, now, now, seq, owner])
      try db.execute(
        sql: "INSERT INTO pattern_version (pattern_id, version, name, pattern_code, created_at) VALUES (?, 1, ?, ?, ?)",
        arguments: [id, name, code, now])
    }
    return StoredPattern(id: id, name: name, patternCode: code, version: 1, createdAt: now, updatedAt: now)
  }

  /// Saves a new version of `id` (the name stays unless given).
  ///
  /// - Throws: `StoreError.notFound`, or `StoreError.staleVersion` when `baseVersion` is not the latest.
  func update(id: String, owner: Int64, name: String?, code: String, baseVersion: Int?) async throws -> StoredPattern {
    let now = Self.timestamp()
    return try await database.write { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT name, latest_version, created_at FROM pattern WHERE id = ? AND owner_id = ?",
          arguments: [id, owner])
      else { throw StoreError.notFound }
      let latest: Int = row["latest_version"]
      if let baseVersion, baseVersion != latest { throw StoreError.staleVersion(latest: latest) }
      let newName = name ?? row["name"]
      let seq = (try Int.fetchOne(db, sql: "SELECT MAX(seq) + 1 FROM pattern")) ?? 1
      try db.execute(
        sql: "UPDATE pattern SET name = ?, latest_version = ?, updated_at = ?, seq = ? WHERE id = ?",
        arguments: [newName, latest + 1, now, seq, id])
      try db.execute(
        sql: "INSERT INTO pattern_version (pattern_id, version, name, pattern_code, created_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [id, latest + 1, newName, code, now])
      return StoredPattern(
        id: id, name: newName, patternCode: code, version: latest + 1, createdAt: row["created_at"], updatedAt: now)
    }
  }

  /// Who may read pattern `p`: its owner, and users who opened a live share link of it (`share_access`).
  static let readable = """
    (p.owner_id = :user OR EXISTS (SELECT 1 FROM share_access a JOIN share_link s ON s.id = a.share_id
      WHERE a.user_id = :user AND s.pattern_id = p.id))
    """

  /// The latest version of `id`, or the given one; nil when either is unknown or `reader` (when given) may not
  /// read it (`readable`). A nil `reader` is for share links, whose capability was checked already. Only the
  /// owner reads earlier versions: a share link opens the pattern as it is now, not its history.
  func load(id: String, version: Int? = nil, owner reader: Int64?) async throws -> StoredPattern? {
    try await database.read { db in
      let sql = """
        SELECT p.id, v.name, v.pattern_code, v.version, p.created_at, v.created_at AS updated_at
        FROM pattern p JOIN pattern_version v ON v.pattern_id = p.id
        WHERE p.id = :id AND v.version = COALESCE(:version, p.latest_version)
          AND (p.owner_id = :user OR (v.version = p.latest_version AND (:user IS NULL OR \(Self.readable))))
        """
      let arguments: StatementArguments = ["id": id, "version": version, "user": reader]
      return try Row.fetchOne(db, sql: sql, arguments: arguments).map {
        StoredPattern(
          id: $0["id"], name: $0["name"], patternCode: $0["pattern_code"], version: $0["version"],
          createdAt: $0["created_at"], updatedAt: $0["updated_at"])
      }
    }
  }

  /// One page of patterns, most recently changed first, and how many there are in all.
  /// One page of the patterns `user` may read (their own, and those shared with them), most recently changed
  /// first, and how many there are in all.
  func list(owner user: Int64, limit: Int, offset: Int) async throws -> (patterns: [PatternSummary], total: Int) {
    try await database.read { db in
      let total =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pattern p WHERE \(Self.readable)", arguments: ["user": user])
        ?? 0
      let sql = """
        SELECT p.id, p.name, p.latest_version AS version, p.created_at, p.updated_at,
               LENGTH(CAST(v.pattern_code AS BLOB)) AS size, p.owner_id <> :user AS shared
        FROM pattern p JOIN pattern_version v ON v.pattern_id = p.id AND v.version = p.latest_version
        WHERE \(Self.readable)
        ORDER BY p.seq DESC LIMIT :limit OFFSET :offset
        """
      let rows = try Row.fetchAll(db, sql: sql, arguments: ["user": user, "limit": limit, "offset": offset])
      return (rows.map(Self.summary), total)
    }
  }

  /// Every version of `id`, oldest first; nil when the id is unknown or `reader` is not its owner (a share link
  /// opens the latest version only).
  func versions(id: String, owner reader: Int64) async throws -> [PatternSummary]? {
    try await database.read { db in
      guard
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM pattern p WHERE p.id = :id AND p.owner_id = :user",
          arguments: ["id": id, "user": reader]) != nil
      else {
        return nil
      }
      let sql = """
        SELECT pattern_id AS id, name, version, created_at, created_at AS updated_at,
               LENGTH(CAST(pattern_code AS BLOB)) AS size
        FROM pattern_version WHERE pattern_id = ? ORDER BY version
        """
      return try Row.fetchAll(db, sql: sql, arguments: [id]).map(Self.summary)
    }
  }

  /// Deletes `id` and all its versions; false when it was unknown.
  func delete(id: String, owner: Int64) async throws -> Bool {
    try await database.write { db in
      try db.execute(sql: "DELETE FROM pattern WHERE id = ? AND owner_id = ?", arguments: [id, owner])
      return db.changesCount > 0
    }
  }

  private static func summary(_ row: Row) -> PatternSummary {
    PatternSummary(
      id: row["id"], name: row["name"], version: row["version"], createdAt: row["created_at"],
      updatedAt: row["updated_at"], size: row["size"], shared: row["shared"] ?? false)
  }

  /// Now as ISO 8601 UTC with milliseconds (sorts as text).
  static func timestamp(_ date: Date = Date()) -> String {
    Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
  }
}

enum StoreError: Error, Equatable {
  case notFound
  case staleVersion(latest: Int)
}

/// Carries the admin's one-time password out of the migration closure (written once, during `migrate`).
final class AdminPasswordBox: @unchecked Sendable {
  var password: String?
}
