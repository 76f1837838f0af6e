/// Results computed on several threads, one slot each, read once all have finished (`concurrentPerform` returns
/// only after every iteration): the slots are separate elements of a buffer allocated once, so writing one is not
/// an access to the others.
final class SlotResults<Value>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<Value?>
  private let count: Int

  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }

  /// Called once per index, each from one thread.
  func store(_ value: Value, at index: Int) {
    precondition(index >= 0 && index < count)
    slots[index] = value
  }

  /// The value stored at `index` (nil when none was), after every thread has finished.
  func value(at index: Int) -> Value? {
    precondition(index >= 0 && index < count)
    return slots[index]
  }
}
