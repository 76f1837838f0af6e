/// A feed-forward compressor after Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design — A
/// Tutorial and Analysis" (JAES 2012): the level in dB of the detector signal (the stereo-linked peak of the
/// input, or of the sidechain key), a gain computer with a quadratic soft knee, and a smooth branching peak
/// detector on the gain reduction in the log domain (attack while the reduction grows, release while it
/// shrinks: time constants τ with α = e^(−1/(τ·fs))).
final class Compressor: MixEffect {
  /// The static curve (threshold, slope = 1/ratio − 1, knee): copied into a local by each pass, since stores
  /// through the work buffer could alias the object's fields and force a reload every frame.
  private var curve = Curve(threshold: 0, slope: 0, knee: 0)
  private var makeup: Float = 0
  var attack: Float = 0
  var release: Float = 0
  private let sampleRate: Double
  static let pass = 256
  /// Per frame of a pass: the target reduction, then the smoothed one; then (1 − attack)·target and
  /// (1 − release)·target (`pass` floats each, at `work + pass` and `work + 2·pass`).
  let work: UnsafeMutablePointer<Float>
  /// The smoothed gain reduction in dB (≥ 0).
  var reduction: Float = 0
  var grid = FlushGrid()
  /// Below this detector level (linear) the gain computer gives 0: no logarithm needed.
  private var quietLevel: Float = 0
  let latency = 0
  let tailFrames: Int64

  deinit { work.deallocate() }

  /// - Parameters: threshold and knee in dB, ratio ≥ 1, attack and release in seconds, makeup in dB.
  init(
    threshold: Double, ratio: Double, knee: Double, attack: Double, release: Double, makeup: Double, sampleRate: Int
  ) {
    self.sampleRate = Double(sampleRate)
    tailFrames = 0  // silent input, silent output: the gain only scales what comes in
    work = .zeroed(3 * Compressor.pass)
    retune([threshold, ratio, knee, attack, release, makeup])
  }

  /// Every parameter moves: threshold, ratio, knee, attack, release, makeup.
  func retune(_ values: [Double]) {
    let (threshold, ratio, knee, attack, release, makeup) = (
      values[0], values[1], values[2], values[3], values[4], values[5]
    )
    curve = Curve(threshold: Float(threshold), slope: Float(1 / ratio - 1), knee: Float(knee))
    self.makeup = Float(makeup)
    let fs = sampleRate
    // e^(−1/(τ fs)) = 2^(−log2(e)/(τ fs))
    self.attack = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (attack * fs)))
    self.release = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (release * fs)))
    quietLevel = Float(DSPMath.gain(decibels: threshold - knee / 2))
  }

  /// The level the gain computer hears at frame i: the stereo-linked peak.
  @inline(__always)
  private static func level(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ i: Int) -> Float {
    max(abs(l[i]), abs(r[i]))
  }

  /// In three passes per `pass` frames: the targets (vectorised: the static curve of each frame's level),
  /// the smoothing (the only recursion, frame by frame), the gains (vectorised) — each frame's arithmetic the
  /// same in the vector lanes and the scalar tail, so any block split gives the same bits.
  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    let detectLeft = key?.left ?? UnsafePointer(left)
    let detectRight = key?.right ?? UnsafePointer(right)
    grid.forEachPass(count, Compressor.pass) { start, n in
      targets(detectLeft + start, detectRight + start, n)
      smooth(n)
      apply(left + start, right + start, n)
    } flush: {
      flushReduction()
    }
  }

  /// At `grid` points: a release decaying towards 0 reaches subnormals and stays at the one where y·release
  /// rounds back to y (for 0.2 s, ~7e−42 dB) for as long as the input is quiet. Zeroed, the gain is exactly 1
  /// where it was 0.99999166 (−0.00007 dB: `exp2` just below 0 evaluates its polynomial at 1 and halves it).
  func flushReduction() {
    if reduction < Float.leastNormalMagnitude { reduction = 0 }
  }

  /// Pass 1: each frame's target reduction (dB, ≥ 0) into `work`, and the smoothing's input terms
  /// (1 − attack)·target and (1 − release)·target after it.
  func targets(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) {
    let curve = self.curve
    let quietLevel = self.quietLevel
    let (fromAttack, fromRelease) = (1 - attack, 1 - release)
    let (attackTerms, releaseTerms) = (work + Compressor.pass, work + 2 * Compressor.pass)
    var i = 0
    while i + 8 <= n {
      let a = UnsafeRawPointer(l + i).loadUnaligned(as: SIMD8<Float>.self)
      let b = UnsafeRawPointer(r + i).loadUnaligned(as: SIMD8<Float>.self)
      let aa = a.replacing(with: -a, where: a .< 0)
      let bb = b.replacing(with: -b, where: b .< 0)
      let level = aa.replacing(with: bb, where: bb .> aa)
      var t = -curve.gain(6.020_6 * DSPMath.log2(level))
      t.replace(with: 0, where: level .<= quietLevel)
      UnsafeMutableRawPointer(work + i).storeBytes(of: t, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(attackTerms + i).storeBytes(of: fromAttack * t, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(releaseTerms + i).storeBytes(of: fromRelease * t, as: SIMD8<Float>.self)
      i += 8
    }
    while i < n {
      let level = Compressor.level(l, r, i)
      // `<=` as in the vector lanes (the same for every level but NaN, which both paths now treat alike).
      let t = level <= quietLevel ? 0 : -curve.gain(6.020_6 * DSPMath.log2(level))
      work[i] = t
      attackTerms[i] = fromAttack * t
      releaseTerms[i] = fromRelease * t
      i += 1
    }
  }

  /// Pass 2: the branching peak detector, target → smoothed reduction, in place in `work`:
  /// y = a·y + (1 − a)·target with a = attack while the target is above y, else release.
  ///
  /// This recursion is the compressor's critical path, so both candidates are computed and one is selected:
  /// the chain per frame is a multiply, an add and a select (the comparison runs beside it), instead of a
  /// comparison, a select, a multiply and an add. The same operations on the same values: the same bits.
  private func smooth(_ n: Int) {
    // (No flush on this critical path: `process` zeroes a subnormal y on its `FlushGrid`.)
    var y = reduction
    let (attack, release) = (self.attack, self.release)
    let (attackTerms, releaseTerms) = (work + Compressor.pass, work + 2 * Compressor.pass)
    for i in 0..<n {
      let rising = attack * y + attackTerms[i]
      let falling = release * y + releaseTerms[i]
      y = work[i] > y ? rising : falling
      work[i] = y
    }
    reduction = y
  }

  /// Pass 3: gain = 10^((makeup − reduction)/20), applied.
  func apply(_ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, _ n: Int) {
    let makeup = self.makeup
    var i = 0
    while i + 8 <= n {
      let y = UnsafeRawPointer(work + i).loadUnaligned(as: SIMD8<Float>.self)
      let g = DSPMath.gainFromDecibels(makeup - y)
      let lp = UnsafeMutableRawPointer(l + i)
      let rp = UnsafeMutableRawPointer(r + i)
      lp.storeBytes(of: lp.loadUnaligned(as: SIMD8<Float>.self) * g, as: SIMD8<Float>.self)
      rp.storeBytes(of: rp.loadUnaligned(as: SIMD8<Float>.self) * g, as: SIMD8<Float>.self)
      i += 8
    }
    while i < n {
      let g = DSPMath.gainFromDecibels(makeup - work[i])
      l[i] *= g
      r[i] *= g
      i += 1
    }
  }
}

extension Compressor {
  /// The static curve: gain reduction in dB (≤ 0) for a detector level in dB, with a quadratic soft knee.
  struct Curve {
    var threshold: Float
    var slope: Float
    var knee: Float

    @inline(__always)
    func gain(_ x: Float) -> Float {
      let over = x - threshold
      if 2 * over < -knee { return 0 }
      if knee > 0 && 2 * over <= knee {
        let d = over + knee / 2
        return slope * d * d / (2 * knee)
      }
      return slope * over
    }

    /// `gain` on eight lanes: every branch computed, the right one selected (same operations).
    @inline(__always)
    func gain(_ x: SIMD8<Float>) -> SIMD8<Float> {
      let over = x - threshold
      let d = over + knee / 2
      var y = slope * over
      if knee > 0 { y.replace(with: slope * d * d / (2 * knee), where: 2 * over .<= knee) }
      y.replace(with: 0, where: 2 * over .< -knee)
      return y
    }
  }
}
