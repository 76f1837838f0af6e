/// The attributes of the statement being parsed, moved into an array of exactly their count when it is done: no
/// array grown per statement (1, 2, 4, 8 … moved each attribute several times), and no copy on the way out, so
/// their texts are not retained and released again. Empty between statements.
final class AttributeScratch {
  private var base: UnsafeMutablePointer<Attribute>
  private var capacity = 16
  private(set) var count = 0

  init() { base = .allocate(capacity: capacity) }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  func append(_ attribute: Attribute) {
    if count == capacity {
      let larger = UnsafeMutablePointer<Attribute>.allocate(capacity: capacity * 2)
      larger.moveInitialize(from: base, count: count)
      base.deallocate()
      (base, capacity) = (larger, capacity * 2)
    }
    (base + count).initialize(to: attribute)
    count += 1
  }

  /// The attributes read, in order; the scratch is left empty.
  func take() -> [Attribute] {
    let n = count
    guard n > 0 else { return [] }
    count = 0
    return [Attribute](unsafeUninitializedCapacity: n) { buffer, initialized in
      buffer.baseAddress!.moveInitialize(from: base, count: n)
      initialized = n
    }
  }

  /// Drops what was read (a statement given up after an error).
  func discard() {
    base.deinitialize(count: count)
    count = 0
  }
}
