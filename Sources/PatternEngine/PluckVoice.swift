/// A Karplus–Strong plucked string (with the Jaffe–Smith extensions): a delay line one period long, fed
/// back through a two-point average (the string's losses) and a first-order all-pass that tunes the
/// fractional part of the period, so pitch is exact rather than rounded to whole samples.
enum PluckVoice {
  /// Longest delay line a slot holds, in samples (E2 at 192 kHz needs 2,331).
  static let maxDelay = 4096

  /// Fills the delay line with the pluck (seeded noise, softened for low velocities) and sets the tuning.
  static func prepare(
    voice: ScheduledVoice, state: inout VoiceState, line: UnsafeMutablePointer<Float>, sampleRate: Double
  ) {
    // Loop delay = N + 0.5 (the average) + d (the all-pass), d in [0.1, 1.1).
    let period = sampleRate / voice.frequencyHz
    let n = max(2, min(maxDelay - 1, Int(period - 0.6)))
    let d = period - 0.5 - Double(n)
    state.delayLength = n
    state.allpassCoefficient = Float((1 - d) / (1 + d))
    state.writeIndex = 0
    state.allpassIn = 0
    state.allpassOut = 0
    state.previous = 0
    // T60 of about 3.5 s at 110 Hz, shorter for higher strings: per-period gain 10^(-3·P/(T60·sr)).
    let t60 = 3.5 * (110 / voice.frequencyHz).squareRoot()
    state.loopGain = Float(DSPMath.exp2Double(-9.965_784 * period / (t60 * sampleRate)))
    // Excitation: noise through a one-pole low-pass whose brightness follows velocity.
    let smooth = 0.75 - 0.55 * voice.velocity
    var lp: Float = 0
    var mean: Float = 0
    for i in 0..<n {
      let x = NoiseHash.uniform(key: voice.seed, index: Int64(i))
      lp = lp + (x - lp) * (1 - smooth)
      line[i] = lp
      mean += lp
    }
    // Remove DC so the string settles to silence.
    mean /= Float(n)
    for i in 0..<n { line[i] -= mean }
  }

  /// Renders `count` frames from `frame` into `out` (mono, overwritten).
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, line: UnsafeMutablePointer<Float>, frame: Int64, count: Int,
    out: UnsafeMutablePointer<Float>
  ) {
    let n = state.delayLength
    let c = state.allpassCoefficient
    let g = state.loopGain
    for i in 0..<count {
      let x = line[state.writeIndex]
      let averaged = (x + state.previous) * 0.5
      state.previous = x
      let y = c * averaged + state.allpassIn - c * state.allpassOut
      state.allpassIn = averaged
      state.allpassOut = y
      line[state.writeIndex] = y * g
      state.writeIndex += 1
      if state.writeIndex == n { state.writeIndex = 0 }
      out[i] = x * voice.amplitude
    }
    // After note-off the string is damped: the envelope's exponential release (level 1 until then).
    voice.applyEnvelope(out, frame: frame, count: count)
  }
}
