/// What rendering one unit produced (`units/ID.json` beside `units/ID.wav`): enough for a merge on another
/// machine to check the file and finish it.
public struct AlbumUnitRecord: Codable, Sendable, Equatable {
  public var unitId: String
  public var song: String
  /// Frames the finished file has (before its gap), without and with the true-peak limiter (its tail).
  public var frames: Int64
  public var limitedFrames: Int64? = nil
  /// The pre-master sum (`units/ID.wav`, 32-bit float, relative to the folder) and the SHA-256 of its bytes;
  /// nil when the song failed or is rendered whole at the merge.
  public var file: String?
  public var sha256: String?
  /// The stems (relative to the folder), in track order; nil without `--stems`.
  public var stems: [String]?
  /// True when the song's master chain is keyed to a track (`comp(key=…)` on the master): its sum is not
  /// enough, so the merge renders it whole from its source.
  public var wholeSong: Bool?
  public var errors: [String]?
  public var failure: AlbumTrack.Failure?

  /// Where a unit's files go in a shard (or unit) folder.
  static func paths(_ unitId: String) -> (audio: String, record: String, stems: String) {
    ("units/\(unitId).wav", "units/\(unitId).json", "units/\(unitId).stems")
  }
}
