import PatternAudioIO

/// How an album is exported.
public struct AlbumOptions: Sendable {
  public var container: AudioContainer = .flac
  public var encoding: SampleEncoding = .pcm16
  /// Frames per second.
  public var sampleRate = 48_000
  /// Tracks rendered at once (results never depend on it).
  public var jobs = 2
  /// Album loudness to reach, LUFS, unless the true-peak ceiling stops it first.
  public var targetLufs = -14.0
  /// The highest true peak any track may reach after the album gain, dBTP.
  public var truePeakCeilingDbtp = -1.0
  /// Gain added to every track before it is measured, dB (what is left of it after normalisation is nothing;
  /// with `normalize` off it sets the album's level).
  public var gainDb = 0.0
  public var normalize = true
  /// Also write one float WAV per track (block) of each song, before the master stage.
  public var stems = false
  /// Render every track even when its output is up to date.
  public var force = false

  public init() {}

  /// The format of the album's files.
  public var format: AudioFormat { AudioFormat(container: container, encoding: encoding, sampleRate: sampleRate) }

  /// The settings every exported file depends on, as one line (part of an album plan's hash).
  public var summary: String {
    var parts = ["\(container.rawValue) \(encoding.rawValue) \(sampleRate) Hz", "gain \(gainDb) dB"]
    parts.append(normalize ? "loudness \(targetLufs) LUFS, true peak \(truePeakCeilingDbtp) dBTP" : "not normalised")
    if stems { parts.append("stems") }
    return parts.joined(separator: ", ")
  }
}
