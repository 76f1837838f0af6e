/// Values computed on several threads, one index each, read once all have finished (`concurrentPerform` returns
/// only after every iteration): the front end's parts and `Parallel`'s maps. The slots are separate elements of a
/// buffer allocated once, so writing one is not an access to the others, and no lock is needed.
package final class ResultBox<Value>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<Value?>
  private let count: Int

  package init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }

  /// Stores the value of `index`; each index from one thread, once.
  package func set(_ index: Int, _ value: Value) {
    precondition(index >= 0 && index < count)
    slots[index] = value
  }

  /// The value stored at `index` (nil when none was), after every thread has finished.
  package func value(at index: Int) -> Value? {
    precondition(index >= 0 && index < count)
    return slots[index]
  }

  /// Every value stored, in index order, after every thread has finished.
  package var all: [Value] { (0..<count).compactMap { slots[$0] } }
}
