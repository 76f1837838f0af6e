/// An additive piano: inharmonic partials (f_k = k·f0·√(1 + B·k²)), each decaying at its own rate, from two
/// slightly detuned strings (the beating that makes a piano shimmer), plus a felt-hammer thump.
enum PianoVoice {
  struct Partial: Sendable {
    var increment: UInt32 = 0
    var amplitude: Float = 0
    /// Exponent of 2 per frame (negative): the partial's decay.
    var decayPerFrame: Float = 0
  }

  /// Partials a slot holds (strings × partials).
  static let maxPartials = 24

  /// Computes the partials of a note. Returns how many were written.
  static func prepare(
    voice: ScheduledVoice, state: inout VoiceState, partials: UnsafeMutablePointer<Partial>, sampleRate: Double
  ) -> Int {
    let midi = 69 + 12 * log2Approx(voice.frequencyHz / 440)
    let f0 = voice.frequencyHz
    let b = 0.0002 * DSPMath.exp2Double((midi - 24) / 24)
    let halfLife1 = 1.8 * DSPMath.exp2Double(-(midi - 48) / 24)
    let brightness = 0.45 - 0.25 * Double(voice.velocity)
    var count = 0
    var total = 0.0
    for k in 1...(maxPartials / 2) {
      let kd = Double(k)
      // Stretched partials; divided by √(1+B) so the fundamental itself is exactly at pitch.
      let fk = kd * f0 * ((1 + b * kd * kd) / (1 + b)).squareRoot()
      if fk > min(0.42 * sampleRate, 12_000) { break }
      // 1/k fall-off, velocity-dependent brightness, and the hammer striking at 1/7 of the string.
      let strike = abs(DSPMath.sinCos(Double.pi * kd / 7).sin)
      let amp = DSPMath.exp2Double(-(kd - 1) * brightness) / kd * (0.3 + strike)
      let halfLife = halfLife1 / (1 + 0.3 * (kd - 1))
      for (string, cents) in [(0, -0.35), (1, 0.35)] {
        _ = string
        let f = fk * DSPMath.exp2Double(cents / 1200)
        partials[count] = Partial(
          increment: UInt32(truncatingIfNeeded: Int64((f / sampleRate * 4_294_967_296.0).rounded())),
          amplitude: Float(amp * 0.5),
          decayPerFrame: Float(-1 / (halfLife * sampleRate)))
        count += 1
      }
      total += amp
    }
    let norm = Float(1 / max(total, 1e-9))
    for i in 0..<count { partials[i].amplitude *= norm }
    state.filterA = StateVariableFilter(cutoffHz: f0 * 5, q: 0.9, sampleRate: sampleRate)
    return count
  }

  /// Renders `count` frames from `frame` into `out` (mono, overwritten).
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, partials: UnsafePointer<Partial>, partialCount: Int,
    frame: Int64, count: Int, sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let hammerDecay = Float(-1 / (0.006 * sampleRate))
    for i in 0..<count {
      let f = frame + Int64(i)
      let k = f - voice.startFrame
      let kf = Float(Int32(truncatingIfNeeded: k))
      var s: Float = 0
      for p in 0..<partialCount {
        let q = partials[p]
        s += q.amplitude * DSPMath.sine(UInt32(truncatingIfNeeded: k) &* q.increment) * DSPMath.exp2(kf * q.decayPerFrame)
      }
      let thump = state.filterA.process(NoiseHash.uniform(key: voice.seed, index: k)).low
      s += thump * 0.35 * voice.velocity * DSPMath.exp2(kf * hammerDecay)
      out[i] = s * voice.amplitude * voice.envelope(at: f)
    }
  }

  /// log2 for per-note setup (Newton steps on our exp2; not used per sample).
  static func log2Approx(_ x: Double) -> Double {
    var y = 0.0
    var v = x
    while v >= 2 { v /= 2; y += 1 }
    while v < 1 { v *= 2; y -= 1 }
    var r = v - 1  // initial guess for log2(v) in [0, 1)
    for _ in 0..<30 {
      let e = DSPMath.exp2Double(r)
      r -= (e - v) / (e * 0.693_147_180_559_945_3)
    }
    return y + r
  }
}

/// Seeded white noise through a resonant low-pass tuned to the note, under the ADSR.
enum NoiseVoice {
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count {
      let f = frame + Int64(i)
      let n = NoiseHash.uniform(key: voice.seed, index: f - voice.startFrame)
      out[i] = state.filterA.process(n).low * voice.amplitude * voice.envelope(at: f)
    }
  }
}
