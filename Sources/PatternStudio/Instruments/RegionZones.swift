import PatternEngine
import PatternSamplerFormats

/// Turns the neutral regions of the SF2 and SFZ readers into the sampler zones the engine plays, so both
/// formats (and JSON instruments) share one voice. Units stay physical; only shapes are chosen here.
enum RegionZones {
  /// How a format's envelopes and velocity behave in the reference player it is checked against.
  struct Conventions {
    /// dB the volume envelope's decay and release fall in their nominal time (FluidSynth: 96; sfizz ≈ 78.2).
    var envelopeDecibels: Double
    /// Sustain levels in dB are scaled by this (FluidSynth maps the spec's 100 dB onto 96 dB: 0.96).
    var sustainScale: Double
    /// Level every note gets from the player's default channel state, dB (FluidSynth: channel volume CC7 = 100
    /// is 42 cB of attenuation, measured −4.20 dB).
    var channelDecibels: Double = 0
    /// Whether a filtered zone's level is raised by 1/√q, the SF2 2.01 §8.1.3 gain reduction FluidSynth
    /// implements as a boost for q below 1 (+1.5 dB at 0 dB resonance).
    var filterGainCompensation = false
  }

  /// The zone for `region`, whose sample is `buffer` (frames relative to the region's sample start).
  static func zone(_ r: SamplerRegion, buffer: SampleBuffer, conventions c: Conventions) -> SampleZone {
    var z = SampleZone(
      keys: r.keyLow...max(r.keyLow, r.keyHigh), velocities: 0...1, root: r.rootKey, tuneCents: r.tuneCents,
      gain: DSPMath.gain(decibels: r.gainDb), buffer: buffer, loop: nil, releaseSeconds: r.ampEnv.release,
      crossfadeFrames: 0)
    z.nativeRate = true
    z.midiVelocities = max(0, r.velLow)...max(r.velLow, min(127, r.velHigh))
    z.keyTrack = r.keyTrackCents / 100
    z.pan = max(-1, min(1, r.pan))
    z.velocityGain = velocityTable(r.velocityCurve)
    let end = min(buffer.count, r.end ?? buffer.count)
    z.playRange = min(max(0, r.offset), end)..<end
    switch r.loopMode {
    case .noLoop: break
    case .oneShot: z.oneShot = true
    case .continuous, .untilRelease:
      if r.loopStart >= 0, r.loopStart + 1 < r.loopEnd, r.loopEnd <= buffer.count {
        z.loop = r.loopStart..<r.loopEnd
        z.loopUntilRelease = r.loopMode == .untilRelease
      }
    }
    z.envelope = envelope(r.ampEnv, c)
    if let cutoff = r.filterCutoffHz {
      var f = SamplerFilter(cutoffHz: cutoff)
      f.resonanceDecibels = r.filterResonanceDb
      if r.velocityToFilterCents != 0 || r.filterVelTrackCents != 0 {
        // SF2's default modulator moves the cutoff by the full amount at velocity 0 (none at 127); SFZ's
        // fil_veltrack by the full amount at 127 (none at 0).
        f.velocityCents = (0..<128).map { v in
          Float(r.velocityToFilterCents * (1 - Double(v) / 127) + r.filterVelTrackCents * Double(v) / 127)
        }
      }
      z.filter = f
      if c.filterGainCompensation { z.gain /= f.q.squareRoot() }
    }
    z.gain *= DSPMath.gain(decibels: c.channelDecibels)
    var m = SamplerModulation()
    m.envelope = SamplerEnvelope()
    m.envelope.delay = r.modEnv.delay
    m.envelope.attack = r.modEnv.attack
    m.envelope.hold = r.modEnv.hold
    m.envelope.decay = r.modEnv.decay
    m.envelope.sustain = r.modEnv.sustain
    m.envelope.release = r.modEnv.release
    m.envelopeToPitchCents = r.modEnvToPitchCents
    m.envelopeToFilterCents = z.filter == nil ? 0 : r.modEnvToFilterCents
    m.vibrato = lfo(r.vibLFO, filter: false)
    m.lfo = lfo(r.modLFO, filter: z.filter != nil)
    z.modulation = m.isSilent ? nil : m
    z.chokeGroup = r.exclusiveClass
    z.chokedBy = r.offBy
    z.releaseTrigger = r.releaseTrigger
    z.releaseDecayDbPerSecond = r.releaseDecayDbPerSecond
    z.sequenceLength = max(1, r.sequenceLength)
    z.sequencePosition = max(1, min(z.sequenceLength, r.sequencePosition))
    let low = max(0, min(1, r.randomLow))
    z.randomRange = low..<max(low, min(1.000_001, r.randomHigh == 1 ? 1.000_001 : r.randomHigh))
    return z
  }

  static func envelope(_ e: EnvelopeSpec, _ c: Conventions) -> SamplerEnvelope {
    var env = SamplerEnvelope()
    env.delay = e.delay
    env.attack = e.attack
    env.hold = e.hold
    env.decay = e.decay
    let sustain = max(0, min(1, e.sustain))
    env.sustain =
      sustain <= 0 || sustain >= 1 ? sustain : DSPMath.gain(decibels: 20 * DSPMath.log10(sustain) * c.sustainScale)
    env.release = e.release
    env.decayDecibels = c.envelopeDecibels
    env.releaseDecibels = c.envelopeDecibels
    env.holdKeyTrackTimecents = e.holdKeyTrackTimecents
    env.decayKeyTrackTimecents = e.decayKeyTrackTimecents
    return env
  }

  static func lfo(_ l: LFOSpec, filter: Bool) -> SamplerLFO {
    var out = SamplerLFO()
    out.sine = l.shape == .sine
    out.delay = l.delay
    out.frequencyHz = l.frequency
    out.toPitchCents = l.toPitchCents
    out.toFilterCents = filter ? l.toFilterCents : 0
    out.toVolumeDecibels = l.toVolumeDb
    return out
  }

  /// FluidSynth's default velocity → attenuation modulator (960 cB, concave, negative) works out to
  /// (v/127)², 40·log10(v/127) dB (measured: velocity 100 → 50 is −12.04 dB in FluidSynth 2.3). One table,
  /// shared by every SF2 zone.
  static let sf2Velocity: [Float] = (0..<128).map { v in Float((Double(v) / 127) * (Double(v) / 127)) }

  /// Linear gain by MIDI velocity 0 … 127.
  static func velocityTable(_ curve: VelocityCurve) -> [Float] {
    switch curve {
    case .sf2Concave: return sf2Velocity
    case .sfz(let track, let points):
      return (0..<128).map { v in
        Float(SFZInstrument.velocityGain(velocity: v, velTrackPercent: track, points: points))
      }
    }
  }
}
