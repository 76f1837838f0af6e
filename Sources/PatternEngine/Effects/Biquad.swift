/// A second-order section from Robert Bristow-Johnson's "Audio EQ Cookbook", normalised (a0 = 1).
/// Coefficients are computed once per render with the engine's own sine and exponential (no libm).
package struct BiquadCoefficients: Hashable, Sendable {
  package var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

  private static func normalised(_ b0: Double, _ b1: Double, _ b2: Double, _ a0: Double, _ a1: Double, _ a2: Double)
    -> BiquadCoefficients
  {
    BiquadCoefficients(b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0)
  }

  /// ω0 = 2π·f/fs, its sine and cosine; f is kept below Nyquist.
  private static func angle(_ hz: Double, _ fs: Double) -> (sin: Double, cos: Double) {
    DSPMath.sinCos(2 * Double.pi * min(hz, 0.49 * fs) / fs)
  }

  /// A = 10^(dB/40).
  private static func amplitude(_ db: Double) -> Double { DSPMath.exp2Double(db / 40 * 3.321_928_094_887_362_3) }

  package static func lowPass(hz: Double, q: Double, sampleRate fs: Double) -> BiquadCoefficients {
    let (s, c) = angle(hz, fs)
    let alpha = s / (2 * q)
    return normalised((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha)
  }

  package static func highPass(hz: Double, q: Double, sampleRate fs: Double) -> BiquadCoefficients {
    let (s, c) = angle(hz, fs)
    let alpha = s / (2 * q)
    return normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha)
  }

  package static func peak(hz: Double, gainDecibels: Double, q: Double, sampleRate fs: Double) -> BiquadCoefficients {
    let (s, c) = angle(hz, fs)
    let alpha = s / (2 * q)
    let a = amplitude(gainDecibels)
    return normalised(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a)
  }

  /// Shelf slope S = 1: α = sin ω0 / 2 · √2.
  package static func lowShelf(hz: Double, gainDecibels: Double, sampleRate fs: Double) -> BiquadCoefficients {
    let (s, c) = angle(hz, fs)
    let a = amplitude(gainDecibels)
    let beta = 2 * a.squareRoot() * (s / 2 * 2.0.squareRoot())
    return normalised(
      a * ((a + 1) - (a - 1) * c + beta), 2 * a * ((a - 1) - (a + 1) * c), a * ((a + 1) - (a - 1) * c - beta),
      (a + 1) + (a - 1) * c + beta, -2 * ((a - 1) + (a + 1) * c), (a + 1) + (a - 1) * c - beta)
  }

  package static func highShelf(hz: Double, gainDecibels: Double, sampleRate fs: Double) -> BiquadCoefficients {
    let (s, c) = angle(hz, fs)
    let a = amplitude(gainDecibels)
    let beta = 2 * a.squareRoot() * (s / 2 * 2.0.squareRoot())
    return normalised(
      a * ((a + 1) + (a - 1) * c + beta), -2 * a * ((a - 1) + (a + 1) * c), a * ((a + 1) + (a - 1) * c - beta),
      (a + 1) - (a - 1) * c + beta, 2 * ((a - 1) - (a + 1) * c), (a + 1) - (a - 1) * c - beta)
  }
}

/// A stereo biquad in transposed direct form II with `Double` state (low noise at low cutoffs): both channels
/// in one `SIMD2<Double>`, so each coefficient is one vector multiply.
struct BiquadFilter {
  var b0 = SIMD2<Double>(), b1 = SIMD2<Double>(), b2 = SIMD2<Double>(), a1 = SIMD2<Double>(), a2 = SIMD2<Double>()
  var s1 = SIMD2<Double>(), s2 = SIMD2<Double>()

  init(_ c: BiquadCoefficients) { set(c) }

  /// New coefficients; the state carries on (transposed direct form II tolerates coefficient changes well).
  mutating func set(_ c: BiquadCoefficients) {
    b0 = SIMD2(repeating: c.b0)
    b1 = SIMD2(repeating: c.b1)
    b2 = SIMD2(repeating: c.b2)
    a1 = SIMD2(repeating: c.a1)
    a2 = SIMD2(repeating: c.a2)
  }

  @inline(__always)
  mutating func tick(_ x: SIMD2<Double>) -> SIMD2<Double> {
    // No denormal flush on this recursion's critical path: the owner calls `flushTiny` on a `FlushGrid`.
    let y = b0 * x + s1
    s1 = b1 * x - a1 * y + s2
    s2 = b2 * x - a2 * y
    return y
  }

  /// Zeroes state below 1e−300. Fed silence, the state decays into subnormals and can stay there (a 40 Hz
  /// high-pass settles at ±3.3e−322, costing ~15× per frame). Exact for any output but the sign of a zero: with
  /// a first section's input x a non-zero `Float` (≥ 1.4e−45), every b·x is ~10²⁵⁰ times larger than such a
  /// state, which is lost in its rounding; with x = 0 the output is the state itself. Later sections take a
  /// `Double` input, where a difference of this size stays at magnitudes that convert to a `Float` zero.
  @inline(__always)
  mutating func flushTiny() {
    let tiny = SIMD2<Double>(repeating: 1e-300)
    s1.replace(with: 0, where: (s1 .< tiny) .& (s1 .> -tiny))
    s2.replace(with: 0, where: (s2 .< tiny) .& (s2 .> -tiny))
  }
}

/// A series of biquads as one effect: `eq(…)` and the single filters `hp`, `lp`, `peak`, `lowshelf`, `highshelf`.
///
/// Frame by frame through the sections, in Double from input to output. The sections go in groups of up to
/// three held in registers, each group over a pass of frames kept in Double between groups — the same
/// arithmetic as one frame through every section — so the CPU overlaps the sections' independent recursions.
final class FilterChain: MixEffect {
  static let pass = 256
  /// (Internal, not private: `processPair` works on two chains' sections and grids.)
  var filters: [BiquadFilter]
  /// A pass of frames in Double between groups of sections (internal: `processPair` uses both chains').
  let scratch: UnsafeMutablePointer<SIMD2<Double>>
  /// The sections for a set of parameter values (fixed in number), when parameters move.
  /// Hands `emit` each section's coefficients for a set of values (no allocation: called at automation grid
  /// points on the audio path).
  typealias Design = (_ values: [Double], _ emit: (Int, BiquadCoefficients) -> Void) -> Void
  private let design: Design?
  var grid = FlushGrid()
  let latency = 0
  let tailFrames: Int64

  init(_ coefficients: [BiquadCoefficients], sampleRate: Int, design: Design? = nil) {
    self.design = design
    filters = coefficients.map(BiquadFilter.init)
    scratch = .allocate(capacity: FilterChain.pass)
    scratch.initialize(repeating: SIMD2(), count: FilterChain.pass)
    // Each section rings until its slowest pole has fallen 90 dB: r^n = 10^(−4.5); the sections' rings add up.
    tailFrames = min(
      Int64(sampleRate) * 30, coefficients.reduce(Int64(0)) { $0 + FilterChain.ringFrames($1) } + 1)
  }

  deinit {
    scratch.deallocate()
  }

  /// Zeroes every section's decayed state (at `grid` points).
  func flushSections() {
    filters.withUnsafeMutableBufferPointer { f in
      for s in f.indices { f[s].flushTiny() }
    }
  }

  /// Whether every section's state is exactly zero (a silent input brings it there: `FlushGrid`).
  var isAtRest: Bool { filters.allSatisfy { $0.s1 == .zero && $0.s2 == .zero } }

  /// Every parameter moves (new coefficients from `design`, the same sections).
  func retune(_ values: [Double]) {
    guard let design else { return }
    design(values) { i, c in if i < filters.count { filters[i].set(c) } }
  }

  /// Frames for a section's impulse response to fall 90 dB: from the largest pole radius of 1 + a1 z⁻¹ + a2 z⁻².
  static func ringFrames(_ c: BiquadCoefficients) -> Int64 {
    let disc = c.a1 * c.a1 - 4 * c.a2
    let r =
      disc < 0
      ? c.a2.squareRoot()
      : max(abs((-c.a1 + disc.squareRoot()) / 2), abs((-c.a1 - disc.squareRoot()) / 2))
    guard r > 0 else { return 2 }
    guard r < 1 else { return Int64.max / 4 }
    return Int64((-4.5 / DSPMath.log10(r)).rounded(.up)) + 2
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    guard !filters.isEmpty else { return }
    let x = scratch
    grid.forEachPass(count, FilterChain.pass) { start, n in
      let l = left + start
      let r = right + start
      for i in 0..<n { x[i] = SIMD2(Double(l[i]), Double(r[i])) }
      filters.withUnsafeMutableBufferPointer { f in
        var s = 0
        while s < f.count {
          switch f.count - s {
          case 1:
            var a = f[s]
            for i in 0..<n { x[i] = a.tick(x[i]) }
            f[s] = a
            s += 1
          case 2:
            var (a, b) = (f[s], f[s + 1])
            for i in 0..<n { x[i] = b.tick(a.tick(x[i])) }
            (f[s], f[s + 1]) = (a, b)
            s += 2
          default:
            var (a, b, c) = (f[s], f[s + 1], f[s + 2])
            for i in 0..<n { x[i] = c.tick(b.tick(a.tick(x[i]))) }
            (f[s], f[s + 1], f[s + 2]) = (a, b, c)
            s += 3
          }
        }
      }
      for i in 0..<n {
        l[i] = Float(x[i].x)
        r[i] = Float(x[i].y)
      }
    } flush: {
      flushSections()
    }
  }
}
