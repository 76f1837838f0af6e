import Crypto
import Foundation

/// Bearer secrets — API tokens, session cookies and share links — and how they are stored: a token is a public
/// id (22 characters) followed by a secret (22 characters, 128 bits from the system CSPRNG). The database keeps
/// the id and the SHA-256 of the secret only; a presented token is looked up by its id and its secret's hash
/// compared in constant time, so neither a stolen database nor response timing gives a usable token away.
enum Credential {
  /// The prefix of API tokens (`pst_…`), so a leaked one is recognisable in logs and secret scanners.
  static let apiTokenPrefix = "pst_"

  /// A fresh token: the text handed out once, and what the database keeps of it.
  struct Minted: Sendable {
    var token: String
    var id: String
    var secretHash: String
  }

  /// A new token with `prefix` before the id.
  static func mint(prefix: String = "") -> Minted {
    let id = PatternID.make()
    let secret = PatternID.make()
    return Minted(token: prefix + id + secret, id: id, secretHash: hash(secret))
  }

  /// The id and secret of `token` (after `prefix`), nil when it cannot be one of ours.
  static func parse(_ token: Substring, prefix: String = "") -> (id: String, secret: String)? {
    guard token.hasPrefix(prefix) else { return nil }
    let body = token.dropFirst(prefix.count)
    guard body.utf8.count == 2 * PatternID.length else { return nil }
    let id = body.prefix(PatternID.length)
    let secret = body.dropFirst(PatternID.length)
    guard PatternID.isWellFormed(id), PatternID.isWellFormed(secret) else { return nil }
    return (String(id), String(secret))
  }

  /// SHA-256 of `secret` as 64 lowercase hex digits.
  static func hash(_ secret: String) -> String {
    SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// Whether `secret` hashes to `storedHash`, comparing every byte whatever the first difference.
  static func matches(_ secret: String, storedHash: String) -> Bool {
    constantTimeEqual(Array(hash(secret).utf8), Array(storedHash.utf8))
  }

  /// Equal lengths and bytes; the time depends on the length only.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices { difference |= a[i] ^ b[i] }
    return difference == 0
  }
}
