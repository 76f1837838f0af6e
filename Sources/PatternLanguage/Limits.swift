/// Hard limits on input, so hostile or broken files end in a diagnostic instead of a hang or running out of
/// memory. Each has a message that names the limit.
public struct LanguageLimits: Sendable, Hashable {
  /// Largest source accepted, in bytes.
  public var maxSourceBytes = 4 << 20
  /// Most note events one file may resolve to.
  public var maxEvents = 500_000
  /// Latest time or longest duration, in beats.
  public var maxBeats = BeatTime(100_000)
  /// Most diagnostics kept before the rest are summarised.
  public var maxDiagnostics = 200
  /// Deepest nesting of braces/brackets/parentheses the parser descends into.
  public var maxNesting = 64

  public init() {}
  public static let `default` = LanguageLimits()
}
