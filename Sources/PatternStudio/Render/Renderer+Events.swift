import PatternEngine
import PatternLanguage

extension Renderer {
  /// `pstudio events --format json` and `POST /api/events`: the score's events (repeats, motifs and chords
  /// expanded) with each note's start and end in seconds as well as beats.
  ///
  /// Seconds are the frames a render at `sampleRate` (Hz) starts and releases the note on, divided by the rate,
  /// so a player's clock lines up with the audio to the frame. With `limit`, at most that many events are
  /// listed (the first ones), and the object says `"truncated": true` and how many there are (`totalEvents`).
  public func eventsJSON(_ score: Score, sampleRate: Int = 48_000, limit: Int? = nil) -> JSONValue {
    let seconds = Self.seconds(score, sampleRate: sampleRate)
    guard let limit, score.events.count > limit else { return score.eventsJSON(seconds: seconds) }
    var listed = score
    listed.events = Array(score.events.prefix(limit))
    guard case .object(var fields) = listed.eventsJSON(seconds: seconds) else { return listed.eventsJSON }
    fields += [("truncated", .bool(true)), ("totalEvents", .integer(Int64(score.events.count)))]
    return .object(fields)
  }

  /// `pstudio events`: `Score.readableListing` with seconds from the same frames as `eventsJSON`, so a
  /// ramp's notes show the time they sound at.
  public func eventsText(_ score: Score, sampleRate: Int = 48_000) -> String {
    score.readableListing(seconds: Self.seconds(score, sampleRate: sampleRate))
  }

  /// Beats → seconds: the frame a render at `sampleRate` (Hz) puts the beat on (the engine's `TempoMap`),
  /// divided by the rate.
  private static func seconds(_ score: Score, sampleRate: Int) -> (BeatTime) -> Double {
    let map = TempoMap(score.tempo, sampleRate: sampleRate)
    let rate = Double(sampleRate)
    return { Double(map.frame($0)) / rate }
  }
}
