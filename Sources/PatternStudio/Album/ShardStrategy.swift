/// How an album's units are dealt to shards.
public enum ShardStrategy: String, Codable, Sendable, CaseIterable {
  /// By a stable hash of each unit's id: adding or editing a song moves no other unit.
  case hash
  /// Longest processing time first, on each unit's cost estimate: shards of more even length, but adding a
  /// song may move others.
  case lpt

  /// The shard (0-based) of every unit, in plan order.
  public func assign(_ units: [AlbumUnit], count: Int) -> [Int] {
    precondition(count >= 1)
    switch self {
    case .hash:
      // The id's first 64 bits, modulo the count (the id is a SHA-256: uniform).
      return units.map { unit in
        Int(UInt64(unit.unitId.prefix(16), radix: 16).map { $0 % UInt64(count) } ?? 0)
      }
    case .lpt:
      var shard = [Int](repeating: 0, count: units.count)
      var load = [Int64](repeating: 0, count: count)
      // Longest first (ties: plan order), each to the least loaded shard (ties: the lower index).
      let order = units.indices.sorted {
        units[$0].frames != units[$1].frames ? units[$0].frames > units[$1].frames : $0 < $1
      }
      // A song listed twice is one unit: its copies go where its first went.
      var placed = [String: Int]()
      for i in order {
        if let s = placed[units[i].unitId] {
          shard[i] = s
          continue
        }
        let s = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
        placed[units[i].unitId] = s
        shard[i] = s
        load[s] += max(1, units[i].frames)
      }
      return shard
    }
  }
}
