import Foundation

/// Values written from several threads by index, read back in index order (`Parallel`).
final class ResultBox<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T?]

  init(count: Int) { items = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: T) { lock.withLock { items[i] = value } }

  /// Every value set, in index order.
  var all: [T] { lock.withLock { items.compactMap { $0 } } }
}

/// Read-only values shared with worker threads after they were built (nothing writes them any more).
final class UncheckedShared<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
