/// One track of an export, as the manifest records it.
public struct AlbumTrack: Codable, Sendable, Equatable {
  /// What happened to a track in this export.
  public enum Status: String, Codable, Sendable {
    case rendered
    /// Skipped: up to date.
    case unchanged
    case failed
  }

  public var number: Int
  public var title: String
  public var source: String
  public var file: String?
  public var status: Status
  /// The file's length (the gap included), seconds and frames.
  public var seconds: Double?
  public var frames: Int64?
  /// Digital silence at the end of the file before the next track (`gap` in album.json; absent: none, as
  /// for the last track).
  public var gapSeconds: Double? = nil
  public var pcm: String?
  /// The loudness this track should have: its own at the album gain, after its limiter if it has one.
  public var targetLufs: Double?
  /// Integrated loudness and true peak of the file as written (nil: the track is silent).
  public var loudnessLufs: Double?
  public var truePeakDbtp: Double?
  /// Gain applied (track gain + album gain), dB.
  public var gainDb: Double?
  /// When the true-peak limiter was on for this track: its largest gain reduction, dB (absent: no limiter).
  public var limiterReductionDb: Double? = nil
  public var sourceSha256: String
  /// Everything the file depends on; equal keys mean the file is up to date.
  public var key: String?
  public var errors: [String]?
  /// Why a failed track failed: its song (`input`) or the system (`io`: a file that could not be read or written).
  public var failure: Failure?

  public enum Failure: String, Codable, Sendable {
    /// The song (`input`), the system (`io`), or a merge with `--allow-partial` that lacked its unit (`missing`).
    case input, io, missing
  }
}
