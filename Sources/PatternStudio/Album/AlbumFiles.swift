import Foundation
import PatternAudioIO

/// The files beside an album's audio: `album.m3u8`, `album.cue` and the manifest `album.json`.
enum AlbumFiles {
  static func write(_ manifest: AlbumManifest, to out: String) throws {
    let tracks = manifest.tracks.filter { $0.file != nil }
    var m3u = "#EXTM3U\n#PLAYLIST:\(manifest.title)\n"
    for t in tracks {
      let who = manifest.artist.map { "\($0) - " } ?? ""
      m3u += "#EXTINF:\(Int((t.seconds ?? 0).rounded())),\(who)\(t.title)\n\(t.file!)\n"
    }
    var cue = ""
    if let artist = manifest.artist { cue += "PERFORMER \(quoted(artist))\n" }
    cue += "TITLE \(quoted(manifest.title))\n"
    if let year = manifest.year { cue += "REM DATE \(year)\n" }
    if let genre = manifest.genre { cue += "REM GENRE \(quoted(genre))\n" }
    for t in tracks {
      cue += "FILE \(quoted(t.file!)) WAVE\n"
      cue += "  TRACK \(String(format: "%02d", t.number)) AUDIO\n    TITLE \(quoted(t.title))\n"
      if let artist = manifest.artist { cue += "    PERFORMER \(quoted(artist))\n" }
      if let l = t.loudnessLufs { cue += "    REM LOUDNESS \(String(format: "%.2f", l)) LUFS\n" }
      cue += "    INDEX 01 00:00:00\n"
    }
    let json = try StableJSON.text(manifest)
    for (name, text) in [("album.m3u8", m3u), ("album.cue", cue), ("album.json", json)] {
      try AtomicFile.write(text: text, to: (out as NSString).appendingPathComponent(name))
    }
  }

  static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\"" }
}
