/// `shard.json` in a shard's folder, written after its last unit: which plan and shard it holds.
public struct AlbumShardManifest: Codable, Sendable, Equatable {
  public var planHash: String
  /// 0-based, of `shardCount`.
  public var shardIndex: Int
  public var shardCount: Int
  public var strategy: ShardStrategy
  /// The unit ids of this shard, in plan order.
  public var units: [String]

  static let fileName = "shard.json"
}
