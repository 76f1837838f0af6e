import Foundation

/// Maps sfizz's v1 envelopes and LFOs onto SamplerRegion's SF2-shaped slots:
/// - `ampeg_*` → `ampEnv`;
/// - `fileg_*` / `pitcheg_*` → the single `modEnv` (`fileg_depth` → `modEnvToFilterCents`,
///   `pitcheg_depth` → `modEnvToPitchCents`). When both have a non-zero depth and different shapes the
///   filter envelope wins and the pitch envelope is dropped with a warning;
/// - `pitchlfo_*` → `vibLFO.toPitchCents`; `amplfo_*` → `modLFO.toVolumeDb` (dB);
///   `fillfo_*` → `modLFO.toFilterCents` when the amp LFO is unused or has the same freq/delay, else
///   `vibLFO.toFilterCents` on the same condition with the pitch LFO, else dropped with a warning.
///   Their waveform is a sine (`LFOShape.sine`); sfizz's default frequency is 0 Hz.
/// An envelope or LFO counts as used when its depth is non-zero; filter modulation needs a filter.
enum SFZModulation {
  private struct V1LFO: Equatable {
    var depth: Double
    var frequency: Double
    var delay: Double
    var timing: [Double] { [frequency, delay] }

    init(_ s: OpcodeSet, _ prefix: String) {
      depth = s.number(prefix + "depth") ?? 0
      frequency = s.number(prefix + "freq") ?? 0
      delay = s.number(prefix + "delay") ?? 0
    }

    var spec: LFOSpec {
      var l = LFOSpec()
      l.frequency = frequency
      l.delay = delay
      l.shape = .sine
      return l
    }
  }

  static func envelope(_ s: OpcodeSet, prefix: String, defaultRelease: Double) -> EnvelopeSpec {
    var e = EnvelopeSpec()
    e.delay = s.number(prefix + "delay") ?? 0
    e.attack = s.number(prefix + "attack") ?? 0
    e.hold = s.number(prefix + "hold") ?? 0
    e.decay = s.number(prefix + "decay") ?? 0
    e.sustain = (s.number(prefix + "sustain") ?? 100) / 100
    e.release = s.number(prefix + "release") ?? defaultRelease
    e.start = (s.number(prefix + "start") ?? 0) / 100
    e.exponentialSpanDb = SFZEnvelopeConvention.exponentialSpanDb
    return e
  }

  static func apply(_ s: OpcodeSet, to r: inout SamplerRegion, at location: SourceLocation, warnings: WarningLog) {
    r.ampEnv = envelope(s, prefix: "ampeg_", defaultRelease: SFZEnvelopeConvention.defaultAmpRelease)
    let hasFilter = r.filterCutoffHz != nil

    let filterDepth = hasFilter ? (s.number("fileg_depth") ?? 0) : 0
    let pitchDepth = s.number("pitcheg_depth") ?? 0
    let filterEnv = envelope(s, prefix: "fileg_", defaultRelease: 0)
    let pitchEnv = envelope(s, prefix: "pitcheg_", defaultRelease: 0)
    r.modEnv = filterEnv
    if filterDepth != 0 {
      r.modEnvToFilterCents = filterDepth
      if pitchDepth != 0 {
        if pitchEnv == filterEnv {
          r.modEnvToPitchCents = pitchDepth
        } else {
          warnings.add(
            location,
            "pitcheg_ and fileg_ have different shapes and only one modulation envelope exists; pitcheg_ dropped")
        }
      }
    } else if pitchDepth != 0 {
      r.modEnv = pitchEnv
      r.modEnvToPitchCents = pitchDepth
    }

    let pitch = V1LFO(s, "pitchlfo_"), amp = V1LFO(s, "amplfo_"), fil = V1LFO(s, "fillfo_")
    if pitch.depth != 0 {
      r.vibLFO = pitch.spec
      r.vibLFO.toPitchCents = pitch.depth
    }
    if amp.depth != 0 {
      r.modLFO = amp.spec
      r.modLFO.toVolumeDb = amp.depth
    }
    guard fil.depth != 0, hasFilter else { return }
    if amp.depth == 0 || amp.timing == fil.timing {
      if amp.depth == 0 { r.modLFO = fil.spec }
      r.modLFO.toFilterCents = fil.depth
    } else if pitch.depth == 0 || pitch.timing == fil.timing {
      if pitch.depth == 0 { r.vibLFO = fil.spec }
      r.vibLFO.toFilterCents = fil.depth
    } else {
      warnings.add(location, "fillfo_ differs from both amplfo_ and pitchlfo_ and no LFO slot is left; fillfo_ dropped")
    }
  }
}
