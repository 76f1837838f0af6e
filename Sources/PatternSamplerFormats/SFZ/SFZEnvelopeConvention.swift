import Foundation

/// sfizz's envelope shape, for engines that render SFZ regions (numbers from `ADSREnvelope.cpp`,
/// `Config.h`, `Defaults.cpp`):
/// - delay, then attack: linear ramp from `start` to 1 over `attack` seconds; then `hold` seconds at 1;
/// - decay: the level is multiplied every sample by exp(−9 / (decay · rate)), i.e. it falls linearly in dB
///   at `exponentialSpanDb / decay` dB/s from 1 (0 dB) **toward silence**, and stops when it reaches the
///   sustain level (so reaching sustain `s` takes decay · ln(1/s) / 9 seconds, not `decay`);
/// - release: the same multiplier with `release`, from whatever level the note was at, down to
///   `releaseFloor` (−80 dB), then a linear fade to 0 over `fadeOutSeconds`;
/// - decay/release times > 0 but shorter than `minimumExponentialSeconds` act as that minimum; a time of
///   0 is instantaneous (release 0 becomes just the 50 ms fade);
/// - a sustain ≤ `freeRunningSustain` makes the envelope release by itself after the decay.
public enum SFZEnvelopeConvention {
  /// dB covered by the decay/release time: 20·log10(e⁹) = 180 / ln 10 ≈ 78.17 dB.
  public static let exponentialSpanDb = 180 / log(10.0)
  /// Seconds; sfizz `Default::offTime`.
  public static let minimumExponentialSeconds = 0.006
  /// Linear level where the release hands over to the fade-out (sfizz `egReleaseThreshold`).
  public static let releaseFloor = 1e-4
  /// Seconds of the final linear fade-out (sfizz `egTransitionTime`).
  public static let fadeOutSeconds = 0.05
  /// Linear sustain level at or below which the envelope is free-running (sfizz `sustainFreeRunningThreshold`).
  public static let freeRunningSustain = 0.0032
  /// Default `ampeg_release`, seconds (sfizz `Default::egRelease`); `fileg_`/`pitcheg_` default to 0.
  public static let defaultAmpRelease = 0.001
}
