import Foundation
import TestSupport

/// A small album folder for the sharding tests: six short songs covering what a merge must finish exactly —
/// plain tracks, a master chain, a keyed master compressor (rendered whole), inserts, a loud song the limiter
/// catches and a quiet one — with per-track gains and gaps in album.json.
enum ShardAlbum {
  static let songs: [(file: String, text: String)] = [
    (
      "a.pattern",
      "title \"One\"; tempo 120; melody { saw C4 0 dur=2; piano E4 1; } rhythm { synth Kick 0; synth Snare 1; }"
    ),
    (
      "b.pattern",
      """
      title "Master"; tempo 100;
      master(fx=comp(threshold=-12, ratio=2, knee=6, attack=0.01, release=0.2, makeup=6));
      melody(gain=6) { saw [C4 E4 G4] 0 dur=2; saw [D4 F4 A4] 2 dur=2; }
      rhythm(gain=6) { synth Kick 0; synth Snare 1; synth Kick 2; synth Snare 3; }
      """
    ),
    (
      "c.pattern",
      """
      title "Keyed master"; tempo 120;
      master(fx=comp(threshold=-24, ratio=6, attack=0.002, release=0.1, key=rhythm));
      rhythm { synth Kick 0; synth Kick 1; synth Kick 2; }
      harmony { saw [A2 E3] 0 dur=3 vel=0.6; }
      """
    ),
    (
      "d.pattern",
      """
      title "Inserts"; tempo 110;
      melody(fx=hp(freq=200) -> chorus(rate=1.2, depth=0.6)) { square E5 0 dur=1 vel=0.5; square G5 1 dur=2 vel=0.5; }
      """
    ),
    ("e.pattern", "title \"Loud\"; tempo 120; melody(gain=12) { saw [C3 G3 C4 E4] 0 dur=3; }"),
    ("f.pattern", "title \"Quiet\"; tempo 90; melody { sine A4 0 dur=4 vel=0.2; }"),
  ]

  /// Writes the album into a new scratch folder and returns its path.
  static func make() throws -> String {
    let dir = Scratch.folder()
    for (file, text) in songs { try text.write(toFile: "\(dir)/\(file)", atomically: true, encoding: .utf8) }
    let tracks = songs.enumerated().map { i, song in
      "{\"file\": \"\(song.file)\", \"gain\": \(i == 3 ? -2 : 0), \"gap\": \(i % 2 == 0 ? 1 : 0.5)}"
    }
    let json =
      "{\"title\": \"Shards\", \"artist\": \"Tests\", \"year\": \"2026\", \"tracks\": [\(tracks.joined(separator: ", "))]}"
    try json.write(toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    return dir
  }

  /// The album's visible files (the export's unit cache aside), by name, with their bytes.
  static func files(_ out: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: out) else { return [:] }
    while let name = walker.nextObject() as? String {
      if name.hasPrefix(".pstudio-units") { continue }
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: "\(out)/\(name)", isDirectory: &isDir), !isDir.boolValue {
        result[name] = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)"))
      }
    }
    return result
  }
}
