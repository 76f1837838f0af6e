/// A mistake in an album's `album.json`: which file, which field, what was expected.
public struct AlbumPlanError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var message: String
  public var description: String { "\(file): \(message)" }
}
