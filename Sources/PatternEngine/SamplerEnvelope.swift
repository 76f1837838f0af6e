/// A sampler zone's volume (or modulation) envelope in seconds: delay, linear attack, hold, decay to the
/// sustain level, release to silence.
package struct SamplerEnvelope: Hashable, Sendable {
  package var delay: Double = 0
  package var attack: Double = 0
  package var hold: Double = 0
  /// Seconds the decay takes to fall `decayDecibels` (or, when that is nil, to reach the sustain level).
  package var decay: Double = 0
  /// Sustain level, linear amplitude 0 … 1.
  package var sustain: Double = 1
  /// Seconds the release takes to fall `releaseDecibels` from full level (nil: from any level to silence).
  package var release: Double = 0.001
  /// Decay and release fall straight in decibels at this many dB per `decay` / `release` seconds (SF2:
  /// 100 dB, FluidSynth 96 dB; sfizz …); nil: the analogue shape of the instrument ADSR.
  package var decayDecibels: Double? = nil
  package var releaseDecibels: Double? = nil
  /// SF2 `keynumToVolEnvHold` / `…Decay`: timecents per key; at MIDI key k the time is multiplied by
  /// 2^(track × (60 − k) / 1200) (middle C unchanged; higher keys shorter for positive values).
  package var holdKeyTrackTimecents: Double = 0
  package var decayKeyTrackTimecents: Double = 0

  package init() {}
}

/// A sampler zone's resonant low-pass: a base cutoff moved in cents by velocity, key, the modulation
/// envelope and the LFOs (SF2 `initialFilterFc`/`Q`, SFZ `cutoff`/`resonance`).
package struct SamplerFilter: Hashable, Sendable {
  package var cutoffHz: Double
  /// Resonance: the peak's height over the pass band, dB (0: none).
  package var resonanceDecibels: Double = 0
  /// Cutoff change in cents by MIDI velocity 0 … 127 (128 entries; nil: none).
  package var velocityCents: [Float]? = nil
  /// Cutoff change in cents per key above middle C (SFZ `fil_keytrack`).
  package var keyTrackCents: Double = 0

  package init(cutoffHz: Double) { self.cutoffHz = cutoffHz }

  /// The filter's q: resonance in dB above the pass band (0 … 96), where 0 dB is a Butterworth response
  /// (q = 1/√2), as SF2 and FluidSynth define it.
  package var q: Double { DSPMath.gain(decibels: max(0, min(96, resonanceDecibels)) - 3.01) }
}

/// A low-frequency oscillator starting at 0 and rising, after a delay: a triangle (SF2, as FluidSynth) or a
/// sine (sfizz's SFZ v1 LFOs).
package struct SamplerLFO: Hashable, Sendable {
  package var sine = false
  package var delay: Double = 0
  package var frequencyHz: Double = 8.176
  package var toPitchCents: Double = 0
  package var toFilterCents: Double = 0
  package var toVolumeDecibels: Double = 0

  package init() {}
  package var isSilent: Bool { toPitchCents == 0 && toFilterCents == 0 && toVolumeDecibels == 0 }
}

/// What moves a sampler voice's pitch, cutoff and volume while it sounds.
package struct SamplerModulation: Hashable, Sendable {
  /// The modulation envelope (linear in its own unit) and where it goes.
  package var envelope = SamplerEnvelope()
  package var envelopeToPitchCents: Double = 0
  package var envelopeToFilterCents: Double = 0
  package var vibrato = SamplerLFO()
  package var lfo = SamplerLFO()

  package init() {}
  package var isSilent: Bool {
    envelopeToPitchCents == 0 && envelopeToFilterCents == 0 && vibrato.isSilent && lfo.isSilent
  }
}
