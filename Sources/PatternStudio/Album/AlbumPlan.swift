import Foundation
import PatternLanguage

/// What an album folder asks for: tracks in order with titles and per-track gain and gap, and album tags,
/// from `album.json` in the folder if there is one, else from the sorted `.pattern` files and each song's
/// `title`.
public struct AlbumPlan: Sendable {
  public struct Track: Sendable {
    public var source: String
    /// The manifest's title; nil: the song's own `title`, else its file name (decided when it is compiled).
    public var title: String?
    /// Extra gain for this track, dB (before album normalisation).
    public var gainDecibels: Double
    /// Silence before the next track in the cue sheet, seconds.
    public var gapSeconds: Double
  }

  public var title: String
  public var artist: String?
  public var year: String?
  public var genre: String?
  public var tracks: [Track]

  /// Reads `dir/album.json` (fields: title, artist, year, genre, tracks: [{file, title, gain, gap}]) or lists
  /// the folder.
  public static func load(_ dir: String) throws -> AlbumPlan {
    let manifest = (dir as NSString).appendingPathComponent("album.json")
    var plan = AlbumPlan(
      title: URL(fileURLWithPath: dir).standardized.lastPathComponent, artist: nil, year: nil, genre: nil, tracks: [])
    guard FileManager.default.fileExists(atPath: manifest) else {
      let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".pattern") }.sorted()
      plan.tracks = files.map { (dir as NSString).appendingPathComponent($0) }.map {
        Track(source: $0, title: nil, gainDecibels: 0, gapSeconds: 2)
      }
      return plan
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: manifest))
    guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw AlbumPlanError(
        file: manifest, message: "expected a JSON object {\"title\": …, \"tracks\": [{\"file\": …}]}")
    }
    // A misspelt key would be ignored in silence (`titel`): every key must be one this reader knows.
    try Self.refuseUnknownKeys(o, known: ["title", "artist", "year", "genre", "tracks"], at: "", file: manifest)
    func text(_ key: String) throws -> String? {
      guard let v = o[key] else { return nil }
      if let s = v as? String { return s }
      if let n = v as? NSNumber { return n.stringValue }
      throw AlbumPlanError(file: manifest, message: "\(key): expected a string")
    }
    plan.title = try text("title") ?? plan.title
    plan.artist = try text("artist")
    plan.year = try text("year")
    plan.genre = try text("genre")
    guard let tracks = o["tracks"] as? [[String: Any]], !tracks.isEmpty else {
      throw AlbumPlanError(
        file: manifest, message: "tracks: expected a list of {\"file\": \"song.pattern\", \"title\": …}")
    }
    for (i, t) in tracks.enumerated() {
      guard let file = t["file"] as? String, !file.contains("/") || !file.hasPrefix("/") else {
        throw AlbumPlanError(file: manifest, message: "tracks[\(i)].file: expected a .pattern file in the album folder")
      }
      try Self.refuseUnknownKeys(t, known: ["file", "title", "gain", "gap"], at: "tracks[\(i)].", file: manifest)
      let path = (dir as NSString).appendingPathComponent(file)
      plan.tracks.append(
        Track(
          source: path, title: t["title"] as? String,
          gainDecibels: (t["gain"] as? NSNumber)?.doubleValue ?? 0,
          gapSeconds: (t["gap"] as? NSNumber)?.doubleValue ?? 2))
    }
    return plan
  }

  static func refuseUnknownKeys(_ object: [String: Any], known: [String], at prefix: String, file: String) throws {
    for key in object.keys.sorted() where !known.contains(key) {
      let hint = Suggestions.hint(for: key, in: known) ?? "the keys are " + known.joined(separator: ", ")
      throw AlbumPlanError(file: file, message: "\(prefix)\(key): unknown key (\(hint))")
    }
  }

  /// A track's title: the manifest's, else the song's `title`, else the file name without `.pattern`.
  public static func title(_ track: Track, song: Score?) -> String {
    track.title ?? song?.title ?? URL(fileURLWithPath: track.source).deletingPathExtension().lastPathComponent
  }

  /// `01 - Title.flac`, safe on every common file system: no path separators, reserved characters or
  /// control characters, no leading/trailing dots or spaces, at most 120 characters.
  public static func fileName(number: Int, of total: Int, title: String, ext: String) -> String {
    let reserved = Set("/\\:*?\"<>|")
    var safe = String(
      title.unicodeScalars.map { $0.value < 32 || reserved.contains(Character($0)) ? "-" : Character($0) })
    safe = safe.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
    if safe.isEmpty { safe = "Track" }
    if safe.count > 120 { safe = String(safe.prefix(120)) }
    let digits = max(2, String(total).count)
    return String(repeating: "0", count: max(0, digits - String(number).count)) + "\(number) - \(safe).\(ext)"
  }
}
