import CSndFile

/// A file container Pattern Studio writes.
public enum AudioContainer: String, Sendable, CaseIterable {
  case wav, flac

  /// The container for a file name's extension (`.wav`, `.flac`, any case), or nil.
  public static func from(path: String) -> AudioContainer? {
    guard let dot = path.lastIndex(of: ".") else { return nil }
    return AudioContainer(rawValue: path[path.index(after: dot)...].lowercased())
  }
}

/// How samples are stored.
public enum SampleEncoding: String, Sendable, CaseIterable {
  /// 16-bit signed integer PCM.
  case pcm16 = "16"
  /// 24-bit signed integer PCM.
  case pcm24 = "24"
  /// 32-bit IEEE float (WAV only).
  case float32 = "32f"

  /// Bits per sample.
  public var bits: Int {
    switch self {
    case .pcm16: return 16
    case .pcm24: return 24
    case .float32: return 32
    }
  }

  /// Whether the master stage quantises (and dithers) to integers for this encoding.
  public var isInteger: Bool { self != .float32 }
}

/// A complete output format: container, encoding, sample rate and channel count.
public struct AudioFormat: Hashable, Sendable, CustomStringConvertible {
  public var container: AudioContainer
  public var encoding: SampleEncoding
  /// Frames per second, e.g. 48000.
  public var sampleRate: Int
  public var channels: Int

  /// Sample rates the renderer supports, in hertz.
  public static let supportedSampleRates = [22_050, 32_000, 44_100, 48_000, 88_200, 96_000, 176_400, 192_000]

  public init(container: AudioContainer, encoding: SampleEncoding, sampleRate: Int, channels: Int = 2) {
    self.container = container
    self.encoding = encoding
    self.sampleRate = sampleRate
    self.channels = channels
  }

  /// Why this format cannot be written, or nil if it can.
  public var unsupportedReason: String? {
    if container == .flac && encoding == .float32 { return "FLAC stores integers only: use 16- or 24-bit samples" }
    if !AudioFormat.supportedSampleRates.contains(sampleRate) {
      return "sample rate \(sampleRate) Hz is not supported; use one of "
        + AudioFormat.supportedSampleRates.map(String.init).joined(separator: ", ")
    }
    if channels < 1 || channels > 8 { return "\(channels) channels is not supported" }
    return nil
  }

  /// The libsndfile format word. Float WAV is asked for as WAVE_FORMAT_EXTENSIBLE, whose header the writers
  /// then turn into IEEE float with `cbSize` (see `FloatWAVHeader`).
  var sndfileFormat: Int32 {
    let major = container == .flac ? SF_FORMAT_FLAC : encoding == .float32 ? SF_FORMAT_WAVEX : SF_FORMAT_WAV
    let minor: Int
    switch encoding {
    case .pcm16: minor = SF_FORMAT_PCM_16
    case .pcm24: minor = SF_FORMAT_PCM_24
    case .float32: minor = SF_FORMAT_FLOAT
    }
    return Int32(major | minor)
  }

  /// `wav 24-bit 48000 Hz stereo`.
  public var description: String {
    let enc = encoding == .float32 ? "32-bit float" : "\(encoding.bits)-bit"
    return "\(container.rawValue) \(enc) \(sampleRate) Hz \(channels == 2 ? "stereo" : "\(channels) ch")"
  }
}
