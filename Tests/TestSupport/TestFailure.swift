/// A test's own failure with a message (when a helper cannot go on).
public struct TestFailure: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
