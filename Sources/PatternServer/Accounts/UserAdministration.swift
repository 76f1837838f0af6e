import Foundation

/// What `pstudio users` does to a server's database (the server may be running: SQLite in WAL mode serialises
/// the writes). Blocking calls, for the command line.
public struct UserAdministration: Sendable {
  /// A failure the command line reports as a usage or input error.
  public enum Failure: Error, CustomStringConvertible {
    case invalidName(String)
    case exists(String)
    case unknown(String)
    case adminIsNeeded
    case ownsPatterns(String, Int)
    case emptyPassword

    public var description: String {
      switch self {
      case .invalidName(let name):
        "'\(name)' cannot be a user name: 1 … 64 letters, digits, '.', '_' or '-', not starting with '-'"
      case .exists(let name): "there is already a user '\(name)'"
      case .unknown(let name): "there is no user '\(name)'"
      case .adminIsNeeded: "'admin' cannot be removed: it owns every pattern of a server running without --auth"
      case .ownsPatterns(let name, let count):
        "'\(name)' owns \(count) pattern\(count == 1 ? "" : "s"); remove with --delete-patterns to delete them too"
      case .emptyPassword: "the password is empty"
      }
    }
  }

  /// One user in `list`.
  public struct Entry: Sendable {
    public var name: String
    public var patterns: Int
    public var tokens: Int
    /// ISO 8601, UTC.
    public var createdAt: String
  }

  private let store: PatternStore

  /// Opens (and migrates) the database at `path`: a database created or upgraded here has a new `admin`, whose
  /// one-time password is `adminPassword`.
  public init(databasePath: String, passwordCost: UInt8 = 12) throws {
    store = try PatternStore(path: databasePath, passwordCost: passwordCost)
  }

  /// `admin`'s one-time password when this open created it.
  public var adminPassword: String? { store.adminPassword }

  /// Adds a user with `password` (stored as a bcrypt hash).
  public func add(_ name: String, password: String) throws {
    guard StudioUser.isValidName(name) else { throw Failure.invalidName(name) }
    guard !password.isEmpty else { throw Failure.emptyPassword }
    guard try blocking({ try await store.addUser(name: name, password: password) }) else { throw Failure.exists(name) }
  }

  /// Sets a user's password (their sessions end).
  public func setPassword(_ name: String, password: String) throws {
    guard !password.isEmpty else { throw Failure.emptyPassword }
    guard try blocking({ try await store.setPassword(name: name, password: password) }) else {
      throw Failure.unknown(name)
    }
  }

  /// Removes a user, their tokens and sessions; refuses one who owns patterns unless `deletePatterns`.
  /// Returns how many patterns went with them.
  @discardableResult
  public func remove(_ name: String, deletePatterns: Bool) throws -> Int {
    guard name != StudioUser.adminName else { throw Failure.adminIsNeeded }
    let entry = try list().first { $0.name == name }
    guard let entry else { throw Failure.unknown(name) }
    if entry.patterns > 0 && !deletePatterns { throw Failure.ownsPatterns(name, entry.patterns) }
    return try blocking({ try await store.removeUser(name: name) }) ?? 0
  }

  /// A new API token for `name` (printed once; only its hash is kept).
  public func token(_ name: String) throws -> String {
    guard let token = try blocking({ try await store.mintToken(userName: name) }) else { throw Failure.unknown(name) }
    return token
  }

  /// Revokes every API token of `name` (a leaked one, say): how many there were.
  public func revokeTokens(_ name: String) throws -> Int {
    guard let count = try blocking({ try await store.revokeTokens(userName: name) }) else {
      throw Failure.unknown(name)
    }
    return count
  }

  /// Every user, by name.
  public func list() throws -> [Entry] {
    try blocking { try await store.users() }.map {
      Entry(name: $0.name, patterns: $0.patterns, tokens: $0.tokens, createdAt: $0.createdAt)
    }
  }

  /// Runs `work` on a task and waits for it on this (non-cooperative) thread.
  private func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    Task {
      do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
      box.done.signal()
    }
    box.done.wait()
    return try box.result!.get()
  }
}

/// A task's result handed to a waiting thread: written before `done` is signalled, read after it is waited for.
private final class ResultBox<T>: @unchecked Sendable {
  var result: Result<T, any Error>?
  let done = DispatchSemaphore(value: 0)
}
