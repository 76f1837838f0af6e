/// A stable sort for the front end's event order and the scheduler's voice order, beside the standard library's.
///
/// Why: the standard library's stable sort keeps its runs in a `[Range<Int>]`, and the first such array has the Swift
/// runtime look up `Int: Comparable` by scanning every conformance record in `pstudio` (the statically linked
/// Foundation and packages included): ~0.1 ms on each thread that expands W2's events (`perf`, 60 fresh `check`s),
/// and again in the schedule, once per process.
public enum StableSort {
  /// The shortest run merged: a shorter stretch already in order is lengthened by insertion.
  @usableFromInline static let minimumRun = 32

  /// Sorts `items` by `less`, equal items keeping their order. The stretches already in order are found first (at
  /// least `minimumRun` items each, lengthened by insertion), then merged in pairs, a pair already in order copied
  /// after one comparison: a list made of a few sorted runs — a part's events, block after block — costs a few
  /// comparisons per item. O(n log n) at worst; `less` must be a strict weak order.
  /// Inlinable, so the engine's calls are specialised for their element type too.
  @inlinable
  public static func sort<T>(_ items: inout [T], by less: (T, T) -> Bool) {
    let count = items.count
    guard count > 1 else { return }
    // Where each run ends (the last is `count`).
    var ends: [Int] = []
    items.withUnsafeMutableBufferPointer { a in
      var start = 0
      while start < count {
        var end = start + 1
        while end < count, !less(a[end], a[end - 1]) { end += 1 }
        let wanted = min(start + minimumRun, count)
        // Lengthened by insertion: an item moves left only past greater ones, so equal items keep their order.
        while end < wanted {
          let item = a[end]
          var j = end
          while j > start, less(item, a[j - 1]) {
            a[j] = a[j - 1]
            j -= 1
          }
          a[j] = item
          end += 1
        }
        ends.append(end)
        start = end
      }
    }
    guard ends.count > 1 else { return }
    // Moved out, so the first pass's copy is the only one (a second array sharing the buffer was copied again).
    var source: [T] = []
    swap(&source, &items)
    var target = source
    while ends.count > 1 {
      var merged: [Int] = []
      source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { t in
          var low = 0
          var k = 0
          while k < ends.count {
            let middle = ends[k]
            let high = k + 1 < ends.count ? ends[k + 1] : middle
            merge(s, low, middle, high, into: t, by: less)
            merged.append(high)
            low = high
            k += 2
          }
        }
      }
      swap(&source, &target)
      ends = merged
    }
    items = source
  }

  /// `items` sorted by `less`, equal items keeping their order (`sort`); taken, so a list the caller no longer
  /// needs is sorted where it is, not copied.
  @inlinable
  public static func sorted<T>(_ items: consuming [T], by less: (T, T) -> Bool) -> [T] {
    sort(&items, by: less)
    return items
  }

  /// `s[low..<middle]` and `s[middle..<high]`, each sorted, merged into `t[low..<high]`; on equal items the left
  /// run's come first.
  @usableFromInline
  static func merge<T>(
    _ s: UnsafeBufferPointer<T>, _ low: Int, _ middle: Int, _ high: Int, into t: UnsafeMutableBufferPointer<T>,
    by less: (T, T) -> Bool
  ) {
    var (i, j, k) = (low, middle, low)
    if middle < high, less(s[middle], s[middle - 1]) {
      while i < middle, j < high {
        if less(s[j], s[i]) {
          t[k] = s[j]
          j += 1
        } else {
          t[k] = s[i]
          i += 1
        }
        k += 1
      }
    }
    while i < middle {
      t[k] = s[i]
      (i, k) = (i + 1, k + 1)
    }
    while j < high {
      t[k] = s[j]
      (j, k) = (j + 1, k + 1)
    }
  }
}
