/// `reverb(decay=, predelay=, damp=, size=, width=)`: a 16-line feedback delay network (Jot & Chaigne 1991).
///
/// Why this design: an FDN with an orthogonal (Hadamard) feedback matrix is lossless before its absorption
/// filters, so the decay is set exactly per line — gain g = 10^(−3·d/(RT60·fs)) for a line of d frames makes
/// every path fall 60 dB in RT60 seconds — and its echo density grows as 16^k with the round trips, which
/// is what keeps the tail smooth where Freeverb's parallel combs ring. Sixteen lines fill one `SIMD16<Float>`:
/// the absorption filters, the matrix (four butterfly stages) and the write are vector operations; only the 16
/// reads are scalar. Line lengths are primes spread over 31–101 ms (scaled by `size`), so no two share a mode.
///
/// Absorption: per line a first-order shelf, g_high + (g_low − g_high)·LP(z), with a one-pole LP at 2.5 kHz.
/// g_high comes from the high-band RT60 = decay × (1 − 0.8·damp); g_low is solved so the magnitude at 707 Hz
/// is exactly the mid-band gain, so `decay` is the RT60 of the 500 Hz–1 kHz octaves whatever `damp` is.
///
/// In front: a 20 Hz high-pass (no DC into the loop), the predelay, and four series all-passes that diffuse
/// the attack. The left and right outputs are two orthogonal ±1 mixes of the lines (decorrelated), then
/// `width` scales the side signal.
final class Reverb: MixEffect {
  static let lines = 16
  /// Line lengths in milliseconds at size 1 (primes in frames after scaling).
  static let baseMilliseconds: [Double] = [31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101]

  private let ring: UnsafeMutablePointer<Float>  // [ringFrames][16], interleaved by line
  private let ringMask: Int
  private let delays: SIMD16<Int>
  private var write = 0
  private let gainLow: SIMD16<Float>
  private let gainHigh: SIMD16<Float>
  private let lowPassCoefficient: Float
  private var lowPass = SIMD16<Float>()
  private let inputSigns: SIMD16<Float>
  private let outLeft: SIMD16<Float>
  private let outRight: SIMD16<Float>
  private let width: Float
  private let outputGain: Float

  private var highPass: BiquadFilter
  private var predelayLine: FixedDelay
  private var diffusers: (AllPass, AllPass, AllPass, AllPass)
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: decay = RT60 in seconds (mid bands), predelay in seconds, damp/size/width 0 … 1.
  init(decay: Double, predelay: Double, damp: Double, size: Double, width: Double, sampleRate: Int) {
    let fs = Double(sampleRate)
    let scale = 0.35 + 0.65 * size
    let lengths = Reverb.baseMilliseconds.map { Reverb.prime(atLeast: max(17, Int($0 * scale * fs / 1000))) }
    var d = SIMD16<Int>()
    for i in 0..<16 { d[i] = lengths[i] }
    delays = d
    var frames = 1
    while frames < lengths.max()! + 1 { frames <<= 1 }
    ringMask = frames - 1
    ring = .allocate(capacity: frames * Reverb.lines)
    ring.initialize(repeating: 0, count: frames * Reverb.lines)

    let high = decay * (1 - 0.8 * damp)
    // One-pole LP y = x + c(y₋₁ − x) at 2.5 kHz: c = e^(−2π·2500/fs).
    let c = DSPMath.exp2Double(-2 * Double.pi * 2500 / fs * 1.442_695_040_888_963_4)
    lowPassCoefficient = Float(c)
    // LP(ω) = (1 − c) / (1 − c·e^(−jω)) at ω for 707 Hz.
    let (s, co) = DSPMath.sinCos(2 * Double.pi * 707.1 / fs)
    let dr = 1 - c * co
    let di = c * s
    let den = dr * dr + di * di
    let lr = (1 - c) * dr / den
    let li = -(1 - c) * di / den
    let l2 = lr * lr + li * li
    var low = SIMD16<Float>()
    var highGains = SIMD16<Float>()
    for (i, d) in lengths.enumerated() {
      let target = Reverb.gain(frames: d, rt60: decay, fs: fs)
      let gh = Reverb.gain(frames: d, rt60: high, fs: fs)
      // |gh + Δ·LP| = target → Δ²|LP|² + 2·gh·Re(LP)·Δ + gh² − target² = 0, the positive root.
      let b = gh * lr
      let delta = (-b + (b * b - l2 * (gh * gh - target * target)).squareRoot()) / l2
      low[i] = Float(gh + delta)
      highGains[i] = Float(gh)
    }
    gainLow = low
    gainHigh = highGains
    var signs = SIMD16<Float>()
    var ol = SIMD16<Float>()
    var or = SIMD16<Float>()
    for i in 0..<16 {
      signs[i] = (i * 7 + i / 3) % 2 == 0 ? 1 : -1
      ol[i] = i % 2 == 0 ? 1 : -1
      or[i] = (i / 2) % 2 == 0 ? 1 : -1
    }
    inputSigns = signs
    outLeft = ol
    outRight = or
    self.width = Float(width)
    outputGain = 0.25
    highPass = BiquadFilter(.highPass(hz: 20, q: 0.7071, sampleRate: fs))
    predelayLine = FixedDelay(frames: Int((predelay * fs).rounded()))
    let ap = [(4.77, 0.72), (3.59, 0.72), (12.73, 0.62), (9.31, 0.62)].map { ms, g in
      AllPass(frames: Int(ms * scale * fs / 1000), gain: Float(g))
    }
    diffusers = (ap[0], ap[1], ap[2], ap[3])
    tailFrames = Int64((predelay + decay * 1.6 + 0.05) * fs)
  }

  deinit {
    ring.deallocate()
    diffusers.0.free()
    diffusers.1.free()
    diffusers.2.free()
    diffusers.3.free()
    predelayLine.free()
  }

  /// g = 10^(−3·d/(RT60·fs)).
  private static func gain(frames: Int, rt60: Double, fs: Double) -> Double {
    DSPMath.exp2Double(-3 * Double(frames) / (rt60 * fs) * 3.321_928_094_887_362_3)
  }

  private static func prime(atLeast n: Int) -> Int {
    var k = n | 1
    while true {
      var isPrime = k > 2
      var d = 3
      while d * d <= k {
        if k % d == 0 {
          isPrime = false
          break
        }
        d += 2
      }
      if isPrime { return k }
      k += 2
    }
  }

  /// The Sylvester–Hadamard transform of 16 values (unnormalised), in butterflies on vector halves.
  @inline(__always)
  static func hadamard(_ v: SIMD16<Float>) -> SIMD16<Float> {
    @inline(__always) func h2(_ a: SIMD2<Float>) -> SIMD2<Float> { SIMD2(a.x + a.y, a.x - a.y) }
    @inline(__always) func h4(_ a: SIMD4<Float>) -> SIMD4<Float> {
      let x = h2(a.lowHalf)
      let y = h2(a.highHalf)
      return SIMD4(lowHalf: x + y, highHalf: x - y)
    }
    @inline(__always) func h8(_ a: SIMD8<Float>) -> SIMD8<Float> {
      let x = h4(a.lowHalf)
      let y = h4(a.highHalf)
      return SIMD8(lowHalf: x + y, highHalf: x - y)
    }
    let x = h8(v.lowHalf)
    let y = h8(v.highHalf)
    return SIMD16(lowHalf: x + y, highHalf: x - y)
  }

  /// Sum of 16 lanes in a fixed tree order.
  @inline(__always)
  static func sum(_ v: SIMD16<Float>) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c.x + c.y
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    // Everything the loop touches is a local or a raw pointer: no exclusivity or uniqueness checks per frame.
    let c = lowPassCoefficient
    let ring = self.ring
    let mask = ringMask
    let (gh, gd, signs, ol, or) = (gainHigh, gainLow - gainHigh, inputSigns, outLeft, outRight)
    let (gain, w2) = (outputGain, width)
    var w = write
    var lp = lowPass
    var hp = highPass
    var pre = predelayLine
    var ap = diffusers
    let d = delays
    let lanes = SIMD16<Int>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    for n in 0..<count {
      let mono = hp.tick(SIMD2(repeating: Double((left[n] + right[n]) * 0.5))).x
      var x = pre.tick(Float(mono))
      x = ap.0.tick(x)
      x = ap.1.tick(x)
      x = ap.2.tick(x)
      x = ap.3.tick(x)
      var a = SIMD16<Float>()
      let index = ((SIMD16(repeating: w) &- d) & mask) &* 16 &+ lanes
      for i in 0..<16 { a[i] = ring[index[i]] }
      // y = a + c(y₋₁ − a), then the shelf g_high·a + (g_low − g_high)·y.
      lp = Denormal.flush(a + c * (lp - a))
      let f = gh * a + gd * lp
      let v = Denormal.flush(Reverb.hadamard(f) * 0.25 + x * signs)
      UnsafeMutableRawPointer(ring + w &* 16).storeBytes(of: v, as: SIMD16<Float>.self)
      let yl = Reverb.sum(f * ol) * gain
      let yr = Reverb.sum(f * or) * gain
      let mid = (yl + yr) * 0.5
      let side = (yl - yr) * 0.5 * w2
      left[n] = mid + side
      right[n] = mid - side
      w = (w + 1) & mask
    }
    lowPass = lp
    highPass = hp
    predelayLine = pre
    diffusers = ap
    write = w
  }
}

/// A Schroeder all-pass y = −g·x + s, s' = x + g·y over a delay of `frames` (mono, for diffusion).
/// Its line is raw storage owned by the effect that holds it (`free()` in its deinit), so `tick` has no
/// array checks.
struct AllPass {
  private let line: UnsafeMutablePointer<Float>
  private let length: Int
  private var index = 0
  private let gain: Float

  init(frames: Int, gain: Float) {
    length = max(1, frames)
    line = .allocate(capacity: length)
    line.initialize(repeating: 0, count: length)
    self.gain = gain
  }

  func free() { line.deallocate() }

  @inline(__always)
  mutating func tick(_ x: Float) -> Float {
    let delayed = line[index]
    let v = Denormal.flush(x + gain * delayed)
    line[index] = v
    index = index + 1 == length ? 0 : index + 1
    return delayed - gain * v
  }
}

/// A mono delay of a whole number of frames (0 passes through), on raw storage freed by its owner.
struct FixedDelay {
  private let line: UnsafeMutablePointer<Float>
  private let length: Int
  private var index = 0

  init(frames: Int) {
    length = max(0, frames)
    line = .allocate(capacity: max(1, length))
    line.initialize(repeating: 0, count: max(1, length))
  }

  func free() { line.deallocate() }

  @inline(__always)
  mutating func tick(_ x: Float) -> Float {
    guard length > 0 else { return x }
    let y = line[index]
    line[index] = x
    index = index + 1 == length ? 0 : index + 1
    return y
  }
}
