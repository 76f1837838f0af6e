/// An account of the studio server: who a request acts for, and who owns a pattern.
public struct StudioUser: Sendable, Equatable {
  /// The row id in the `user` table.
  public var id: Int64
  /// The login name (1 … 64 characters: letters, digits, `.`, `_`, `-`).
  public var name: String

  /// The first user, created by the migration that introduced accounts; it owns every pattern saved before.
  public static let adminName = "admin"

  /// Whether `name` may name an account: 1 … 64 ASCII letters, digits, `.`, `_` or `-`, not starting with `-`.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix("-")
      && name.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
      }
  }
}
