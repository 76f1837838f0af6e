/// Which of a note's own sound settings an instrument's voices take: the filter (`cutoff=`, `res=`, `fenv=`),
/// pitch movement (`glide=`, `bend=`) and sample playback (`start=`, `rate=`).
public struct ExpressionSupport: OptionSet, Hashable, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let filter = ExpressionSupport(rawValue: 1)
  public static let pitch = ExpressionSupport(rawValue: 2)
  public static let sample = ExpressionSupport(rawValue: 4)
  /// `fenv=`: a filter with an envelope (the noise instrument's filter has none).
  public static let filterEnvelope = ExpressionSupport(rawValue: 8)
  /// Oscillators and file synths.
  public static let synth: ExpressionSupport = [.filter, .filterEnvelope, .pitch]
  /// Samplers (JSON, SoundFont, SFZ).
  public static let sampler: ExpressionSupport = [.filter, .filterEnvelope, .pitch, .sample]

  /// What `attribute` needs, nil for attributes every instrument takes.
  static func needed(for attribute: NoteAttribute) -> ExpressionSupport? {
    switch attribute {
    case .cutoff, .res: return .filter
    case .fenv: return .filterEnvelope
    case .glide, .bend: return .pitch
    case .start, .rate: return .sample
    default: return nil
    }
  }

  /// Which instruments take it, for the hint.
  static func who(_ needed: ExpressionSupport) -> String {
    switch needed {
    case .filter: return "synth modules, the oscillators (sine, triangle, saw, square), noise and samplers"
    case .pitch, .filterEnvelope: return "synth modules, the oscillators (sine, triangle, saw, square) and samplers"
    default: return "samplers (sampler modules, SoundFont and SFZ presets)"
    }
  }
}
