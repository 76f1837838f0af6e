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
    // A gap is silence at the end of a track's file: the next track's pregap (INDEX 00) starts there, inside
    // that file, and its INDEX 01 is the start of its own file ("gaps appended to the previous track").
    func trackHeader(_ t: AlbumTrack) -> String {
      var text = "  TRACK \(String(format: "%02d", t.number)) AUDIO\n    TITLE \(quoted(t.title))\n"
      if let artist = manifest.artist { text += "    PERFORMER \(quoted(artist))\n" }
      if let l = t.loudnessLufs { text += "    REM LOUDNESS \(String(format: "%.2f", l)) LUFS\n" }
      return text
    }
    var announced = Set<Int>()
    for (i, t) in tracks.enumerated() {
      cue += "FILE \(quoted(t.file!)) WAVE\n"
      if !announced.contains(t.number) { cue += trackHeader(t) }
      cue += "    INDEX 01 00:00:00\n"
      if let gap = t.gapSeconds, gap > 0, let seconds = t.seconds, i + 1 < tracks.count {
        let next = tracks[i + 1]
        cue += trackHeader(next) + "    INDEX 00 \(cueTime(seconds - gap))\n"
        announced.insert(next.number)
      }
    }
    let json = try StableJSON.text(manifest)
    for (name, text) in [("album.m3u8", m3u), ("album.cue", cue), ("album.json", json)] {
      try AtomicFile.write(text: text, to: (out as NSString).appendingPathComponent(name))
    }
  }

  /// A cue sheet position, `mm:ss:ff` (75 frames a second), rounded down.
  static func cueTime(_ seconds: Double) -> String {
    let frames = Int((max(0, seconds) * 75).rounded(.down))
    return String(format: "%02d:%02d:%02d", frames / 75 / 60, frames / 75 % 60, frames % 75)
  }

  static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\"" }
}
