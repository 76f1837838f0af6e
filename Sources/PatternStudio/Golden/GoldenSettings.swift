import PatternAudioIO

/// The render settings that change audio.
public struct GoldenSettings: Codable, Equatable, Sendable {
  public var rate: Int
  /// `16`, `24` or `32f`.
  public var bits: String
  /// Master gain, dB.
  public var gain: Double

  public init(rate: Int = 48_000, bits: SampleEncoding = .pcm16, gain: Double = 0) {
    self.rate = rate
    self.bits = bits.rawValue
    self.gain = gain
  }

  /// The render settings these stand for (WAV container; the container never changes the PCM).
  public var renderSettings: RenderSettings {
    RenderSettings(
      format: AudioFormat(container: .wav, encoding: encoding, sampleRate: rate), masterGainDecibels: gain)
  }

  /// `bits` as an encoding (16-bit for anything unknown).
  public var encoding: SampleEncoding { SampleEncoding(rawValue: bits) ?? .pcm16 }
}
