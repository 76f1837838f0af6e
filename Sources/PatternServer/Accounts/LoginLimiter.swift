import HummingbirdBcrypt
import Synchronization

/// Counts login attempts per user name and per client address in a sliding window: past `maxFailures` for a
/// name (or `addressFactor` times as many for an address: a class behind one NAT or proxy shares it) within
/// `windowSeconds`, a key is refused (429) until its oldest attempt leaves the window. An attempt is counted
/// *before* its password is checked, so a burst of concurrent logins is limited like a sequence; a correct
/// password then takes it back (the name's count is cleared, the address's last attempt removed). At most
/// `maxConcurrentChecks` bcrypt checks run at once (more get 429: no unauthenticated CPU flood). Also keeps the
/// decoy hash unknown names are checked against.
final class LoginLimiter: Sendable {
  let maxFailures: Int
  let windowSeconds: Double
  /// An address may fail this many times as often as a name.
  static let addressFactor = 4
  /// Password checks (bcrypt, ~0.25 s of a core each) at once.
  static let maxConcurrentChecks = 4
  private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
  private let checking = Mutex<Int>(0)
  /// Keys kept at most: when full, stale keys go first, then the least recent of those not locked out.
  private let maxKeys = 10_000
  /// A bcrypt hash of nothing anyone knows, at the server's cost (made on first need).
  private let decoy = Mutex<String?>(nil)

  init(maxFailures: Int, windowSeconds: Double) {
    self.maxFailures = maxFailures
    self.windowSeconds = windowSeconds
  }

  /// The keys of one login attempt: the name (one shared key for anything that is not a valid name, so junk
  /// names cannot grow the table) and the address.
  static func keys(user: String, address: String) -> [String] {
    ["user:" + (StudioUser.isValidName(user) ? user : "(not a name)"), "address:" + address]
  }

  private func limit(_ key: String) -> Int {
    key.hasPrefix("address:") ? maxFailures * Self.addressFactor : maxFailures
  }

  /// Seconds until `keys` may try again (rounded up, at least 1); nil when they may now.
  func retryAfter(_ keys: [String], now: ContinuousClock.Instant = .now) -> Int? {
    failures.withLock { table in wait(keys, in: &table, now: now) }
  }

  /// Counts an attempt against every key unless one is locked out: nil when it may go ahead, else the seconds
  /// to wait (nothing counted).
  func attempt(_ keys: [String], now: ContinuousClock.Instant = .now) -> Int? {
    failures.withLock { table in
      if let seconds = wait(keys, in: &table, now: now) { return seconds }
      record(keys, in: &table, now: now)
      return nil
    }
  }

  /// Counts a failed attempt against every key (without checking first).
  func fail(_ keys: [String], now: ContinuousClock.Instant = .now) {
    failures.withLock { table in record(keys, in: &table, now: now) }
  }

  /// A correct password after `attempt`: the name's failures are forgotten and the attempt no longer counts
  /// against the address.
  func succeeded(_ keys: [String]) {
    failures.withLock { table in
      table.removeValue(forKey: keys[0])
      for key in keys.dropFirst() {
        table[key]?.removeLast()
        if table[key]?.isEmpty == true { table[key] = nil }
      }
    }
  }

  /// Takes a slot for one bcrypt check (false: too many at once); `endCheck` gives it back.
  func beginCheck() -> Bool {
    checking.withLock { n in
      guard n < Self.maxConcurrentChecks else { return false }
      n += 1
      return true
    }
  }

  func endCheck() { checking.withLock { $0 -= 1 } }

  private func wait(_ keys: [String], in table: inout [String: [ContinuousClock.Instant]], now: ContinuousClock.Instant)
    -> Int?
  {
    var wait = 0.0
    for key in keys {
      let recent = (table[key] ?? []).filter { now - $0 < .seconds(windowSeconds) }
      table[key] = recent.isEmpty ? nil : recent
      if recent.count >= limit(key), let oldest = recent.first {
        wait = max(wait, windowSeconds - Self.seconds(now - oldest))
      }
    }
    return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
  }

  private func record(
    _ keys: [String], in table: inout [String: [ContinuousClock.Instant]], now: ContinuousClock.Instant
  ) {
    if table.count >= maxKeys {
      table = table.filter { $0.value.last.map { now - $0 < .seconds(windowSeconds) } ?? false }
      if table.count >= maxKeys {
        // Keep every lockout; of the rest, drop the least recent half.
        let open = table.filter { $0.value.count < limit($0.key) }
          .sorted { ($0.value.last ?? now) < ($1.value.last ?? now) }
        for (key, _) in open.prefix(max(1, open.count / 2)) { table[key] = nil }
      }
    }
    for key in keys { table[key, default: []].append(now) }
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
