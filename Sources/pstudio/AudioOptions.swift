import ArgumentParser
import PatternAudioIO

/// `--rate`, `--bits` and `--gain`: the render settings every audio command shares, checked once.
struct AudioOptions: ParsableArguments {
  @Option(help: "Sample rate in Hz (44100, 48000, 88200, 96000 …).")
  var rate: Int = 48_000

  @Option(help: "Sample format: 16, 24 or 32f (32-bit float, WAV only).")
  var bits: SampleEncoding = .pcm16

  @Option(parsing: .unconditional, help: "Master gain in dB before the limiter (e.g. -3).")
  var gain: Double = 0

  /// The output format in `container`, or a usage error saying why it cannot be written.
  func format(_ container: AudioContainer) throws -> AudioFormat {
    try Self.format(container, bits: bits, rate: rate)
  }

  /// `bits` at `rate` Hz in `container`, or a usage error saying why it cannot be written.
  static func format(_ container: AudioContainer, bits: SampleEncoding, rate: Int) throws -> AudioFormat {
    let format = AudioFormat(container: container, encoding: bits, sampleRate: rate)
    if let reason = format.unsupportedReason {
      throw ValidationError(container == .flac && bits == .float32 ? "\(reason) (--bits 16 or 24)" : reason)
    }
    return format
  }

  func validate() throws { _ = try format(.wav) }
}

extension SampleEncoding: ExpressibleByArgument {
  public init?(argument: String) { self.init(rawValue: argument) }
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension AudioContainer: ExpressibleByArgument {
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
