import PatternEngine
import PatternLanguage

extension Renderer {
  /// `pstudio events --format json` and `POST /api/events`: the score's events (repeats, motifs and chords
  /// expanded) with each note's start and end in seconds as well as beats.
  ///
  /// Seconds are the frames a render at `sampleRate` (Hz) starts and releases the note on, divided by the rate,
  /// so a player's clock lines up with the audio to the frame.
  public func eventsJSON(_ score: Score, sampleRate: Int = 48_000) -> JSONValue {
    let map = TempoMap(score.tempo, sampleRate: sampleRate)
    let rate = Double(sampleRate)
    return score.eventsJSON(seconds: { Double(map.frame($0)) / rate })
  }
}
