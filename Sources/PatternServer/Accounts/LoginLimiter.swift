import HummingbirdBcrypt
import Synchronization

/// Counts failed logins per user name and per client address in a sliding window: past `maxFailures` within
/// `windowSeconds` a key is refused (429) until its oldest failure leaves the window. A correct password clears
/// the user's count (not the address's: one address trying many names stays limited). Also keeps the decoy
/// hash unknown names are checked against.
final class LoginLimiter: Sendable {
  let maxFailures: Int
  let windowSeconds: Double
  private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
  /// Keys kept at most (older entries are dropped first when full), so a flood of names cannot grow memory.
  private let maxKeys = 10_000
  /// A bcrypt hash of nothing anyone knows, at the server's cost (made on first need).
  private let decoy = Mutex<String?>(nil)

  init(maxFailures: Int, windowSeconds: Double) {
    self.maxFailures = maxFailures
    self.windowSeconds = windowSeconds
  }

  /// The keys of one login attempt.
  static func keys(user: String, address: String) -> [String] { ["user:" + user, "address:" + address] }

  /// Seconds until `keys` may try again (rounded up, at least 1); nil when they may now.
  func retryAfter(_ keys: [String], now: ContinuousClock.Instant = .now) -> Int? {
    failures.withLock { table in
      var wait = 0.0
      for key in keys {
        let recent = (table[key] ?? []).filter { now - $0 < .seconds(windowSeconds) }
        table[key] = recent.isEmpty ? nil : recent
        if recent.count >= maxFailures, let oldest = recent.first {
          let left = windowSeconds - Self.seconds(now - oldest)
          wait = max(wait, left)
        }
      }
      return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }
  }

  /// Counts a failed attempt against every key.
  func fail(_ keys: [String], now: ContinuousClock.Instant = .now) {
    failures.withLock { table in
      if table.count >= maxKeys {
        table = table.filter { $0.value.last.map { now - $0 < .seconds(windowSeconds) } ?? false }
        if table.count >= maxKeys { table.removeAll() }
      }
      for key in keys { table[key, default: []].append(now) }
    }
  }

  /// Forgets the failures of `key` (a successful login).
  func clear(_ key: String) {
    _ = failures.withLock { $0.removeValue(forKey: key) }
  }

  /// What an unknown name's password is checked against, so a login takes as long whether the name exists or
  /// not (the hash has the same cost as real ones).
  func decoyHash(cost: UInt8) async throws -> String {
    if let hash = decoy.withLock({ $0 }) { return hash }
    let hash = try await Offload.run { Bcrypt.hash(PatternID.make(), cost: cost) }
    decoy.withLock { $0 = $0 ?? hash }
    return decoy.withLock { $0 } ?? hash
  }

  private static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}
