/// `reverb(decay=, predelay=, damp=, size=, width=)`: an 8-line feedback delay network (Jot & Chaigne 1991),
/// the size zita-rev1 uses.
///
/// Why this design: an FDN with an orthogonal (Hadamard) feedback matrix is lossless before its absorption
/// filters, so the decay is set exactly per line — gain g = 10^(−3·d/(RT60·fs)) for a line of d frames makes
/// every path fall 60 dB in RT60 seconds — and its echo density grows as 8^k with the round trips, which is
/// what keeps the tail smooth where Freeverb's parallel combs ring. Eight lines fill one `SIMD8<Float>` (one
/// AVX register): the read (one load from a skewed ring, see `network`), the absorption filters and the matrix
/// (three butterfly stages) are vector operations; only the deferred writes are scalar. (Sixteen lines
/// measured the same density and decorrelation at twice the cost.) Line lengths are primes spread over 29–97 ms (scaled by `size`), so no two share a mode.
///
/// Absorption: per line a first-order shelf, g_high + (g_low − g_high)·LP(z), with a one-pole LP at 3.2 kHz.
/// g_high comes from the high-band RT60 = decay × (1 − 0.9·damp); g_low is solved so the magnitude at 707 Hz
/// is exactly the mid-band gain, so `decay` is the RT60 of the 500 Hz–1 kHz octaves whatever `damp` is.
///
/// In front: a 20 Hz high-pass (no DC into the loop), the predelay, and four series all-passes that diffuse
/// the attack. The left and right outputs are two orthogonal ±1 mixes of the lines (decorrelated), then
/// `width` scales the side signal.
final class Reverb: MixEffect {
  static let lines = 8
  /// Line lengths in milliseconds at size 1 (primes in frames after scaling).
  static let baseMilliseconds: [Double] = [19, 23, 29, 37, 43, 53, 61, 71]
  /// Frames of input the first pass prepares at a time.
  static let pass = 128  // a multiple of 8: `mixOut` reads whole groups of eight rows

  private let ring: UnsafeMutablePointer<Float>  // [ringFrames][8], interleaved by line, skewed (`network`)
  /// A pass's line writes, frame-major ([passFrames][8]), scattered into `ring` after it.
  private let pending: UnsafeMutablePointer<Float>
  /// A pass's shelved line outputs f, frame-major ([passFrames][8]), mixed to left and right after it.
  private let shelved: UnsafeMutablePointer<Float>
  /// Frames per pass: `pass`, or the shortest line if that is shorter (a pass must not read its own writes).
  private let passFrames: Int
  /// A pass's mono input through the high-pass, then (in place) the predelay and the diffusers; and the next
  /// pass's high-passed input, filled while the network runs (`network`). Swapped after each pass.
  private var input: UnsafeMutablePointer<Float>
  private var ahead: UnsafeMutablePointer<Float>
  private let ringMask: Int
  private let delays: SIMD8<Int32>
  private var write = 0
  private var gainLow: SIMD8<Float>
  private var gainHigh: SIMD8<Float>
  private let lowPassCoefficient: Float
  private let sampleRate: Double
  private let lineFrames: [Int]
  private let lowPassDouble: Double
  private var lowPass = SIMD8<Float>()
  private let inputSigns: SIMD8<Float>
  private let outLeft: SIMD8<Float>
  private let outRight: SIMD8<Float>
  private var width: Float
  private let outputGain: Float

  private var highPass: BiquadFilter
  private var grid = FlushGrid()
  private var predelayLine: FixedDelay
  private var diffusers: (AllPass, AllPass, AllPass, AllPass)
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: decay = RT60 in seconds (mid bands), predelay in seconds, damp/size/width 0 … 1.
  init(decay: Double, predelay: Double, damp: Double, size: Double, width: Double, sampleRate: Int) {
    let fs = Double(sampleRate)
    let scale = 0.35 + 0.65 * size
    let lengths = Reverb.baseMilliseconds.map { Reverb.prime(atLeast: max(17, Int($0 * scale * fs / 1000))) }
    var d = SIMD8<Int32>()
    for i in 0..<8 { d[i] = Int32(lengths[i]) }
    delays = d
    var frames = 1
    // Room for the longest line plus a pass: the deferred writes run up to a pass ahead of the reads.
    while frames < lengths.max()! + 1 + Reverb.pass { frames <<= 1 }
    ringMask = frames - 1
    ring = .zeroed(frames * Reverb.lines)
    input = .zeroed(Reverb.pass)
    ahead = .zeroed(Reverb.pass)
    passFrames = min(Reverb.pass, lengths.min()!)
    pending = .zeroed(Reverb.pass * Reverb.lines)
    shelved = .zeroed(Reverb.pass * Reverb.lines)

    // One-pole LP y = x + c(y₋₁ − x) at 3.2 kHz: c = e^(−2π·3200/fs).
    let c = DSPMath.exp2Double(-2 * Double.pi * 3200 / fs * 1.442_695_040_888_963_4)
    lowPassCoefficient = Float(c)
    self.sampleRate = fs
    lineFrames = lengths
    lowPassDouble = c
    (gainLow, gainHigh) = Reverb.absorption(decay: decay, damp: damp, lengths: lengths, c: c, fs: fs)
    var signs = SIMD8<Float>()
    var ol = SIMD8<Float>()
    var or = SIMD8<Float>()
    for i in 0..<8 {
      signs[i] = [1, -1, -1, 1, -1, 1, 1, -1][i]
      ol[i] = i % 2 == 0 ? 1 : -1
      or[i] = (i / 2) % 2 == 0 ? 1 : -1
    }
    inputSigns = signs
    outLeft = ol
    outRight = or
    self.width = Float(width)
    outputGain = 0.35
    highPass = BiquadFilter(.highPass(hz: 20, q: 0.7071, sampleRate: fs))
    predelayLine = FixedDelay(frames: Int((predelay * fs).rounded()))
    let ap = [(4.77, 0.72), (3.59, 0.72), (12.73, 0.62), (9.31, 0.62)].map { ms, g in
      AllPass(frames: Int(ms * scale * fs / 1000), gain: Float(g))
    }
    diffusers = (ap[0], ap[1], ap[2], ap[3])
    tailFrames = Int64((predelay + decay * 1.6 + 0.05) * fs)
  }

  /// Whether the recursions fed silence have come to rest: the input high-pass and the shelves' low-pass at
  /// exactly zero (`grid`'s flushes bring them there).
  var isAtRest: Bool { highPass.s1 == .zero && highPass.s2 == .zero && lowPass == .zero }

  /// decay and damp move (size and predelay cannot: they set the delay lines); width moves.
  func retune(_ values: [Double]) {
    (gainLow, gainHigh) = Reverb.absorption(
      decay: values[0], damp: values[2], lengths: lineFrames, c: lowPassDouble, fs: sampleRate)
    width = Float(values[4])
  }

  deinit {
    ring.deallocate()
    input.deallocate()
    ahead.deallocate()
    pending.deallocate()
    shelved.deallocate()
    diffusers.0.free()
    diffusers.1.free()
    diffusers.2.free()
    diffusers.3.free()
    predelayLine.free()
  }

  /// The Sylvester–Hadamard transform of 8 values (unnormalised): three butterfly stages on the whole
  /// vector, pairing lanes j and j ⊕ s for s = 1, 2, 4. Each is a lane swap p and p + v·(±1): v + p in the
  /// lower lane of a pair, p − v in the upper (−v is exact and p + (−v) is p − v) — the same sums in the same
  /// order as butterflies on halves, without moving halves around.
  @inline(__always)
  static func hadamard(_ v: SIMD8<Float>) -> SIMD8<Float> {
    let p1 = SIMD8(v[1], v[0], v[3], v[2], v[5], v[4], v[7], v[6])
    let s1 = p1 + v * SIMD8(1, -1, 1, -1, 1, -1, 1, -1)
    let p2 = SIMD8(s1[2], s1[3], s1[0], s1[1], s1[6], s1[7], s1[4], s1[5])
    let s2 = p2 + s1 * SIMD8(1, 1, -1, -1, 1, 1, -1, -1)
    let p3 = SIMD8(s2[4], s2[5], s2[6], s2[7], s2[0], s2[1], s2[2], s2[3])
    return p3 + s2 * SIMD8(1, 1, 1, 1, -1, -1, -1, -1)
  }

  /// In passes of up to `passFrames` frames that end on `grid` points: the input's high-pass, predelay and
  /// diffusers (`diffuse`), then the network (`network`), which also runs the next pass's high-pass in its
  /// frame loop. The two recursions (the high-pass's and the shelves' low-pass) are chains of dependent
  /// operations; in one loop the CPU overlaps them. Each is stepped over the same frames in the same order, and
  /// each flushed when its own pass ends on a grid point: the same bits as one pass after the other.
  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    guard count > 0 else { return }
    var start = 0
    var n = grid.passLength(count, passFrames)
    filterHighPass(left, right, n, into: input, flush: grid.endsOnGrid(n))
    while true {
      diffuse(n)
      let next = start + n
      var after = grid
      let onGrid = after.advance(n)
      let m = next < count ? after.passLength(count - next, passFrames) : 0
      network(
        left + start, right + start, n, ahead: left + next, right + next, m, flushAhead: m > 0 && after.endsOnGrid(m))
      grid = after
      if onGrid {
        // The shelf's low-pass, fed zeros by silent lines, decays to the smallest subnormal and stays (×0.66
        // rounds back to it). Lanes below the smallest normal are lost in rounding against any non-zero line
        // value (those are ≥ 2⁻⁸⁴ ≈ 5e−26: `Denormal.flush`), so zeroing them changes only outputs that were
        // subnormal (below −750 dBFS) into zeros.
        let least = SIMD8<Float>(repeating: Float.leastNormalMagnitude)
        lowPass.replace(with: 0, where: (lowPass .< least) .& (lowPass .> -least))
      }
      guard m > 0 else { return }
      swap(&input, &ahead)
      start = next
      n = m
    }
  }

  /// The mono input of `n` frames through the 20 Hz high-pass into `into` (a pass on its own: the first of a
  /// call), then flushed if the pass ends on a grid point.
  private func filterHighPass(
    _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ n: Int,
    into out: UnsafeMutablePointer<Float>, flush: Bool
  ) {
    var hp = highPass
    for i in 0..<n { out[i] = Reverb.highPassed(&hp, left[i], right[i]) }
    if flush { hp.flushTiny() }
    highPass = hp
  }

  /// First stage of a pass: its high-passed input (`input`) through the predelay and the diffusers, in place,
  /// a pass at a time (their lines are longer than a pass).
  private func diffuse(_ n: Int) {
    var pre = predelayLine
    var ap = diffusers
    pre.process(input, count: n)
    ap.0.process(input, count: n)
    ap.1.process(input, count: n)
    ap.2.process(input, count: n)
    ap.3.process(input, count: n)
    predelayLine = pre
    diffusers = ap
  }

  /// Second pass: the network, frame by frame. Locals and raw pointers only: no exclusivity or uniqueness
  /// checks per frame.
  ///
  /// The ring is kept *skewed*: line k's value written at frame t sits in row t + d_k (not t), so frame t
  /// reads its 8 delayed values as one contiguous row — one vector load instead of 8 loads (or a gather, which
  /// this CPU runs slowly). Because a pass is no longer than the shortest line, nothing it writes is read in
  /// the same pass, so the writes are deferred to one scatter after it (`pending`, frame-major), a plain
  /// store loop with no shuffles. The outputs are deferred too (`mixOut`): only the shelf filter's
  /// recursion has to go frame by frame. The arithmetic is the same operations in the same order as reading
  /// row t − d_k per lane and mixing each frame at once: the output is bit-identical.
  ///
  /// `ahead`: the next pass's `m` input frames (0: none), whose high-pass runs in the same frame loop into
  /// `ahead` (see `process`), flushed after them when `flushAhead` (their pass ends on a grid point).
  private func network(
    _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ n: Int,
    ahead aheadLeft: UnsafeMutablePointer<Float>, _ aheadRight: UnsafeMutablePointer<Float>, _ m: Int,
    flushAhead: Bool
  ) {
    let c = lowPassCoefficient
    let ring = self.ring
    let mask = ringMask
    let (gh, gd, signs) = (gainHigh, gainLow - gainHigh, inputSigns)
    let w = write
    var lp = lowPass
    let raw = UnsafeMutableRawPointer(ring)
    let out = UnsafeMutableRawPointer(pending)
    let shelf = UnsafeMutableRawPointer(shelved)
    let (input, next) = (self.input, self.ahead)
    var hp = highPass
    @inline(__always) func frame(_ i: Int) {
      let a = raw.load(fromByteOffset: ((w &+ i) & mask) &* 32, as: SIMD8<Float>.self)
      // y = a + c(y₋₁ − a), then the shelf g_high·a + (g_low − g_high)·y. (Flushed on the grid, in `process`.)
      lp = a + c * (lp - a)
      let f = gh * a + gd * lp
      // The Hadamard matrix / √8 is orthogonal.
      let v = Denormal.flush(Reverb.hadamard(f) * 0.353_553_39 + input[i] * signs)
      out.storeBytes(of: v, toByteOffset: i &* 32, as: SIMD8<Float>.self)
      shelf.storeBytes(of: f, toByteOffset: i &* 32, as: SIMD8<Float>.self)
    }
    @inline(__always) func highPassFrame(_ i: Int) { next[i] = Reverb.highPassed(&hp, aheadLeft[i], aheadRight[i]) }
    let both = Swift.min(n, m)
    for i in 0..<both {
      frame(i)
      highPassFrame(i)
    }
    for i in both..<n { frame(i) }
    for i in both..<m { highPassFrame(i) }
    if flushAhead { hp.flushTiny() }
    highPass = hp
    mixOut(left, right, n)
    // The deferred writes: lane k of frame i to row w + i + d_k — per lane one run of rows up to the ring's
    // end and one from its start, each a strided copy without index masking.
    let d = delays
    let rows = mask &+ 1
    for k in 0..<8 {
      let row = (w &+ Int(d[k])) & mask
      let first = Swift.min(n, rows &- row)
      Reverb.copyColumn(pending + k, ring + (row &* 8 &+ k), first)
      if first < n { Reverb.copyColumn(pending + (first &* 8 &+ k), ring + k, n &- first) }
    }
    lowPass = lp
    write = (w &+ n) & mask
  }
}

extension Reverb {
  /// One frame of the mono input, (left + right)/2, through the 20 Hz high-pass `hp`.
  @inline(__always)
  fileprivate static func highPassed(_ hp: inout BiquadFilter, _ left: Float, _ right: Float) -> Float {
    Float(hp.tick(SIMD2(repeating: Double((left + right) * 0.5))).x)
  }

  /// `count` floats 8 apart from `source` to `destination` (one lane of `count` rows), four per step.
  @inline(__always)
  fileprivate static func copyColumn(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    var (s, t) = (source, destination)
    var left = count
    while left >= 4 {
      (t[0], t[8], t[16], t[24]) = (s[0], s[8], s[16], s[24])
      s += 32
      t += 32
      left &-= 4
    }
    while left > 0 {
      t[0] = s[0]
      s += 8
      t += 8
      left &-= 1
    }
  }

  /// The outputs of a pass from its shelved line outputs: left = Σ f·outLeft, right = Σ f·outRight, summed in
  /// the fixed order (f₀+f₄ + f₂+f₆) + (f₁+f₅ + f₃+f₇), × gain, then width on mid/side. Eight frames at a time,
  /// transposed so that each line is a vector over frames: the sums are vertical adds (no horizontal adds per
  /// frame). A last group of fewer than eight frames reads the shelf's stale rows after them (the shelf holds
  /// a whole number of groups) and stores only its own lanes: each lane's arithmetic is its own.
  private func mixOut(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ n: Int) {
    let (ol, or, gain, w2) = (outLeft, outRight, outputGain, width)
    let shelf = UnsafeRawPointer(shelved)
    @inline(__always) func row(_ i: Int) -> SIMD8<Float> { shelf.load(fromByteOffset: i &* 32, as: SIMD8<Float>.self) }
    @inline(__always) func sum(_ c: DSPMath.Columns8, _ s: SIMD8<Float>) -> SIMD8<Float> {
      let b0: SIMD8<Float> = c.0 * s[0] + c.4 * s[4]
      let b1: SIMD8<Float> = c.1 * s[1] + c.5 * s[5]
      let b2: SIMD8<Float> = c.2 * s[2] + c.6 * s[6]
      let b3: SIMD8<Float> = c.3 * s[3] + c.7 * s[7]
      return (b0 + b2) + (b1 + b3)
    }
    var i = 0
    while i < n {
      let c = DSPMath.transpose(
        row(i), row(i + 1), row(i + 2), row(i + 3), row(i + 4), row(i + 5), row(i + 6), row(i + 7))
      let yl = sum(c, ol) * gain
      let yr = sum(c, or) * gain
      let mid = (yl + yr) * 0.5
      let side = (yl - yr) * 0.5 * w2
      if i + 8 <= n {
        UnsafeMutableRawPointer(left + i).storeBytes(of: mid + side, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(right + i).storeBytes(of: mid - side, as: SIMD8<Float>.self)
      } else {
        for k in 0..<(n - i) {
          left[i + k] = mid[k] + side[k]
          right[i + k] = mid[k] - side[k]
        }
      }
      i += 8
    }
  }
}
