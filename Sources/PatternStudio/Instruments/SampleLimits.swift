import PatternAudioIO

/// What a sample file may be: checked from its header before anything is allocated, so a lying or hostile
/// file is an error naming it, never a 275 GB allocation or a two-minute conversion.
enum SampleLimits {
  /// Sample rates accepted, Hz.
  static let rates = 8_000...384_000
  /// Channels accepted (mixed to mono).
  static let channels = 1...8
  /// The longest sample, in frames (10 minutes at 96 kHz): the bound of any read.
  static let maxFrames: Int64 = 57_600_000
  /// The longest sample, in seconds at its own rate.
  static let maxSeconds: Int64 = 600

  /// Why a header cannot be a sample, or nil.
  static func problem(_ info: AudioFileInfo) -> String? {
    if !rates.contains(info.sampleRate) {
      return "its sample rate \(info.sampleRate) Hz is outside \(rates.lowerBound) … \(rates.upperBound) Hz"
    }
    if !channels.contains(info.channels) {
      return "it has \(info.channels) channels; samples have \(channels.lowerBound) … \(channels.upperBound)"
    }
    // libsndfile reports an unknown length (a streamed FLAC) as Int64.max: read in bounded pieces later.
    let limit = min(maxFrames, maxSeconds * Int64(info.sampleRate))
    if info.frames > limit && info.frames != Int64.max {
      return "it claims \(info.frames) frames; the limit is \(limit) (10 minutes at \(info.sampleRate) Hz)"
    }
    return nil
  }
}
