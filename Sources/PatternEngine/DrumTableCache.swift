import Synchronization

/// Rendered drum hits kept between the renders of one process (`DrumTables` uses `shared`): a hit is a pure
/// function of its sound, the sample rate and the song's seed, so a server worker re-rendering an edited song,
/// or an album whose songs share a seed, synthesises each kit once (measured: 4 % of a server render of 30 s of
/// W2).
///
/// Bounded: past `capacity` samples the oldest entries go first. The arrays are immutable once stored, and
/// copy-on-write, so a render keeps using its tables after they leave the cache.
final class DrumTableCache: Sendable {
  struct Key: Hashable {
    var sound: DrumSound
    var sampleRate: Int
    var seed: UInt64
  }

  /// The process's cache: at most 8 M floats (32 MiB).
  static let shared = DrumTableCache(capacity: 8 << 20)

  /// The most samples kept (all variants of all entries).
  let capacity: Int

  private struct Store {
    var tables: [Key: [[Float]]] = [:]
    /// Keys in insertion order (for eviction; a handful of entries, so an array).
    var order: [Key] = []
    var samples = 0
  }

  private let store = Mutex(Store())

  init(capacity: Int) { self.capacity = capacity }

  /// Samples kept now.
  var keptSamples: Int { store.withLock { $0.samples } }

  /// Whether the variants of `key` are kept.
  func contains(_ key: Key) -> Bool { store.withLock { $0.tables[key] != nil } }

  /// The variants of `key`, rendered by `render` when they are not kept (outside the lock: two renders may
  /// both synthesise a new kit, and the second stores the same samples).
  func variants(_ key: Key, render: () -> [[Float]]) -> [[Float]] {
    if let kept = store.withLock({ $0.tables[key] }) { return kept }
    let rendered = render()
    let size = rendered.reduce(0) { $0 + $1.count }
    guard size <= capacity else { return rendered }
    store.withLock { s in
      guard s.tables[key] == nil else { return }
      while s.samples + size > capacity, !s.order.isEmpty {
        let oldest = s.order.removeFirst()
        s.samples -= s.tables.removeValue(forKey: oldest).map { $0.reduce(0) { $0 + $1.count } } ?? 0
      }
      s.tables[key] = rendered
      s.order.append(key)
      s.samples += size
    }
    return rendered
  }
}
