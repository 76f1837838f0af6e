import Foundation

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
  /// The album's loudness as exported (after the album gain and any limiters), LUFS; nil without
  /// normalisation.
  public var exportedLufs: Double? = nil
  /// The plan the album was exported from (`pstudio album DIR --plan`): equal on one machine and merged.
  public var planHash: String? = nil

  /// "album −14.0 LUFS, limiter on tracks 2 and 5, max reduction 1.8 dB": what normalisation did.
  public var summary: String {
    let level = (exportedLufs ?? albumLufs).map { String(format: "%.1f LUFS", $0) } ?? "silent"
    // Why it landed there: what it measured before, the one gain that moved it, the target and the ceiling.
    var why = ""
    if let target = targetLufs, let measured = albumLufs {
      why = String(
        format: " (measured %.1f LUFS, album gain %+.1f dB to the %.1f LUFS target, ceiling %.1f dBTP)", measured,
        albumGainDb, target, truePeakCeilingDbtp)
    }
    let limited = tracks.filter { $0.limiterReductionDb != nil }
    guard !limited.isEmpty else { return "album \(level)\(why), no limiting needed" }
    let numbers = limited.map { String($0.number) }
    let list = numbers.count == 1 ? numbers[0] : numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
    let most = limited.compactMap(\.limiterReductionDb).max() ?? 0
    return "album \(level)\(why), limiter on track\(numbers.count == 1 ? "" : "s") \(list), max reduction "
      + String(format: "%.1f dB", most)
  }
}
