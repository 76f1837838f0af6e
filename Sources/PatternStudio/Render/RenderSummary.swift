/// What a finished render measured.
public struct RenderSummary: Sendable {
  public var frames: Int64
  public var sampleRate: Int
  public var voiceCount: Int
  /// Σ voice lengths in frames (the synthesis work).
  public var voiceFrames: Int64
  /// Largest absolute sample, dBFS (after the limiter, before quantisation).
  public var peakDecibels: Double
  /// RMS over both channels, dBFS.
  public var rmsDecibels: Double
  /// Wall-clock seconds the render took, sinks included (reporting only; never affects audio).
  public var wallSeconds: Double
  /// Of which: rendering voices (lanes in parallel).
  public var synthesisSeconds: Double
  /// With `RenderSettings.truePeakCeiling`: the limiter's largest gain reduction, dB (0: it never limited).
  public var limiterReductionDecibels: Double? = nil

  public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
  public var realtimeFactor: Double { wallSeconds > 0 ? durationSeconds / wallSeconds : .infinity }
}
