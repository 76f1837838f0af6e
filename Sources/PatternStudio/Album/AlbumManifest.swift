/// The export's manifest (`album.json` in the output folder). Keys are camelCase, acronyms as words
/// (`albumLufs`, `truePeakDbtp`), like every JSON Pattern Studio prints.
public struct AlbumManifest: Codable, Sendable {
  public var title: String
  public var artist: String?
  public var year: String?
  public var genre: String?
  public var engine: Int
  public var targetLufs: Double?
  public var albumLufs: Double?
  public var albumGainDb: Double
  public var truePeakCeilingDbtp: Double
  public var tracks: [AlbumTrack]
}
