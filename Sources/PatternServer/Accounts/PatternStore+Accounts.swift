import Foundation
import GRDB
import HummingbirdBcrypt

/// Accounts in the pattern database: users (bcrypt password hashes), credentials (API tokens and sessions) and
/// share links, the latter two stored as an id and the SHA-256 of their secret (`Credential`).
extension PatternStore {
  /// What a credential row is.
  enum CredentialKind: String {
    case token, session
  }

  /// The migration to accounts: the tables, `pattern.owner_id`, and the first user `admin` (with a random
  /// one-time password, kept in `created` for the `serve` that migrates to print) owning every pattern so far.
  static func migrateToAccounts(_ db: Database, passwordCost: UInt8, created: AdminPasswordBox) throws {
    try db.create(table: "user") { t in
      t.autoIncrementedPrimaryKey("id")
      t.column("name", .text).notNull().unique()
      t.column("password_hash", .text).notNull()
      t.column("created_at", .text).notNull()
    }
    try db.create(table: "credential") { t in
      t.primaryKey("id", .text)
      t.column("kind", .text).notNull()
      t.column("user_id", .integer).notNull().references("user", onDelete: .cascade)
      t.column("secret_hash", .text).notNull()
      t.column("created_at", .text).notNull()
      // Sessions end; API tokens do not (null).
      t.column("expires_at", .text)
    }
    try db.alter(table: "pattern") { t in
      t.add(column: "owner_id", .integer).references("user", onDelete: .cascade)
    }
    try db.create(table: "share_link") { t in
      t.primaryKey("id", .text)
      t.column("pattern_id", .text).notNull().references("pattern", onDelete: .cascade)
      t.column("secret_hash", .text).notNull()
      t.column("created_at", .text).notNull()
    }
    // Who opened a share link while logged in: they may read (not change) the pattern while the link lives.
    try db.create(table: "share_access") { t in
      t.column("user_id", .integer).notNull().references("user", onDelete: .cascade)
      t.column("share_id", .text).notNull().references("share_link", onDelete: .cascade)
      t.primaryKey(["user_id", "share_id"])
    }
    try db.create(index: "pattern_by_owner", on: "pattern", columns: ["owner_id", "seq"])
    let password = PatternID.make()
    try db.execute(
      sql: "INSERT INTO user (name, password_hash, created_at) VALUES (?, ?, ?)",
      arguments: [StudioUser.adminName, Bcrypt.hash(password, cost: passwordCost), timestamp()])
    try db.execute(sql: "UPDATE pattern SET owner_id = ?", arguments: [db.lastInsertedRowID])
    created.password = password
  }

  // MARK: Users

  /// Adds a user; false when the name is taken.
  func addUser(name: String, password: String) async throws -> Bool {
    let hash = try await Offload.run { [passwordCost] in Bcrypt.hash(password, cost: passwordCost) }
    return try await database.write { db in
      guard try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) == nil else {
        return false
      }
      try db.execute(
        sql: "INSERT INTO user (name, password_hash, created_at) VALUES (?, ?, ?)",
        arguments: [name, hash, Self.timestamp()])
      return true
    }
  }

  /// Sets a user's password and ends their sessions; false when there is no such user.
  func setPassword(name: String, password: String) async throws -> Bool {
    let hash = try await Offload.run { [passwordCost] in Bcrypt.hash(password, cost: passwordCost) }
    return try await database.write { db in
      try db.execute(sql: "UPDATE user SET password_hash = ? WHERE name = ?", arguments: [hash, name])
      guard db.changesCount > 0 else { return false }
      try db.execute(
        sql: "DELETE FROM credential WHERE kind = 'session' AND user_id = (SELECT id FROM user WHERE name = ?)",
        arguments: [name])
      return true
    }
  }

  /// Removes a user with their tokens, sessions and patterns; nil when there is no such user, else how many
  /// patterns went with them.
  func removeUser(name: String) async throws -> Int? {
    try await database.write { db in
      guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) else {
        return nil
      }
      let patterns = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pattern WHERE owner_id = ?", arguments: [id]) ?? 0
      try db.execute(sql: "DELETE FROM user WHERE id = ?", arguments: [id])
      return patterns
    }
  }

  /// Every user with how many patterns and API tokens each has, by name.
  func users() async throws -> [(name: String, patterns: Int, tokens: Int, createdAt: String)] {
    try await database.read { db in
      let sql = """
        SELECT u.name, u.created_at,
          (SELECT COUNT(*) FROM pattern p WHERE p.owner_id = u.id) AS patterns,
          (SELECT COUNT(*) FROM credential c WHERE c.user_id = u.id AND c.kind = 'token') AS tokens
        FROM user u ORDER BY u.name
        """
      return try Row.fetchAll(db, sql: sql).map {
        (name: $0["name"], patterns: $0["patterns"], tokens: $0["tokens"], createdAt: $0["created_at"])
      }
    }
  }

  /// The user called `name`.
  func user(named name: String) async throws -> StudioUser? {
    try await database.read { db in
      try Row.fetchOne(db, sql: "SELECT id, name FROM user WHERE name = ?", arguments: [name]).map {
        StudioUser(id: $0["id"], name: $0["name"])
      }
    }
  }

  /// The user and the bcrypt hash a login checks against.
  func passwordHash(name: String) async throws -> (StudioUser, String)? {
    try await database.read { db in
      try Row.fetchOne(db, sql: "SELECT id, name, password_hash FROM user WHERE name = ?", arguments: [name]).map {
        (StudioUser(id: $0["id"], name: $0["name"]), $0["password_hash"])
      }
    }
  }

  // MARK: Credentials

  /// Stores a new API token or session for `user` (a session ends after `lifetimeSeconds`) and returns the
  /// token text, which is not kept.
  func mintCredential(_ kind: CredentialKind, user: Int64, lifetimeSeconds: Double? = nil) async throws -> String {
    let minted = Credential.mint(prefix: kind == .token ? Credential.apiTokenPrefix : "")
    let now = Date()
    let expires = lifetimeSeconds.map { Self.timestamp(now.addingTimeInterval($0)) }
    try await database.write { db in
      // Ended sessions go when new ones start, so the table does not grow with every login.
      try db.execute(
        sql: "DELETE FROM credential WHERE expires_at IS NOT NULL AND expires_at <= ?", arguments: [Self.timestamp(now)]
      )
      try db.execute(
        sql: """
          INSERT INTO credential (id, kind, user_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [minted.id, kind.rawValue, user, minted.secretHash, Self.timestamp(now), expires])
    }
    return minted.token
  }

  /// A new API token for the user called `name`; nil when there is none.
  func mintToken(userName name: String) async throws -> String? {
    guard let user = try await user(named: name) else { return nil }
    return try await mintCredential(.token, user: user.id)
  }

  /// Deletes every API token of the user called `name` (scripts using them get 401 from the next request on):
  /// how many there were; nil when there is no such user.
  func revokeTokens(userName name: String) async throws -> Int? {
    guard let user = try await user(named: name) else { return nil }
    return try await database.write { db in
      try db.execute(sql: "DELETE FROM credential WHERE kind = 'token' AND user_id = ?", arguments: [user.id])
      return db.changesCount
    }
  }

  /// The user a presented token or session cookie stands for; nil when it is unknown, expired or forged.
  func user(forCredential token: Substring, kind: CredentialKind) async throws -> StudioUser? {
    guard let (id, secret) = Credential.parse(token, prefix: kind == .token ? Credential.apiTokenPrefix : "") else {
      return nil
    }
    let row = try await database.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT c.secret_hash, c.expires_at, u.id, u.name FROM credential c JOIN user u ON u.id = c.user_id
          WHERE c.id = ? AND c.kind = ?
          """, arguments: [id, kind.rawValue])
    }
    guard let row, Credential.matches(secret, storedHash: row["secret_hash"]) else { return nil }
    if let expires: String = row["expires_at"], expires <= Self.timestamp() { return nil }
    return StudioUser(id: row["id"], name: row["name"])
  }

  /// Ends a session (logout); nothing happens for an unknown one.
  func endSession(_ token: Substring) async throws {
    guard let (id, secret) = Credential.parse(token) else { return }
    try await database.write { db in
      guard
        let hash = try String.fetchOne(
          db, sql: "SELECT secret_hash FROM credential WHERE id = ? AND kind = 'session'", arguments: [id]),
        Credential.matches(secret, storedHash: hash)
      else { return }
      try db.execute(sql: "DELETE FROM credential WHERE id = ?", arguments: [id])
    }
  }

  // MARK: Share links

  /// A new read-only link to `pattern` (owned by `owner`); nil when `owner` does not own it.
  func share(pattern: String, owner: Int64) async throws -> String? {
    let minted = Credential.mint()
    return try await database.write { db in
      guard
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM pattern WHERE id = ? AND owner_id = ?", arguments: [pattern, owner]) != nil
      else { return nil }
      try db.execute(
        sql: "INSERT INTO share_link (id, pattern_id, secret_hash, created_at) VALUES (?, ?, ?, ?)",
        arguments: [minted.id, pattern, minted.secretHash, Self.timestamp()])
      return minted.token
    }
  }

  /// Revokes a link of `pattern` (owned by `owner`); false when there is no such link of a pattern of theirs.
  func revokeShare(_ token: Substring, pattern: String, owner: Int64) async throws -> Bool {
    guard let (id, secret) = Credential.parse(token) else { return false }
    return try await database.write { db in
      guard
        let hash = try String.fetchOne(
          db,
          sql: """
            SELECT s.secret_hash FROM share_link s JOIN pattern p ON p.id = s.pattern_id
            WHERE s.id = ? AND s.pattern_id = ? AND p.owner_id = ?
            """, arguments: [id, pattern, owner]),
        Credential.matches(secret, storedHash: hash)
      else { return false }
      try db.execute(sql: "DELETE FROM share_link WHERE id = ?", arguments: [id])
      return true
    }
  }

  /// Remembers that `user` opened the share link `token` (of someone else's pattern): the pattern is then
  /// listed for them and readable by id until the link is revoked. Nothing happens for an invalid link.
  func rememberShare(_ token: Substring, user: Int64) async throws {
    guard let (id, secret) = Credential.parse(token) else { return }
    try await database.write { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT s.secret_hash, p.owner_id FROM share_link s JOIN pattern p ON p.id = s.pattern_id WHERE s.id = ?
            """, arguments: [id]),
        Credential.matches(secret, storedHash: row["secret_hash"]), row["owner_id"] != user
      else { return }
      try db.execute(
        sql: "INSERT OR IGNORE INTO share_access (user_id, share_id) VALUES (?, ?)", arguments: [user, id])
    }
  }

  /// The pattern id a share link opens; nil when the link is unknown, revoked or forged.
  func sharedPattern(_ token: Substring) async throws -> String? {
    guard let (id, secret) = Credential.parse(token) else { return nil }
    let row = try await database.read { db in
      try Row.fetchOne(db, sql: "SELECT pattern_id, secret_hash FROM share_link WHERE id = ?", arguments: [id])
    }
    guard let row, Credential.matches(secret, storedHash: row["secret_hash"]) else { return nil }
    return row["pattern_id"]
  }
}
