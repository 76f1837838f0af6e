/// The modelled grand piano (`grand`): a fuller physical model than the built-in `piano`.
///
/// Per note, inharmonic partials (f_k = k·f0·√(1 + B·k²), with the stiffness B rising from 0.0002 at A0 to
/// 0.02 at C8 as in measured pianos) up to 16 kHz: the first eight on up to three strings (two below E2, one
/// below A#0 as real grands are strung), detuned by fractions of a cent so unisons beat, plus an
/// "aftersound" component that decays 3.5× slower at −16 dB (the two-stage decay of coupled strings); the
/// higher ones as one component each, so a bass note keeps ~50 partials. The hammer strikes at 1/8 of
/// the string (partials near multiples of 8 are weak) with a felt whose hardness rises with velocity, so
/// loud notes are brighter, not only louder. Decay shortens up the keyboard (T60 of the fundamental 30 s at
/// A0, 7 s at C4, 3 s at C6) and with partial number. A short noise thump is the hammer and key.
///
/// Like `PianoVoice`, each component is a damped complex rotation advanced per frame in time order (64
/// lanes in eight `SIMD8`), so any block split gives the same bits.
enum GrandVoice {
  /// The rotating components of one note: 64 lanes as eight `SIMD8` (unused lanes stay zero).
  struct Partials: Sendable {
    typealias Lanes = (
      SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
    )
    var re: Lanes = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    var im: Lanes = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    var c: Lanes = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    var s: Lanes = (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)

    /// Sets lane `i` (0 … 63) of `lanes`.
    static func set(_ lanes: inout Lanes, _ i: Int, _ value: Float) {
      withUnsafeMutableBytes(of: &lanes) { $0.storeBytes(of: value, toByteOffset: 4 * i, as: Float.self) }
    }
  }

  static let lanes = 64
  /// Partials below this number get one lane per string and an aftersound lane.
  static let unisonPartials = 8

  /// The inharmonicity coefficient B at MIDI note `midi` (log-linear from A0 to C8).
  static func stiffness(_ midi: Double) -> Double { 0.0002 * DSPMath.exp2Double((midi - 21) / 87 * 6.64) }

  /// Seconds for the fundamental to fall 60 dB at MIDI note `midi`.
  static func t60(_ midi: Double) -> Double { 30 * DSPMath.exp2Double(-(midi - 21) / 19) }

  /// Sets up the components and the hammer filter of a note.
  static func prepare(voice: ScheduledVoice, state: inout VoiceState, partials p: inout Partials, sampleRate: Double) {
    let f0 = voice.frequencyHz
    let midi = voice.midiNote
    let b = stiffness(midi)
    let strings = midi < 22 ? 1 : midi < 40 ? 2 : 3
    // Felt hardness: the hammer's spectrum rolls off above this frequency (Hz), higher when struck harder.
    let rollOff = 900 + 5_500 * Double(voice.velocity) * Double(voice.velocity)
    // Unison detuning in cents, from a per-key stream (every key its own small mistuning, every render the same).
    let spread = 0.25 + 0.5 * Double(NoiseHash.uniform(key: NoiseHash.key(0x6772_616E_64, UInt64(midi)), index: 0) + 1)
    p = Partials()
    var total = 0.0
    var lane = 0
    var k = 0
    while lane < lanes {
      k += 1
      let kd = Double(k)
      // Stretched by stiffness, with the fundamental kept on the written pitch.
      let fk = kd * f0 * ((1 + b * kd * kd) / (1 + b)).squareRoot()
      let components = k <= unisonPartials ? strings + 1 : 1
      if fk > min(0.42 * sampleRate, 16_000) || lane + components > lanes { break }
      let strike = abs(DSPMath.sinCos(Double.pi * kd / 8).sin)
      let amp = strike / kd * DSPMath.exp2Double(-fk / rollOff)
      // Higher partials decay faster: T60 shrinks with frequency above the fundamental.
      let t = t60(midi) / (1 + 0.35 * (kd - 1) + fk / 6_000)
      for component in 0..<components {
        // The strings (detuned −spread, 0, +spread) share the prompt sound; one more lane is the aftersound.
        let single = components == 1
        let after = !single && component == strings
        let cents = after || single || strings == 1 ? 0 : spread * (Double(component) - Double(strings - 1) / 2)
        let level = single ? amp : after ? amp * 0.16 : amp / Double(strings)
        let seconds = after ? t * 3.5 : t
        let g = DSPMath.exp2Double(-(60.0 / 6.020_6) / (seconds * sampleRate))
        let w = 2 * Double.pi * fk * DSPMath.exp2Double(cents / 1200) / sampleRate
        let (sinW, cosW) = DSPMath.sinCos(w)
        Partials.set(&p.re, lane, Float(level))
        Partials.set(&p.c, lane, Float(g * cosW))
        Partials.set(&p.s, lane, Float(g * sinW))
        lane += 1
      }
      total += amp
    }
    let norm = Float(1 / max(total, 1e-9))
    p.re = (
      p.re.0 * norm, p.re.1 * norm, p.re.2 * norm, p.re.3 * norm, p.re.4 * norm, p.re.5 * norm, p.re.6 * norm,
      p.re.7 * norm
    )
    state.filterA = StateVariableFilter(cutoffHz: min(f0 * 6, 9_000), q: 0.8, sampleRate: sampleRate)
  }

  /// Renders `count` frames from `frame` into `out` (mono, overwritten). The 64 lanes are kept as eight `SIMD8`
  /// values and stepped as four `SIMD16` pairs (one `SIMD64` compiled to scalar code here, ~200× slower).
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, partials p: inout Partials, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let hammerDecay = Float(-1 / (0.004 * sampleRate))
    let thumpFrames = Int64(sampleRate * 0.04)
    // Lanes paired [0|2], [1|3], [4|6], [5|7], one SIMD16 each (one 512-bit register where the CPU has them: half
    // the rotations' instructions). The pairing keeps the sum's order: [0|2] + [1|3] is 0+1 and 2+3 at once.
    @inline(__always) func pairs(_ l: Partials.Lanes) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
      (
        SIMD16(lowHalf: l.0, highHalf: l.2), SIMD16(lowHalf: l.1, highHalf: l.3), SIMD16(lowHalf: l.4, highHalf: l.6),
        SIMD16(lowHalf: l.5, highHalf: l.7)
      )
    }
    @inline(__always) func lanes(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>)
      -> Partials.Lanes
    {
      (a.lowHalf, b.lowHalf, a.highHalf, b.highHalf, c.lowHalf, d.lowHalf, c.highHalf, d.highHalf)
    }
    var (reA, reB, reC, reD) = pairs(p.re)
    var (imA, imB, imC, imD) = pairs(p.im)
    let (cA, cB, cC, cD) = pairs(p.c)
    let (sA, sB, sC, sD) = pairs(p.s)
    /// Components that have died away are zeroed (a subnormal in the recursion costs ~100× per operation).
    @inline(__always) func flush(_ re: inout SIMD16<Float>, _ im: inout SIMD16<Float>) {
      let gone = (re * re + im * im) .< 1e-24
      re.replace(with: 0, where: gone)
      im.replace(with: 0, where: gone)
    }
    // Eight frames at a time: each frame's partials summed lane-wise to eight values (its row), then the eight
    // frames' sums in order, (((v0 + v1) + v2) … + v7), as vertical additions of the transposed rows — one vector
    // addition per term for eight frames, instead of a chain of scalar additions per frame (`DSPMath.sumInOrder`
    // did the same additions, in the same order, and was half of this loop). (Written inline: stepping the
    // rotations in a helper, a method or a closure, was compiled to code 1.5–15× slower.)
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
        if (k0 + Int64(f)) & 255 == 0 {
          // On a grid from the note's start, never by block, so every block split gives the same bits.
          flush(&reA, &imA)
          flush(&reB, &imB)
          flush(&reC, &imC)
          flush(&reD, &imD)
        }
        // The same additions every frame: ((0+1) + (2+3)) + ((4+5) + (6+7)), lane-wise.
        let (first, second) = (imA + imB, imC + imD)
        let halves =
          SIMD16(lowHalf: first.lowHalf, highHalf: second.lowHalf)
          + SIMD16(lowHalf: first.highHalf, highHalf: second.highHalf)
        let row = halves.lowHalf + halves.highHalf
        DSPMath.set(&rows, row: f, to: row)
        (reA, imA) = (reA * cA - imA * sA, reA * sA + imA * cA)
        (reB, imB) = (reB * cB - imB * sB, reB * sB + imB * cB)
        (reC, imC) = (reC * cC - imC * sC, reC * sC + imC * cC)
        (reD, imD) = (reD * cD - imD * sD, reD * sD + imD * cD)
      }
      StruckOutput.write(
        rows, count: n, firstFrame: k0, thumpFrames: thumpFrames, amplitude: amplitude, into: out + i
      ) { k in
        state.filterA.process(NoiseHash.uniform(key: voice.seed, index: k)).low * 0.25 * voice.velocity
          * DSPMath.exp2(Float(Int32(truncatingIfNeeded: k)) * hammerDecay)
      }
      i += n
    }
    p.re = lanes(reA, reB, reC, reD)
    p.im = lanes(imA, imB, imC, imD)
    voice.applyEnvelope(out, frame: frame, count: count)
  }

}
