/// An additive piano: inharmonic partials (f_k = k·f0·√((1 + B·k²)/(1 + B))), each decaying at its own rate,
/// from two slightly detuned strings (the beating that makes a piano shimmer), plus a felt-hammer thump.
///
/// Each partial is a damped complex rotation `z ← z · g·e^{iω}` whose imaginary part is the partial's
/// sample: four multiplies and two adds per partial per frame, 24 partials in three `SIMD8` registers.
/// The state carries from frame to frame in time order, so any block split gives the same bits.
enum PianoVoice {
  /// The rotating partials of one note: 24 lanes (12 partials × 2 strings).
  struct Partials: Sendable {
    var re = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var im = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var c = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var s = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())

    /// Sets lane `i` (0 … 23) of the start value and rotation.
    mutating func set(_ i: Int, re r: Float, c cv: Float, s sv: Float) {
      switch i / 8 {
      case 0:
        re.0[i % 8] = r
        c.0[i % 8] = cv
        s.0[i % 8] = sv
      case 1:
        re.1[i % 8] = r
        c.1[i % 8] = cv
        s.1[i % 8] = sv
      default:
        re.2[i % 8] = r
        c.2[i % 8] = cv
        s.2[i % 8] = sv
      }
    }
  }

  static let maxPartials = 12

  /// Sets up the partials and the hammer filter of a note.
  static func prepare(voice: ScheduledVoice, state: inout VoiceState, partials: inout Partials, sampleRate: Double) {
    let f0 = voice.frequencyHz
    let midi = voice.midiNote
    let b = 0.0002 * DSPMath.exp2Double((midi - 24) / 24)
    let halfLife1 = 1.8 * DSPMath.exp2Double(-(midi - 48) / 24)
    let brightness = 0.45 - 0.25 * Double(voice.velocity)
    // Lanes are filled in place (no arrays: this runs inside the render loop, which never allocates).
    partials = Partials()
    var total = 0.0
    var lane = 0
    for k in 1...maxPartials {
      let kd = Double(k)
      let fk = kd * f0 * ((1 + b * kd * kd) / (1 + b)).squareRoot()
      if fk > min(0.42 * sampleRate, 12_000) { break }
      // 1/k fall-off, velocity-dependent brightness, and the hammer striking at 1/7 of the string.
      let strike = abs(DSPMath.sinCos(Double.pi * kd / 7).sin)
      let amp = DSPMath.exp2Double(-(kd - 1) * brightness) / kd * (0.3 + strike)
      let halfLife = halfLife1 / (1 + 0.3 * (kd - 1))
      let g = DSPMath.exp2Double(-1 / (halfLife * sampleRate))
      for string in 0..<2 {
        let cents = string == 0 ? -0.35 : 0.35
        let w = 2 * Double.pi * fk * DSPMath.exp2Double(cents / 1200) / sampleRate
        let (sinW, cosW) = DSPMath.sinCos(w)
        partials.set(lane, re: Float(amp * 0.5), c: Float(g * cosW), s: Float(g * sinW))
        lane += 1
      }
      total += amp
    }
    let norm = Float(1 / max(total, 1e-9))
    partials.re = (partials.re.0 * norm, partials.re.1 * norm, partials.re.2 * norm)
    state.filterA = StateVariableFilter(cutoffHz: f0 * 5, q: 0.9, sampleRate: sampleRate)
  }

  /// Renders `count` frames from `frame` into `out` (mono, overwritten).
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, partials p: inout Partials, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let hammerDecay = Float(-1 / (0.006 * sampleRate))
    var (re0, re1, re2) = p.re
    var (im0, im1, im2) = p.im
    let (c0, c1, c2) = p.c
    let (s0, s1, s2) = p.s
    let thumpFrames = Int64(sampleRate * 0.05)
    // Eight frames at a time, as `GrandVoice.render`: each frame's lane-wise sum (its row), then the eight frames'
    // `sumInOrder` as vertical additions of the transposed rows (the same additions in the same order).
    var rows = (
      SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero,
      SIMD8<Float>.zero, SIMD8<Float>.zero
    )
    let amplitude = voice.amplitude
    var i = 0
    while i < count {
      let n = min(8, count - i)
      let k0 = frame + Int64(i) - voice.startFrame
      for f in 0..<n {
        let row = im0 + im1 + im2
        DSPMath.set(&rows, row: f, to: row)
        (re0, im0) = (re0 * c0 - im0 * s0, re0 * s0 + im0 * c0)
        (re1, im1) = (re1 * c1 - im1 * s1, re1 * s1 + im1 * c1)
        (re2, im2) = (re2 * c2 - im2 * s2, re2 * s2 + im2 * c2)
      }
      StruckOutput.write(
        rows, count: n, firstFrame: k0, thumpFrames: thumpFrames, amplitude: amplitude, into: out + i
      ) { k in
        state.filterA.process(NoiseHash.uniform(key: voice.seed, index: k)).low * 0.35 * voice.velocity
          * DSPMath.exp2(Float(Int32(truncatingIfNeeded: k)) * hammerDecay)
      }
      i += n
    }
    p.re = (re0, re1, re2)
    p.im = (im0, im1, im2)
    voice.applyEnvelope(out, frame: frame, count: count)
  }
}
