/// `limit(ceiling=, release=)`: a look-ahead limiter on the true peak (ITU-R BS.1770-4 Annex 2).
///
/// Detection: each channel interpolated 4× by a 129-tap Kaiser-windowed polyphase FIR (cut at the base
/// Nyquist: a shorter, softer one under-read hi-hat-heavy material by 0.5 dB against ffmpeg's meter); a frame's peak is the
/// largest of its sample and the three points interpolated before it. The gain each frame needs is
/// min(1, ceiling / peak) (with 0.2 dB in hand for what the meters' own interpolators see). A sliding minimum
/// over the look-ahead window L (1.5 ms) holds that gain from L frames before the peak; a one-pole release
/// (time constant `release`) lets it recover; an L-frame moving average smooths the attack into a ramp that
/// ends at the peak. The audio is delayed by L − 1 frames plus the interpolator's 16: the effect's latency, which
/// the mix graph compensates so a note at frame f is still heard at frame f.
final class TruePeakLimiter: MixEffect {
  static let interpolatorTaps = 129
  /// Frames by which the interpolated points lag the input: (taps − 1)/2 at 4×.
  static let interpolatorDelay = (interpolatorTaps - 1) / 8
  private let window: Int
  private var ceiling: Float
  private var releaseCoefficient: Float
  private let sampleRate: Double
  private let kernels: UnsafeMutablePointer<Float>  // 3 fractional phases × 12 taps (reversed)
  private let phaseTaps = 32
  /// No interpolated point exceeds its window's largest |input| times this, plus `underflow`: the largest sum
  /// of |taps| of a phase (at least 1, for the sample itself), with a margin far above a 32-term float sum's
  /// relative rounding (~2e-6).
  private let reach: Double
  /// What products that underflow can add beyond `reach`'s relative margin: each of the 32 rounds by at most
  /// 2^-150 absolutely (sums of subnormals are exact), so 2^-145; kept at 2^-140.
  private static let underflow = 0x1p-140
  /// Frames detected at a time.
  static let pass = 256
  /// Per channel: the last `phaseTaps − 1` inputs, then the current pass's (a linear window for the
  /// vectorised interpolator).
  private let historyLeft: UnsafeMutablePointer<Float>
  private let historyRight: UnsafeMutablePointer<Float>
  /// Each frame's detected peak in the current pass (0 throughout a pass too quiet to reach the ceiling); then,
  /// in `limit`, the gain applied to that frame.
  private let peaks: UnsafeMutablePointer<Float>
  /// Sliding minimum: a monotonic queue of (frame, gain) in a power-of-two ring of at least `window` + 1.
  private let queueGain: UnsafeMutablePointer<Float>
  private let queueFrame: UnsafeMutablePointer<Int>
  private let queueMask: Int
  private var queueHead = 0
  private var queueCount = 0
  private var frame = 0
  private var released: Float = 1
  /// Moving average of the released gain: a ring of `window` values and their running sum (Double: no drift
  /// that could let the average exceed the gain at the peak).
  private let averageRing: UnsafeMutablePointer<Float>
  private var averageIndex = 0
  private var averageSum: Double
  /// The audio, delayed so the gain ramp is complete when its peak arrives.
  private var delay: StereoDelay
  let latency: Int
  let tailFrames: Int64
  /// How many frames in a row the released gain has not changed (so the average's ring holds only that value
  /// once it reaches `window`): a condition for `limit`'s fast path. (The ring starts full of the first gain.)
  private var framesAtRest: Int
  /// Whether `limit` may take its fast path for passes at rest (tests turn it off to compare).
  var takesRestingPath = true
  /// How many passes took the fast path (for the tests).
  private(set) var restingPasses = 0
  /// Whether `detect` may skip interpolating a pass too quiet to reach the ceiling (tests turn it off to compare).
  var skipsQuietPasses = true
  /// How many passes were too quiet to interpolate (for the tests).
  private(set) var quietPasses = 0
  /// The smallest gain applied so far (1: it never limited).
  private(set) var smallestGain: Float = 1

  /// - Parameters: ceiling in dBTP (≤ 0), release in seconds.
  init(ceiling: Double, release: Double, sampleRate: Int) {
    let fs = Double(sampleRate)
    self.sampleRate = fs
    window = max(8, Int(0.0015 * fs))
    self.ceiling = Float(DSPMath.gain(decibels: ceiling - 0.2))
    releaseCoefficient = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (release * fs)))
    let h = OversamplingFilter.design(taps: TruePeakLimiter.interpolatorTaps, cutoff: 0.5 / 4, beta: 8)
    kernels = .zeroed(3 * phaseTaps)
    // Phase p (1…3) between input frames: taps p, p+4, …, times 4 (the zero-stuffing gain), reversed.
    for p in 1...3 {
      for k in 0..<phaseTaps where k * 4 + p < TruePeakLimiter.interpolatorTaps {
        kernels[(p - 1) * phaseTaps + (phaseTaps - 1 - k)] = Float(h[k * 4 + p] * 4)
      }
    }
    var widest = 1.0
    for p in 0..<3 {
      var sum = 0.0
      for k in 0..<phaseTaps { sum += abs(Double(kernels[p * phaseTaps + k])) }
      widest = max(widest, sum)
    }
    reach = widest * (1 + 0x1p-12)
    historyLeft = .zeroed(phaseTaps - 1 + TruePeakLimiter.pass)
    historyRight = .zeroed(phaseTaps - 1 + TruePeakLimiter.pass)
    peaks = .zeroed(TruePeakLimiter.pass)
    var size = 1
    while size < window + 1 { size <<= 1 }
    queueMask = size - 1
    queueGain = .allocate(capacity: size)
    queueGain.initialize(repeating: 1, count: size)
    queueFrame = .allocate(capacity: size)
    queueFrame.initialize(repeating: 0, count: size)
    averageRing = .allocate(capacity: window)
    averageRing.initialize(repeating: 1, count: window)
    averageSum = Double(window)
    framesAtRest = window
    // Interpolated points lag their frame by (129 − 1)/2/4 = 16 frames; the gain ramp needs L − 1 more.
    let audioDelay = window - 1 + TruePeakLimiter.interpolatorDelay
    delay = StereoDelay(frames: audioDelay)
    latency = audioDelay
    tailFrames = Int64(audioDelay)
  }

  /// ceiling and release move.
  func retune(_ values: [Double]) {
    ceiling = Float(DSPMath.gain(decibels: values[0] - 0.2))
    releaseCoefficient = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (values[1] * sampleRate)))
  }

  deinit {
    kernels.deallocate()
    historyLeft.deallocate()
    historyRight.deallocate()
    peaks.deallocate()
    queueGain.deallocate()
    queueFrame.deallocate()
    averageRing.deallocate()
  }

  /// Pass 1: each frame's peak — the largest of |sample| and |interpolated point| over both channels — into
  /// `peaks`. Sixteen frames at a time: every tap is one broadcast multiply-add on sixteen consecutive windows,
  /// summed in tap order, which the scalar tail repeats exactly.
  private func detect(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, _ n: Int) {
    let taps = phaseTaps
    let lag = taps - 1 - TruePeakLimiter.interpolatorDelay
    (historyLeft + taps - 1).update(from: left, count: n)
    (historyRight + taps - 1).update(from: right, count: n)
    // No frame of a pass whose inputs (with the 31 frames of the taps' history) are this quiet can reach the
    // ceiling through any phase, so every frame needs gain 1 whatever its exact peak: `gains` and `atRest` only
    // compare the peaks with the ceiling, so 0 gives them what the interpolated peaks would.
    let window = n + taps - 1
    let loudest = max(
      Master.maxMagnitude(UnsafeBufferPointer(start: historyLeft, count: window)),
      Master.maxMagnitude(UnsafeBufferPointer(start: historyRight, count: window)))
    if skipsQuietPasses && Double(loudest) * reach + TruePeakLimiter.underflow < Double(ceiling) {
      peaks.update(repeating: 0, count: n)
      quietPasses += 1
    } else {
      interpolatePeaks(n, lag: lag, taps: taps)
    }
    // Keep the last taps − 1 inputs at the front for the next pass (forward copy: the source is later).
    for k in 0..<(taps - 1) {
      historyLeft[k] = historyLeft[n + k]
      historyRight[k] = historyRight[n + k]
    }
  }

  /// Each frame's peak of the pass (`detect`'s inputs in the history) into `peaks`.
  private func interpolatePeaks(_ n: Int, lag: Int, taps: Int) {
    var i = 0
    // Sixteen frames a vector: one 512-bit register where the CPU has them, two AVX registers elsewhere.
    while i + 16 <= n {
      let m = peak16(historyLeft, i, lag, taps, peak16(historyRight, i, lag, taps, SIMD16<Float>()))
      UnsafeMutableRawPointer(peaks + i).storeBytes(of: m, as: SIMD16<Float>.self)
      i += 16
    }
    while i < n {
      peaks[i] = peak1(historyLeft, i, lag, taps, peak1(historyRight, i, lag, taps, 0))
      i += 1
    }
  }

  /// The running maximum `m` raised by frames i ..< i + 16 of one channel's history: each frame's |sample| and
  /// its three interpolated points.
  @inline(__always)
  private func peak16(_ h: UnsafeMutablePointer<Float>, _ i: Int, _ lag: Int, _ taps: Int, _ m: SIMD16<Float>)
    -> SIMD16<Float>
  {
    var m = m
    let sample = UnsafeRawPointer(h + i + lag).loadUnaligned(as: SIMD16<Float>.self)
    m = m.replacing(with: sample, where: sample .> m).replacing(with: -sample, where: -sample .> m)
    for q in 0..<3 {
      let kernel = kernels + q * taps
      var acc = SIMD16<Float>()
      for k in 0..<taps { acc += kernel[k] * UnsafeRawPointer(h + i + k).loadUnaligned(as: SIMD16<Float>.self) }
      m = m.replacing(with: acc, where: acc .> m).replacing(with: -acc, where: -acc .> m)
    }
    return m
  }

  /// `peak16` for one frame: the same comparisons and the same sums in the same order.
  @inline(__always)
  private func peak1(_ h: UnsafeMutablePointer<Float>, _ i: Int, _ lag: Int, _ taps: Int, _ m: Float) -> Float {
    var m = m
    let sample = h[i + lag]
    if sample > m { m = sample }
    if -sample > m { m = -sample }
    for q in 0..<3 {
      let kernel = kernels + q * taps
      var acc: Float = 0
      for k in 0..<taps { acc += kernel[k] * h[i + k] }
      if acc > m { m = acc }
      if -acc > m { m = -acc }
    }
    return m
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    forEachPass(count, TruePeakLimiter.pass) { start, n in
      detect(left + start, right + start, n)
      limit(left + start, right + start, n)
    }
  }

  /// Pass 2: each frame's gain (frame by frame: the gain each peak needs, its sliding minimum, release and
  /// smoothing; or all at once for a pass at rest), into `peaks`; then the delayed audio times those gains.
  private func limit(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ count: Int) {
    if takesRestingPath && atRest(count, ceiling: ceiling) {
      rest(count)
    } else {
      gains(count)
    }
    delay.process(left: left, right: right, count: count)
    for n in 0..<count {
      left[n] *= peaks[n]
      right[n] *= peaks[n]
    }
  }

  /// The frame loop: each frame's peak in `peaks` becomes the gain applied to it, min(g, 1).
  private func gains(_ count: Int) {
    let (ceiling, releaseCoefficient) = (self.ceiling, self.releaseCoefficient)
    for n in 0..<count {
      let p = peaks[n]
      let needed = p > ceiling ? ceiling / p : 1
      // Sliding minimum over the last `window` frames.
      while queueCount > 0 && queueGain[(queueHead + queueCount - 1) & queueMask] >= needed { queueCount -= 1 }
      queueGain[(queueHead + queueCount) & queueMask] = needed
      queueFrame[(queueHead + queueCount) & queueMask] = frame
      queueCount += 1
      if queueFrame[queueHead] <= frame - window {
        queueHead = (queueHead + 1) & queueMask
        queueCount -= 1
      }
      let held = queueGain[queueHead]
      let before = released
      released = held < released ? held : held + releaseCoefficient * (released - held)
      framesAtRest = released == before ? framesAtRest + 1 : 0
      averageSum += Double(released) - Double(averageRing[averageIndex])
      averageRing[averageIndex] = released
      averageIndex = averageIndex + 1 == window ? 0 : averageIndex + 1
      let g = Float(averageSum / Double(window))
      smallestGain = min(smallestGain, g)
      peaks[n] = min(g, 1)
      frame += 1
    }
  }

  /// Whether this pass cannot change the gain: nothing in it needs a gain below 1 (so the window's minimum is
  /// 1 every frame), and the released gain r is where the release leaves it — 1 + c·(r − 1) rounds back to r,
  /// which in Float happens just short of 1 too, so this holds after limiting as well — and has been for a
  /// whole window, so the average's ring holds only r.
  private func atRest(_ count: Int, ceiling: Float) -> Bool {
    guard framesAtRest >= window, 1 + releaseCoefficient * (released - 1) == released else { return false }
    for k in 0..<queueCount where queueGain[(queueHead + k) & queueMask] != 1 { return false }
    for n in 0..<count where peaks[n] > ceiling { return false }
    return true
  }

  /// `gains` for a pass at rest (`atRest`), with the same result: the frame loop would keep the released gain
  /// at r, add r − r = 0 to the average's sum (so g stays what it is), write r over r in its ring and leave
  /// one queue entry, (1, the last frame); every frame's gain is min(g, 1).
  private func rest(_ count: Int) {
    let g = Float(averageSum / Double(window))
    smallestGain = min(smallestGain, g)
    peaks.update(repeating: min(g, 1), count: count)
    frame += count
    averageIndex = (averageIndex + count) % window
    queueCount = 1
    queueGain[queueHead] = 1
    queueFrame[queueHead] = frame - 1
    framesAtRest += count
    restingPasses += 1
  }
}
