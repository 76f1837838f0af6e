/// The built-in kit, synthesised: pitch and amplitude envelopes over tones and noise. Tones and envelopes are
/// pure functions of the frame offset (closed-form glides, fixed-point phase); only the filters carry state,
/// sample by sample in time order.
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

  /// Frequencies of the square waves that make the metallic cymbal tone (the TR-808's ratios, scaled up).
  static let metallicHz: [Double] = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0].map { $0 * 1.72 }

  /// Sets up the cymbal oscillators when the hit starts.
  static func prepare(_ d: DrumSound, state: inout VoiceState, sampleRate: Double) {
    for (i, hz) in metallicHz.enumerated() {
      state.metallic[i] = UInt32(truncatingIfNeeded: Int64((hz / sampleRate * 4_294_967_296.0).rounded()))
    }
  }

  /// Renders frames `[frame, frame + count)` of a hit into `out` (mono, overwritten); `out` must hold `count`
  /// rounded up to a multiple of 8 (whole vectors are stored).
  ///
  /// Every sample is a pure function of its frame offset: tones with closed-form pitch glides, exponential
  /// envelopes, counter-based noise, and noise "filters" that are short FIR differences of the noise at
  /// neighbouring offsets (the first difference is a 6 dB/octave high-pass, the second 12 dB/octave), so the
  /// whole hit is one SIMD8 pass with no state and no dependency from sample to sample.
  static func render(
    _ d: DrumSound, voice: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let k0 = frame - voice.startFrame
    let invRate = Float(1 / sampleRate)
    let key = (
      SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: voice.seed)),
      SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: voice.seed >> 32))
    )
    let fadeIn = Float(sampleRate * 0.001)
    let fadeOut = Float(sampleRate * 0.005)
    let length = Float(voice.endFrame - voice.startFrame)
    let amp = voice.amplitude
    let m = state.metallic
    let incs = (
      SIMD8<UInt32>(repeating: m[0]), SIMD8<UInt32>(repeating: m[1]), SIMD8<UInt32>(repeating: m[2]),
      SIMD8<UInt32>(repeating: m[3]), SIMD8<UInt32>(repeating: m[4]), SIMD8<UInt32>(repeating: m[5])
    )
    // Cymbal source: six square waves (±1 from each phase's top bit: integer SIMD compares compile to
    // per-lane loops in Swift, bit operations vectorise) plus noise.
    @inline(__always) func metal(_ k: SIMD8<Int32>) -> SIMD8<Float> {
      let n = SIMD8<UInt32>(truncatingIfNeeded: k)
      @inline(__always) func square(_ inc: SIMD8<UInt32>) -> SIMD8<Float> {
        unsafeBitCast((n &* inc) & 0x8000_0000 | 0x3F80_0000, to: SIMD8<Float>.self)
      }
      let squares = square(incs.0) + square(incs.1) + square(incs.2) + square(incs.3) + square(incs.4) + square(incs.5)
      return squares * 0.12 + noise(k, key) * 0.6
    }
    var i = 0
    while i < count {
      let kInt = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: k0 + Int64(i))) &+ OscillatorKernel.laneIndexInt
      // Float(k) for 0 ≤ k < 2^23 by the magic-number trick (the generic SIMD int→float init is an
      // out-of-line call that splits the vector in two halves).
      let k = unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: kInt) | 0x4B00_0000, to: SIMD8<Float>.self) - 8_388_608
      let t = k * invRate
      let y: SIMD8<Float>
      switch d {
      case .kick:
        // f(t) = 48 + 110·2^(-t/0.035) Hz; cycles = ∫f dt in closed form. The click is noise smoothed by a
        // two-point average (a gentle low-pass).
        let glide = DSPMath.exp2(t * Float(-1 / 0.035))
        let cycles = t * 48 + (1 - glide) * Float(110 * 0.035 / 0.693_147_180_56)
        let body = DSPMath.sineOfCycles(cycles) * DSPMath.exp2(t * Float(-1 / 0.11))
        let click = (noise(kInt, key) + noise(kInt &- 1, key)) * DSPMath.exp2(t * Float(-1 / 0.004))
        y = body + click * 0.2
      case .snare:
        let tone = DSPMath.sineOfCycles(t * 185) + DSPMath.sineOfCycles(t * 330) * 0.5
        let rattle = (noise(kInt, key) - noise(kInt &- 1, key)) * DSPMath.exp2(t * Float(-1 / 0.06))
        y = tone * DSPMath.exp2(t * Float(-1 / 0.035)) * 0.5 + rattle * 0.3
      case .hiHat, .crash:
        let highPassed = metal(kInt) - metal(kInt &- 1) * 2 + metal(kInt &- 2)
        y = highPassed * DSPMath.exp2(t * (d == .hiHat ? Float(-1 / 0.022) : Float(-1 / 0.32))) * 0.3
      case .tom:
        let glide = DSPMath.exp2(t * Float(-1 / 0.05))
        let cycles = t * 105 + (1 - glide) * Float(55 * 0.05 / 0.693_147_180_56)
        y =
          DSPMath.sineOfCycles(cycles) * DSPMath.exp2(t * Float(-1 / 0.13))
          + noise(kInt, key) * DSPMath.exp2(t * Float(-1 / 0.01)) * 0.05
      }
      // Level, a 1 ms fade-in (no click at the start) and a 5 ms fade-out to exactly zero at the end.
      var gain = SIMD8<Float>(repeating: amp)
      gain.replace(with: gain * (k / fadeIn), where: k .< fadeIn)
      let remaining = length - k
      gain.replace(with: gain * (remaining / fadeOut), where: remaining .< fadeOut)
      UnsafeMutableRawPointer(out + i).storeBytes(of: y * gain, as: SIMD8<Float>.self)
      i += 8
    }
  }

  /// Counter-based noise in [-1, 1) at frame offsets `k` (negative offsets are valid indices too).
  @inline(__always)
  static func noise(_ k: SIMD8<Int32>, _ key: (SIMD8<UInt32>, SIMD8<UInt32>)) -> SIMD8<Float> {
    let x = NoiseHash.lowbias32(NoiseHash.lowbias32(SIMD8<UInt32>(truncatingIfNeeded: k) ^ key.0) ^ key.1)
    return NoiseHash.toUniform(x)
  }
}
