import PatternLanguage

/// A linear attack/decay/sustain/release envelope, in seconds (sustain is a level 0 … 1).
package struct ADSR: Hashable, Sendable {
  package var attackSeconds: Double
  package var decaySeconds: Double
  package var sustainLevel: Double
  package var releaseSeconds: Double

  package init(attackSeconds: Double, decaySeconds: Double, sustainLevel: Double, releaseSeconds: Double) {
    self.attackSeconds = attackSeconds
    self.decaySeconds = decaySeconds
    self.sustainLevel = sustainLevel
    self.releaseSeconds = releaseSeconds
  }
}

/// Band-limited oscillator waveforms.
package enum Waveform: String, Hashable, Sendable, CaseIterable {
  /// Polynomial sine (no aliasing by nature).
  case sine
  /// PolyBLAMP-corrected triangle.
  case triangle
  /// PolyBLEP-corrected sawtooth.
  case saw
  /// PolyBLEP-corrected square (50 % pulse).
  case square
}

/// The synthesised drum sounds of the built-in kit.
package enum DrumSound: String, Hashable, Sendable, CaseIterable {
  case kick = "Kick", snare = "Snare", hiHat = "HiHat", crash = "Crash", tom = "Tom"
}

/// A resonant low-pass (state-variable, topology-preserving transform) setting.
package struct LowPass: Hashable, Sendable {
  /// Cutoff as a multiple of the note's frequency (e.g. 4 = two octaves above it).
  package var cutoffRatio: Double
  /// Resonance Q, 0.5 (none) … 20.
  package var q: Double

  package init(cutoffRatio: Double, q: Double) {
    self.cutoffRatio = cutoffRatio
    self.q = q
  }
}

/// How an instrument makes sound.
package enum VoiceKind: Hashable, Sendable {
  /// A band-limited oscillator with an ADSR.
  case oscillator(Waveform)
  /// Seeded white noise through a resonant low-pass tuned to the note.
  case noise(LowPass)
  /// The synthesised drum kit.
  case drums
  /// A Karplus–Strong plucked string.
  case pluck
  /// Additive piano: inharmonic partials, per-partial decay, hammer noise.
  case piano
  /// The modelled grand: three detuned strings, two-stage decay, velocity-dependent hammer (`GrandVoice`).
  case grand
  /// Sample zones played back at the note's pitch (cubic interpolation, loops).
  case sampler(SamplerBank)
  /// Detuned oscillators through a resonant low-pass with its own envelope.
  case synth(SynthDefinition)
}

/// A complete sound: voice kind, envelope and level.
package struct Patch: Hashable, Sendable {
  package var kind: VoiceKind
  package var envelope: ADSR
  /// Linear gain applied to every note (before velocity).
  package var gain: Double
  /// Stereo position −1 … 1 added to every note's pan.
  package var pan: Double
  /// For `.drums`: the recipe each hit name plays (empty: the name is the recipe's, `Kick` … `Tom`).
  package var hits: [String: DrumSound]
  /// For `.drums`: hits played from samples: one-shot zones of `hitSamples`, by hit name.
  package var hitSamples: SamplerBank?
  package var hitZones: [String: Int] = [:]
  /// For `.drums`: choke groups (≥ 1) by hit name. A hit cuts every earlier hit of its group still sounding
  /// on the same instrument (an open hi-hat is cut by a closed one), with a 5 ms fade.
  package var chokeGroups: [String: Int] = [:]
  /// For `.drums`: each hit's place in the stereo field (−1 … 1), added to the note's pan (kit files' `"pan"`).
  package var hitPans: [String: Double] = [:]
  /// For a sampler played by hit names (a SoundFont drum kit): the MIDI key each hit name plays.
  package var hitKeys: [String: Int] = [:]

  package init(kind: VoiceKind, envelope: ADSR, gain: Double, pan: Double = 0, hits: [String: DrumSound] = [:]) {
    self.kind = kind
    self.envelope = envelope
    self.gain = gain
    self.pan = pan
    self.hits = hits
  }

  /// The patches of the built-in instruments, keyed by their identity.
  package static let builtIn: PatchBank = [
    .sine: Patch(
      kind: .oscillator(.sine),
      envelope: .init(attackSeconds: 0.01, decaySeconds: 0.1, sustainLevel: 0.8, releaseSeconds: 0.15), gain: 0.196),
    .triangle: Patch(
      kind: .oscillator(.triangle),
      envelope: .init(attackSeconds: 0.01, decaySeconds: 0.1, sustainLevel: 0.8, releaseSeconds: 0.15), gain: 0.239),
    .saw: Patch(
      kind: .oscillator(.saw),
      envelope: .init(attackSeconds: 0.01, decaySeconds: 0.2, sustainLevel: 0.7, releaseSeconds: 0.15), gain: 0.251),
    .square: Patch(
      kind: .oscillator(.square),
      envelope: .init(attackSeconds: 0.01, decaySeconds: 0.2, sustainLevel: 0.7, releaseSeconds: 0.15), gain: 0.149),
    .noise: Patch(
      kind: .noise(LowPass(cutoffRatio: 1, q: 6)),
      envelope: .init(attackSeconds: 0.02, decaySeconds: 0.2, sustainLevel: 0.6, releaseSeconds: 0.3), gain: 0.918),
    .synth: Patch(
      kind: .drums, envelope: .init(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0), gain: 0.41),
    .guitar: Patch(
      kind: .pluck, envelope: .init(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.12),
      gain: 0.819),
    .grand: Patch(
      kind: .grand, envelope: .init(attackSeconds: 0.001, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.25),
      gain: 0.917),
    .piano: Patch(
      kind: .piano, envelope: .init(attackSeconds: 0.002, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.18),
      gain: 0.509),
  ]
}
