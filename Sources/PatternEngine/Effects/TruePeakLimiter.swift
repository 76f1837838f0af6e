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
  private let ceiling: Float
  private let releaseCoefficient: Float
  private let kernels: UnsafeMutablePointer<Float>  // 3 fractional phases × 12 taps (reversed)
  private let phaseTaps = 32
  private let historyLeft: UnsafeMutablePointer<Float>
  private let historyRight: UnsafeMutablePointer<Float>
  private var historyIndex = 0
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
  private let audioDelay: Int
  private let delayLeft: UnsafeMutablePointer<Float>
  private let delayRight: UnsafeMutablePointer<Float>
  private var delayIndex = 0
  let latency: Int
  let tailFrames: Int64
  /// The smallest gain applied so far (1: it never limited).
  private(set) var smallestGain: Float = 1

  /// - Parameters: ceiling in dBTP (≤ 0), release in seconds.
  init(ceiling: Double, release: Double, sampleRate: Int) {
    let fs = Double(sampleRate)
    window = max(8, Int(0.0015 * fs))
    self.ceiling = Float(DSPMath.gain(decibels: ceiling - 0.2))
    releaseCoefficient = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (release * fs)))
    let h = OversamplingFilter.design(taps: TruePeakLimiter.interpolatorTaps, cutoff: 0.5 / 4, beta: 8)
    kernels = .allocate(capacity: 3 * phaseTaps)
    kernels.initialize(repeating: 0, count: 3 * phaseTaps)
    // Phase p (1…3) between input frames: taps p, p+4, …, times 4 (the zero-stuffing gain), reversed.
    for p in 1...3 {
      for k in 0..<phaseTaps where k * 4 + p < TruePeakLimiter.interpolatorTaps {
        kernels[(p - 1) * phaseTaps + (phaseTaps - 1 - k)] = Float(h[k * 4 + p] * 4)
      }
    }
    historyLeft = .allocate(capacity: 2 * phaseTaps)
    historyLeft.initialize(repeating: 0, count: 2 * phaseTaps)
    historyRight = .allocate(capacity: 2 * phaseTaps)
    historyRight.initialize(repeating: 0, count: 2 * phaseTaps)
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
    // Interpolated points lag their frame by (129 − 1)/2/4 = 16 frames; the gain ramp needs L − 1 more.
    audioDelay = window - 1 + TruePeakLimiter.interpolatorDelay
    delayLeft = .allocate(capacity: audioDelay)
    delayLeft.initialize(repeating: 0, count: audioDelay)
    delayRight = .allocate(capacity: audioDelay)
    delayRight.initialize(repeating: 0, count: audioDelay)
    latency = audioDelay
    tailFrames = Int64(audioDelay)
  }

  deinit {
    kernels.deallocate()
    historyLeft.deallocate()
    historyRight.deallocate()
    queueGain.deallocate()
    queueFrame.deallocate()
    averageRing.deallocate()
    delayLeft.deallocate()
    delayRight.deallocate()
  }

  /// The largest absolute value among the three interpolated points ending at the newest history sample, and
  /// the sample `(taps − 1)/8` frames back that they surround.
  @inline(__always)
  private func peak(_ history: UnsafeMutablePointer<Float>) -> Float {
    let w = UnsafePointer(history + historyIndex)
    var m = abs(w[phaseTaps - 1 - TruePeakLimiter.interpolatorDelay])
    for p in 0..<3 { m = max(m, abs(dot(w, kernels + p * phaseTaps, phaseTaps))) }
    return m
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    for n in 0..<count {
      historyLeft[historyIndex] = left[n]
      historyLeft[historyIndex + phaseTaps] = left[n]
      historyRight[historyIndex] = right[n]
      historyRight[historyIndex + phaseTaps] = right[n]
      historyIndex = historyIndex + 1 == phaseTaps ? 0 : historyIndex + 1
      let p = max(peak(historyLeft), peak(historyRight))
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
      released = held < released ? held : held + releaseCoefficient * (released - held)
      averageSum += Double(released) - Double(averageRing[averageIndex])
      averageRing[averageIndex] = released
      averageIndex = averageIndex + 1 == window ? 0 : averageIndex + 1
      let g = Float(averageSum / Double(window))
      smallestGain = min(smallestGain, g)
      // Delay the audio so the ramp is complete when the peak arrives.
      let l = delayLeft[delayIndex]
      let r = delayRight[delayIndex]
      delayLeft[delayIndex] = left[n]
      delayRight[delayIndex] = right[n]
      delayIndex = delayIndex + 1 == audioDelay ? 0 : delayIndex + 1
      left[n] = l * min(g, 1)
      right[n] = r * min(g, 1)
      frame += 1
    }
  }
}
