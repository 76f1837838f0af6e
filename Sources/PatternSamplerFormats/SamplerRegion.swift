// The neutral description of one sampler zone that the SF2 and SFZ readers produce, in physical units.
// PatternStudio's RegionZones turns it into the engine's SampleZone; the readers never see engine types.

/// Where a zone's sample frames come from.
public enum SampleSource: Hashable, Sendable {
  /// An SF2 sample: frames `start ..< end` (in sample points) of the font's `smpl` chunk (16-bit) — plus the
  /// optional `sm24` low bytes. Offsets are in the font's own coordinates (the reader never copies data).
  case fontData(start: Int, end: Int)
  /// An audio file (SFZ `sample=`), absolute path after `default_path` and the `.sfz` file's folder were applied.
  case file(path: String)
}

/// Envelope in seconds; levels linear 0 … 1. `decay` and `release` are exponential (SF2/sfizz semantics):
/// the time given is the time to fall from full level to silence (−100 dB, SF2) — see each reader's doc
/// comment for the exact convention it uses; `attack` is linear in amplitude.
public struct EnvelopeSpec: Hashable, Sendable {
  public var delay: Double = 0
  public var attack: Double = 0
  public var hold: Double = 0
  public var decay: Double = 0
  /// Sustain level, linear amplitude 0 … 1 (SF2 `sustainVolEnv` 144 cB → 10^(-144/200)).
  public var sustain: Double = 1
  public var release: Double = 0.001
  /// SF2 `keynumToVolEnvHold` / `keynumToModEnvHold`, timecents per key: the hold time at MIDI key `k` is
  /// `hold × 2^(holdKeyTrackTimecents × (60 − k) / 1200)` (key 60 unchanged). 0 = no key tracking.
  public var holdKeyTrackTimecents: Double = 0
  /// SF2 `keynumToVolEnvDecay` / `keynumToModEnvDecay`: as `holdKeyTrackTimecents`, for `decay`.
  public var decayKeyTrackTimecents: Double = 0
  // SFZ-only fields (their defaults keep the SF2 meaning).
  /// Level the attack starts from, linear 0 … 1 (SFZ `ampeg_start` percent / 100; SF2: always 0).
  public var start: Double = 0
  /// How many dB `decay` / `release` seconds describe: the level falls linearly in dB at
  /// `exponentialSpanDb / seconds` dB per second. 100 for SF2 (to −100 dB); sfizz multiplies the level by
  /// e^(−9) over the given time, i.e. 20·log10(e⁹) ≈ 78.17 dB (see `SFZEnvelopeConvention`).
  public var exponentialSpanDb: Double = 100
  public init() {}
}

public enum LoopMode: Hashable, Sendable {
  /// Play the sample once from offset to end (note-off still releases).
  case noLoop
  /// SFZ `one_shot`: play to the end whatever the note length; note-off is ignored.
  case oneShot
  /// Loop for as long as the voice sounds (SF2 sampleModes 1, SFZ `loop_continuous`).
  case continuous
  /// Loop until note-off, then play on to the end (SF2 sampleModes 3, SFZ `loop_sustain`).
  case untilRelease
}

public struct LFOSpec: Hashable, Sendable {
  public var delay: Double = 0  // seconds
  public var frequency: Double = 8.176  // Hz
  public var toPitchCents: Double = 0
  public var toFilterCents: Double = 0
  public var toVolumeDb: Double = 0  // peak volume swing in dB (SF2 modLfoToVolume cB / 10)
  /// Waveform. SF2 LFOs are triangles; sfizz's v1 LFOs (`amplfo_`, `pitchlfo_`, `fillfo_`) are sines.
  public var shape: LFOShape = .triangle
  public init() {}
}

/// LFO waveform (both start at phase 0, rising).
public enum LFOShape: Hashable, Sendable {
  case triangle
  case sine
}

public struct SamplerRegion: Hashable, Sendable {
  // Mapping
  public var keyLow = 0, keyHigh = 127  // MIDI notes, inclusive
  public var velLow = 0, velHigh = 127  // MIDI velocity 0…127, inclusive (1…127 in practice)
  public var sample: SampleSource
  public var sampleRate: Int  // the sample's own rate, Hz
  /// SF2 stereo link: -1 = left channel of a pair, +1 = right, 0 = mono. Readers emit BOTH halves as
  /// two regions (each with its own `sample`), pan them hard (-1 / +1 added to `pan`) per the SF2 spec.
  public var stereoSide = 0
  // Pitch
  public var rootKey = 60  // MIDI note at which the sample plays at its own rate
  public var tuneCents: Double = 0  // coarse*100 + fine + sample pitch correction (SF2)
  public var keyTrackCents: Double = 100  // SF2 scaleTuning / SFZ pitch_keytrack
  // Level
  public var gainDb: Double = 0  // SF2: -0.4 * initialAttenuation(cB)/10 ; SFZ: volume
  public var pan: Double = 0  // -1 … 1
  /// Velocity → amplitude. SF2 default modulator: attenuation = 0.4 * 960 cB * concave(1 - vel/127)
  /// (expressed as `.sf2Concave(rangeCentibels: 960)`); SFZ: `amp_veltrack` percent + optional curve points.
  public var velocityCurve: VelocityCurve = .sf2Concave(rangeCentibels: 960)
  // Playback
  public var offset = 0  // first frame (relative to the sample's first frame)
  public var end: Int? = nil  // one past the last frame (relative); nil = sample's end
  public var loopMode: LoopMode = .noLoop
  public var loopStart = 0, loopEnd = 0  // frames relative to the sample's first frame, [start, end)
  // Envelopes and modulation
  public var ampEnv = EnvelopeSpec()
  public var filterCutoffHz: Double? = nil  // nil = no filter (SF2 initialFilterFc ≥ 13500 cents = off)
  public var filterResonanceDb: Double = 0  // SF2 initialFilterQ cB/10 ; SFZ resonance
  /// SF2 default modulator: velocity → filter cutoff, -2400 cents at vel 0 (linear? see SF2 2.04 §8.4.2;
  /// FluidSynth: negative linear, 2400 cents range). 0 for SFZ unless fil_veltrack.
  public var velocityToFilterCents: Double = 0
  public var modEnv = EnvelopeSpec()
  public var modEnvToPitchCents: Double = 0
  public var modEnvToFilterCents: Double = 0
  public var vibLFO = LFOSpec()
  public var modLFO = LFOSpec()
  // Articulation
  public var exclusiveClass = 0  // SF2 exclusiveClass / SFZ group (0 = none)
  public var offBy = 0  // SFZ off_by (a region of group `offBy` starting cuts this one)
  public var releaseTrigger = false  // SFZ trigger=release
  public var releaseDecayDbPerSecond: Double = 0  // SFZ rt_decay
  public var sequenceLength = 1, sequencePosition = 1  // SFZ round robin
  public var randomLow: Double = 0, randomHigh: Double = 1  // SFZ lorand/hirand
  /// SF2 `keynum` generator: when set, the zone plays as if this MIDI key were pressed (pitch, key
  /// tracking) whatever key triggered it. nil = the played key.
  public var fixedKey: Int? = nil
  /// SF2 `velocity` generator: when set, the zone uses this velocity (1…127) instead of the played one.
  public var fixedVelocity: Int? = nil
  // SFZ-only fields (their defaults keep the SF2 meaning).
  /// SFZ: true when the file names `loop_mode`/`loopmode`. When false, sfizz takes the loop from the WAV's
  /// `smpl` chunk: if the WAV has a loop, `loopMode` becomes `.continuous`; otherwise a `trigger=release`
  /// region becomes `.oneShot` (the reader already sets that default) and others `.noLoop`.
  public var loopModeExplicit = true
  /// SFZ: true when `loop_start` was given; when false and the WAV has a loop, use the WAV's loop start.
  public var loopStartExplicit = true
  /// SFZ: true when `loop_end` was given; when false use the WAV's loop end, else the sample's end
  /// (`loopEnd` is then 0 and must be filled in by the integrator).
  public var loopEndExplicit = true
  /// SFZ `pitch_keycenter=sample`: take the root key from the WAV's `smpl` chunk (`rootKey` holds 60 as fallback).
  public var rootKeyFromSample = false
  /// SFZ `fil_veltrack`, cents: cutoff × 2^(filterVelTrackCents · (vel/127) / 1200) (sfizz FilterPool.cpp) —
  /// no shift at velocity 0, the full shift at 127. Kept apart from `velocityToFilterCents` whose SF2 anchor
  /// (full shift at velocity 0) is the opposite.
  public var filterVelTrackCents: Double = 0
  public init(sample: SampleSource, sampleRate: Int) { self.sample = sample; self.sampleRate = sampleRate }
}

public enum VelocityCurve: Hashable, Sendable {
  /// SF2: attenuation in cB = range * concave(x), x = 1 - vel/127 (FluidSynth's concave: -200/960*log10((127-v)/127)…
  /// the reader documents what it implements), times FluidSynth's 0.4 factor.
  case sf2Concave(rangeCentibels: Double)
  /// SFZ: amp_veltrack percent (default 100) and explicit amp_velcurve_N points (velocity → gain 0…1), sfizz's
  /// default curve (vel/127)^2 when no points are given.
  case sfz(velTrackPercent: Double, points: [Int: Double])
}

/// A located warning from a reader (unknown opcode, sanitised loop…).
public struct ReaderWarning: Hashable, Sendable {
  public var file: String, line: Int, column: Int
  public var message: String
  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file; self.line = line; self.column = column; self.message = message
  }
}
