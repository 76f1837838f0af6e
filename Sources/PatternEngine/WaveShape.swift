/// A waveform's scalar, SIMD8 and SIMD16 sample functions; all perform the same IEEE operations per frame.
protocol WaveShape {
  static func sample(_ phase: UInt32, _ bl: OscillatorKernel.BandLimit) -> Float
  static func sample8(_ phase: SIMD8<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD8<Float>
  /// Sixteen samples: `sample8` of each half, bit for bit.
  static func sample16(_ phase: SIMD16<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD16<Float>
  /// How far phase `p0` is from the guard window of the wave's nearest discontinuity (`BandLimit.room16`):
  /// while it is at least `BandLimit.smoothRoom16`, the sixteen frames from `p0` are all far from every edge,
  /// and `smooth8` gives exactly what `sample8` would for each group of eight.
  static func room16(_ p0: UInt32, _ bl: OscillatorKernel.BandLimit) -> UInt32
  /// Eight samples without band-limiting corrections.
  static func smooth8(_ phase: SIMD8<UInt32>) -> SIMD8<Float>
  /// Sixteen samples without corrections: `smooth8` of each half, in one 512-bit vector where the CPU has them.
  static func smooth16(_ phase: SIMD16<UInt32>) -> SIMD16<Float>
  /// Whether `smooth8` is the phase read as signed times 2^-31 (the saw), so the kernel may fold that scale
  /// into its gains where the product is exact.
  static var isScaledPhase: Bool { get }
}

extension WaveShape {
  static var isScaledPhase: Bool { false }

  /// The naive sawtooth in [-1, 1) that starts at 0: the phase read as signed and scaled by 2^-31.
  @inline(__always)
  static func signed(_ phase: UInt32) -> Float { Float(Int32(bitPattern: phase)) * DSPMath.phaseScale }

  /// The phase read as a signed integer, as floats (the saw before its 2^-31 scale). Lane by lane, which the
  /// compiler joins into one conversion: the vector initialiser `SIMD8<Float>(SIMD8<Int32>)` was left out of line
  /// in the square's and triangle's loops, a call (and `vzeroupper`) per eight frames.
  @inline(always)
  static func integer8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> {
    let v = SIMD8<Int32>(truncatingIfNeeded: phase)
    return SIMD8<Float>(
      Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]), Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
  }

  @inline(__always)
  static func signed8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> { integer8(phase) * DSPMath.phaseScale }

  /// `integer8` of sixteen frames.
  @inline(__always)
  static func integer16(_ phase: SIMD16<UInt32>) -> SIMD16<Float> {
    OscillatorKernel.float16(SIMD16<Int32>(truncatingIfNeeded: phase))
  }
}

enum SineShape: WaveShape {
  // Sixteen lanes as two halves, written out in each wave: as a default implementation or a generic helper
  // they were left out of line (measured: W2's notes 25 % slower).
  @inline(__always)
  static func smooth16(_ phase: SIMD16<UInt32>) -> SIMD16<Float> {
    SIMD16<Float>(lowHalf: smooth8(phase.lowHalf), highHalf: smooth8(phase.highHalf))
  }

  @inline(__always)
  static func sample16(_ phase: SIMD16<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD16<Float> {
    SIMD16<Float>(lowHalf: sample8(phase.lowHalf, bl), highHalf: sample8(phase.highHalf, bl))
  }

  @inline(__always)
  static func sample(_ phase: UInt32, _ bl: OscillatorKernel.BandLimit) -> Float { DSPMath.sine(phase: phase) }

  @inline(__always)
  static func sample8(_ phase: SIMD8<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD8<Float> { smooth8(phase) }

  /// No edges: as far as the counter reaches.
  @inline(__always)
  static func room16(_ p0: UInt32, _ bl: OscillatorKernel.BandLimit) -> UInt32 { .max }

  @inline(__always)
  static func smooth8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> {
    var y = signed8(phase)
    y.replace(with: 1 - y, where: y .> 0.5)
    y.replace(with: -1 - y, where: y .< -0.5)
    return DSPMath.sinePoly8(y)
  }
}

enum SawShape: WaveShape {
  @inline(__always)
  static func sample(_ phase: UInt32, _ bl: OscillatorKernel.BandLimit) -> Float {
    let x = signed(phase)
    return x - OscillatorKernel.blep(x * 0.5 + 0.5, bl)
  }

  @inline(__always)
  static func sample8(_ phase: SIMD8<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD8<Float> {
    let x = signed8(phase)
    // The saw jumps where the phase read as signed wraps: at 2^31.
    guard bl.isNear(phase[0], edge: 0x8000_0000) else { return x }
    return x - OscillatorKernel.blep8(x * 0.5 + 0.5, bl)
  }

  @inline(__always)
  static func room16(_ p0: UInt32, _ bl: OscillatorKernel.BandLimit) -> UInt32 { bl.room16(p0, edge: 0x8000_0000) }

  @inline(__always)
  static func smooth8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> { signed8(phase) }

  @inline(__always)
  static func smooth16(_ phase: SIMD16<UInt32>) -> SIMD16<Float> { integer16(phase) * DSPMath.phaseScale }

  /// All sixteen lanes corrected in one vector: the correction is exactly 0 wherever `sample8`'s guard would have
  /// skipped it (the guard covers every lane its masks can select), and x − 0 is x.
  ///
  /// `x − blep8(x · 0.5 + 0.5)` of each half with one operation fewer, same bits: m = Float(Int32(phase)) is
  /// an integer of magnitude at most 2^31, so x = m · 2^-31 and x · 0.5 are exact and t = RN(m · 2^-32 + 0.5)
  /// = 2^-32 · RN(m + 2^31) (a power-of-two scaling commutes with rounding while nothing is subnormal; t is 0
  /// or at least 2^-32). So `tp = m + 2^31` is t in phase units, and each use of t is rescaled exactly:
  /// t < dt is tp < dt · 2^32, t · (1/dt) is tp · (2^-32/dt), RN(t − 1) is 2^-32 · RN(tp − 2^32). Compared with
  /// the halves for all 2^32 phases at 19 increments from 1 to 2^32 − 1 (a one-off run); `DeterminismTests`
  /// keeps a sample of them.
  // `@inline(always)`, not `__always`: with the hint alone this body was left out of line in the kernel, its
  // conversions unspecialised (measured: W1's synthesis at less than half speed).
  @inline(always)
  static func sample16(_ phase: SIMD16<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD16<Float> {
    let m = integer16(phase)
    let x = m * DSPMath.phaseScale
    let tp = m + 0x1p31
    var r = SIMD16<Float>(repeating: 0)
    let low = tp .< bl.dtInPhase
    let high = (tp .> bl.oneMinusDtInPhase) .& .!low
    let y0 = tp * bl.inverseDtInPhase
    r.replace(with: y0 + y0 - y0 * y0 - 1, where: low)
    let y1 = (tp - 0x1p32) * bl.inverseDtInPhase
    r.replace(with: y1 * y1 + y1 + y1 + 1, where: high)
    return x - r
  }

  static var isScaledPhase: Bool { true }
}

enum SquareShape: WaveShape {
  // Sixteen lanes as two halves, written out in each wave: as a default implementation or a generic helper
  // they were left out of line (measured: W2's notes 25 % slower).
  @inline(__always)
  static func smooth16(_ phase: SIMD16<UInt32>) -> SIMD16<Float> {
    SIMD16<Float>(lowHalf: smooth8(phase.lowHalf), highHalf: smooth8(phase.highHalf))
  }

  /// All sixteen lanes corrected at both edges in one vector: `sample8`'s guards only skip residuals that are
  /// exactly 0, and ±1 + 0 is ±1, so each lane has `sample8`'s bits. (As two `sample8` halves, each with its own
  /// guards, the compiler lowered the masks lane by lane.)
  @inline(always)
  static func sample16(_ phase: SIMD16<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD16<Float> {
    let x = integer16(phase) * DSPMath.phaseScale
    let t1 = integer16(phase &+ 0x8000_0000) * DSPMath.phaseScale * 0.5 + 0.5
    var naive = SIMD16<Float>(repeating: -1)
    naive.replace(with: 1, where: x .>= 0)
    return naive + OscillatorKernel.blep16(t1, bl) - OscillatorKernel.blep16(x * 0.5 + 0.5, bl)
  }

  @inline(__always)
  static func sample(_ phase: UInt32, _ bl: OscillatorKernel.BandLimit) -> Float {
    let x = signed(phase)
    let t1 = signed(phase &+ 0x8000_0000) * 0.5 + 0.5
    let naive: Float = x >= 0 ? 1 : -1
    return naive + OscillatorKernel.blep(t1, bl) - OscillatorKernel.blep(x * 0.5 + 0.5, bl)
  }

  @inline(always)
  static func sample8(_ phase: SIMD8<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD8<Float> {
    let x = signed8(phase)
    let t1 = signed8(phase &+ 0x8000_0000) * 0.5 + 0.5
    var y = smooth8(phase)
    if bl.isNear(phase[0], edge: 0) { y = y + OscillatorKernel.blep8(t1, bl) }
    if bl.isNear(phase[0], edge: 0x8000_0000) { y = y - OscillatorKernel.blep8(x * 0.5 + 0.5, bl) }
    return y
  }

  @inline(__always)
  static func room16(_ p0: UInt32, _ bl: OscillatorKernel.BandLimit) -> UInt32 {
    min(bl.room16(p0, edge: 0), bl.room16(p0, edge: 0x8000_0000))
  }

  @inline(__always)
  static func smooth8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> {
    var naive = SIMD8<Float>(repeating: -1)
    naive.replace(with: 1, where: signed8(phase) .>= 0)
    return naive
  }
}

enum TriangleShape: WaveShape {
  // Sixteen lanes as two halves, written out in each wave: as a default implementation or a generic helper
  // they were left out of line (measured: W2's notes 25 % slower).
  @inline(__always)
  static func smooth16(_ phase: SIMD16<UInt32>) -> SIMD16<Float> {
    SIMD16<Float>(lowHalf: smooth8(phase.lowHalf), highHalf: smooth8(phase.highHalf))
  }

  /// All sixteen lanes corrected at both edges in one vector: `sample8`'s guard only skips residuals that are
  /// exactly 0, and naive + 0 is naive (never −0), so each lane has `sample8`'s bits. (As two `sample8` halves,
  /// the compiler lowered the masks lane by lane: triangles rendered 8× slower than saws.)
  @inline(always)
  static func sample16(_ phase: SIMD16<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD16<Float> {
    let x = integer16(phase) * DSPMath.phaseScale
    let t1 = integer16(phase &+ 0x8000_0000) * DSPMath.phaseScale * 0.5 + 0.5
    var ax = x
    ax.replace(with: -x, where: x .< 0)
    let naive = ax * 2 - 1
    return naive + (OscillatorKernel.blamp16(t1, bl) - OscillatorKernel.blamp16(x * 0.5 + 0.5, bl)) * (4 * bl.dt)
  }

  @inline(__always)
  static func sample(_ phase: UInt32, _ bl: OscillatorKernel.BandLimit) -> Float {
    let x = signed(phase)
    let t1 = signed(phase &+ 0x8000_0000) * 0.5 + 0.5
    let naive = (x < 0 ? -x : x) * 2 - 1
    return naive + (OscillatorKernel.blamp(t1, bl) - OscillatorKernel.blamp(x * 0.5 + 0.5, bl)) * (4 * bl.dt)
  }

  @inline(always)
  static func sample8(_ phase: SIMD8<UInt32>, _ bl: OscillatorKernel.BandLimit) -> SIMD8<Float> {
    let x = signed8(phase)
    let t1 = signed8(phase &+ 0x8000_0000) * 0.5 + 0.5
    let naive = smooth8(phase)
    guard bl.isNear(phase[0], edge: 0) || bl.isNear(phase[0], edge: 0x8000_0000) else { return naive }
    return naive + (OscillatorKernel.blamp8(t1, bl) - OscillatorKernel.blamp8(x * 0.5 + 0.5, bl)) * (4 * bl.dt)
  }

  @inline(__always)
  static func room16(_ p0: UInt32, _ bl: OscillatorKernel.BandLimit) -> UInt32 {
    min(bl.room16(p0, edge: 0), bl.room16(p0, edge: 0x8000_0000))
  }

  @inline(__always)
  static func smooth8(_ phase: SIMD8<UInt32>) -> SIMD8<Float> {
    let x = signed8(phase)
    var ax = x
    ax.replace(with: -x, where: x .< 0)
    return ax * 2 - 1
  }
}
