/// The built-in kit, synthesised: pitch and amplitude envelopes over tones and noise. Each hit is a pure
/// function of its frame offset except for the filters, whose state carries sample by sample.
enum DrumVoice {
  /// How long each sound rings, in seconds (the voice ends there whatever the note's `dur`).
  static func lengthSeconds(_ d: DrumSound) -> Double {
    switch d {
    case .kick: return 0.6
    case .snare: return 0.4
    case .hiHat: return 0.16
    case .crash: return 2.5
    case .tom: return 0.8
    }
  }

  /// Frequencies of the square waves that make the metallic cymbal tone (the TR-808's ratios).
  static let metallicHz: [Double] = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0]

  /// Sets up filters when the hit starts.
  static func prepare(_ d: DrumSound, state: inout VoiceState, sampleRate: Double) {
    switch d {
    case .snare: state.filterA = StateVariableFilter(cutoffHz: 1800, q: 0.7, sampleRate: sampleRate)
    case .hiHat:
      state.filterA = StateVariableFilter(cutoffHz: 7500, q: 0.8, sampleRate: sampleRate)
      state.filterB = StateVariableFilter(cutoffHz: 10000, q: 1.2, sampleRate: sampleRate)
    case .crash:
      state.filterA = StateVariableFilter(cutoffHz: 4500, q: 0.7, sampleRate: sampleRate)
      state.filterB = StateVariableFilter(cutoffHz: 9000, q: 0.9, sampleRate: sampleRate)
    case .kick: state.filterA = StateVariableFilter(cutoffHz: 3000, q: 0.7, sampleRate: sampleRate)
    case .tom: break
    }
  }

  /// Renders frames `[frame, frame + count)` of a hit into `out` (mono, overwritten).
  static func render(
    _ d: DrumSound, voice: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let secondsPerFrame = 1 / sampleRate
    let amp = voice.amplitude
    let key = voice.seed
    for i in 0..<count {
      let k = frame + Int64(i) - voice.startFrame
      let t = Double(k) * secondsPerFrame
      let tf = Float(t)
      let noise = NoiseHash.uniform(key: key, index: k)
      // A 1 ms fade-in so no hit starts with a click.
      let fadeIn: Float = t < 0.001 ? tf * 1000 : 1
      var y: Float
      switch d {
      case .kick:
        // f(t) = 48 + 110·2^(-t/0.035) Hz, phase = ∫f dt in closed form.
        let glide = DSPMath.exp2(-tf * (1 / 0.035))
        let cycles = 48 * t + 110 * (0.035 / 0.693_147_18) * Double(1 - glide)
        let body = tone(cycles) * DSPMath.exp2(-tf * (1 / 0.11))
        let click = state.filterA.process(noise).low * DSPMath.exp2(-tf * (1 / 0.004))
        y = body + click * 0.35
      case .snare:
        let body = (tone(185 * t) + 0.5 * tone(330 * t)) * DSPMath.exp2(-tf * (1 / 0.035))
        let rattle = state.filterA.process(noise).high * DSPMath.exp2(-tf * (1 / 0.06))
        y = 0.5 * body + 0.45 * rattle
      case .hiHat, .crash:
        var metal: Float = 0
        for f in metallicHz { metal += square(f * 1.72 * t) }
        let hp = state.filterA.process(metal * 0.12 + noise * 0.6).high
        let shaped = state.filterB.process(hp).band
        let halfLife: Float = d == .hiHat ? 0.022 : 0.32
        y = (hp * 0.6 + shaped * 0.5) * DSPMath.exp2(-tf / halfLife)
      case .tom:
        let cycles = 105 * t + 55 * (0.05 / 0.693_147_18) * Double(1 - DSPMath.exp2(-tf * (1 / 0.05)))
        y = tone(cycles) * DSPMath.exp2(-tf * (1 / 0.13)) + noise * 0.05 * DSPMath.exp2(-tf * (1 / 0.01))
      }
      // The last 5 ms fade out so the voice ends at exactly zero.
      let remaining = voice.endFrame - (frame + Int64(i))
      let fadeFrames = Int64(sampleRate * 0.005)
      let fadeOut: Float = remaining < fadeFrames ? Float(remaining) / Float(fadeFrames) : 1
      out[i] = y * amp * fadeIn * fadeOut
    }
  }

  /// sin(2π·cycles).
  @inline(__always)
  static func tone(_ cycles: Double) -> Float {
    let frac = cycles - cycles.rounded(.down)
    return DSPMath.sine(UInt32(truncatingIfNeeded: Int64(frac * 4_294_967_296.0)))
  }

  /// A naive square wave at `cycles` (the cymbal tones are filtered hard afterwards).
  @inline(__always)
  static func square(_ cycles: Double) -> Float { cycles - cycles.rounded(.down) < 0.5 ? 1 : -1 }
}
