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
  /// Deepest chain of sections arranged inside sections, or motifs playing motifs.
  public var maxFormDepth = 64
  /// Largest `repeat` count and `x` count in `arrange`.
  public var maxRepeat = 10_000
  /// Most steps in one `euclid(…)`.
  public var maxEuclidSteps = 1_024
  /// Most work one evaluation of a mini-notation string may do (cycles visited at every level, Euclid steps):
  /// an hour of sixteenth notes at 120 BPM is about a twentieth of it; `"[~ ~]*1e9"` is an error, not a hang.
  public var maxMiniWork = 600_000
  /// Most notes one `arp(…) step … for …` plays.
  public var maxArpNotes = 65_536
  /// Most statement instances the expansion of repeats, motifs and sections may visit (rests and notes that
  /// `prob=` drops count too), so nested repeats of nothing cannot spin for minutes.
  public var maxExpansionSteps = 2_000_000
  /// Effects in one song (every chain together): each holds its own delay lines (a 10 s delay at 192 kHz is
  /// 16 MB), so this bounds a render's memory.
  public var maxEffects = 128

  public init() {}
  public static let `default` = LanguageLimits()
}
