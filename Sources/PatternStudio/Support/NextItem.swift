import Foundation

/// The items of a fixed order, handed out one at a time to whichever thread asks (`Parallel.forEach(order:)`).
final class NextItem: @unchecked Sendable {
  private let lock = NSLock()
  private let order: [Int]
  private var position = 0

  /// - Parameter order: The items, in the order they are handed out.
  init(_ order: [Int]) { self.order = order }

  /// The next item, nil when every one was taken.
  func take() -> Int? {
    lock.withLock {
      guard position < order.count else { return nil }
      defer { position += 1 }
      return order[position]
    }
  }
}
