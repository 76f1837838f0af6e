extension Score {
  /// What `pstudio events` prints: one line per note with its start three ways — exact beats (and its end),
  /// `bar:beat` through the meter map, seconds (and its end) — then the track, instrument and note, velocity,
  /// pan and gain rounded to three places, and where it was written; a motif's note also names the `play`
  /// statements that placed it, outermost first:
  ///
  ///     1/3 → 7/3 | 1:4/3 | 0.222 → 1.556 s | melody | sine A4 vel:0.787 pan:0 @2:10 via play 5:3
  ///
  /// `eventListing` is the exact form the snapshots compare.
  ///
  /// - Parameter seconds: beats → seconds from the start of the song (the engine's tempo map).
  public func readableListing(seconds: (BeatTime) -> Double) -> String {
    events.map { e in
      let end = e.start + e.duration
      let gain = e.gainDecibels == 0 ? "" : " gain:\(Self.rounded(e.gainDecibels))dB"
      let plays = e.playSites.isEmpty ? "" : " via play " + e.playSites.map(\.description).joined(separator: ", ")
      return "\(e.start.fractionText) → \(end.fractionText) | \(meterMap.barBeatText(e.start)) | "
        + "\(Self.milliseconds(seconds(e.start))) → \(Self.milliseconds(seconds(end))) s | \(tracks[e.track].name) | "
        + "\(e.instrumentName) \(e.note.displayName) vel:\(Self.rounded(e.velocity)) pan:\(Self.rounded(e.pan))"
        + "\(gain) @\(e.location)\(plays)"
    }.joined(separator: "\n")
  }

  /// `0.787` for 0.78740157…: three places at most, for people.
  static func rounded(_ x: Double) -> String { formatNumber((x * 1000).rounded() / 1000) }

  /// `1.500`: seconds with exactly three places.
  static func milliseconds(_ seconds: Double) -> String {
    let ms = Int64((seconds * 1000).rounded())
    let fraction = String(ms.magnitude % 1000)
    return (ms < 0 ? "-" : "") + "\(ms.magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count)
      + fraction
  }
}
