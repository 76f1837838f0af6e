/// One unit of an album's work: one song rendered to its pre-master sum at the album's settings — what a
/// shard, a Slurm array task or a Ray task renders, named by `unitId`.
public struct AlbumUnit: Codable, Sendable, Equatable {
  /// SHA-256 (hex) of everything the unit's audio depends on: the source bytes, the content of every
  /// instrument and sample file it resolves, the sample rate, stems on or off and the engine version. Never
  /// a path, a time or a host: the same song gives the same id anywhere.
  public var unitId: String
  /// The track number (1-based) and the song's file in the album folder.
  public var number: Int
  public var song: String
  public var title: String
  /// The file the merge writes for it (`01 - Title.flac`).
  public var output: String
  /// The cost estimate: frames the song's notes last at the album's rate (0 when it does not compile).
  public var frames: Int64

  public init(unitId: String, number: Int, song: String, title: String, output: String, frames: Int64) {
    self.unitId = unitId
    self.number = number
    self.song = song
    self.title = title
    self.output = output
    self.frames = frames
  }
}
