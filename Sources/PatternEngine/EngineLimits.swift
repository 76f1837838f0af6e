/// Limits of the engine, reported as diagnostics at the note that exceeds them.
package struct EngineLimits: Hashable, Sendable {
  /// Longest song, in seconds.
  package var maxSeconds: Double = 3600
  /// Most voices sounding at once in one lane (a track has two lanes).
  package var maxVoicesPerLane = 4096

  package init() {}
}
