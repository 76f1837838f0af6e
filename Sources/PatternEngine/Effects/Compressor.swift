/// A feed-forward compressor after Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design — A
/// Tutorial and Analysis" (JAES 2012): the level in dB of the detector signal (the stereo-linked peak of the
/// input, or of the sidechain key), a gain computer with a quadratic soft knee, and a smooth branching peak
/// detector on the gain reduction in the log domain (attack while the reduction grows, release while it
/// shrinks: time constants τ with α = e^(−1/(τ·fs))).
final class Compressor: MixEffect {
  private let threshold: Float
  private let slope: Float  // 1/ratio − 1
  private let knee: Float
  private let makeup: Float
  private let attack: Float
  private let release: Float
  /// The smoothed gain reduction in dB (≥ 0).
  private var reduction: Float = 0
  /// Below this detector level (linear) the gain computer gives 0: no logarithm needed.
  private let quietLevel: Float
  /// The makeup gain, linear (the gain when there is no reduction).
  private let makeupGain: Float
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: threshold and knee in dB, ratio ≥ 1, attack and release in seconds, makeup in dB.
  init(
    threshold: Double, ratio: Double, knee: Double, attack: Double, release: Double, makeup: Double, sampleRate: Int
  ) {
    self.threshold = Float(threshold)
    slope = Float(1 / ratio - 1)
    self.knee = Float(knee)
    self.makeup = Float(makeup)
    let fs = Double(sampleRate)
    // e^(−1/(τ fs)) = 2^(−log2(e)/(τ fs))
    self.attack = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (attack * fs)))
    self.release = Float(DSPMath.exp2Double(-1.442_695_040_888_963_4 / (release * fs)))
    tailFrames = 0  // silent input, silent output: the gain only scales what comes in
    quietLevel = Float(DSPMath.gain(decibels: threshold - knee / 2))
    makeupGain = DSPMath.gainFromDecibels(Float(makeup))
  }

  /// The static curve: gain reduction in dB (≤ 0) for a detector level in dB.
  @inline(__always)
  func gainComputer(_ x: Float) -> Float {
    let over = x - threshold
    if 2 * over < -knee { return 0 }
    if knee > 0 && 2 * over <= knee {
      let d = over + knee / 2
      return slope * d * d / (2 * knee)
    }
    return slope * over
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    let detectLeft = key?.left ?? UnsafePointer(left)
    let detectRight = key?.right ?? UnsafePointer(right)
    var y = reduction
    for n in 0..<count {
      let level = max(abs(detectLeft[n]), abs(detectRight[n]))
      // Below the knee the target is 0 without a logarithm; a reduction under 0.0001 dB is none (so the gain
      // is the makeup's without an exponential): both exact functions of the frame's values.
      var target: Float = 0
      if level > quietLevel { target = -gainComputer(6.020_6 * DSPMath.log2(level)) }
      if target != 0 || y != 0 {
        let a = target > y ? attack : release
        y = a * y + (1 - a) * target
        if y < 0.000_1 { y = 0 }
      }
      let g = y == 0 ? makeupGain : DSPMath.gainFromDecibels(makeup - y)
      left[n] *= g
      right[n] *= g
    }
    reduction = y
  }
}
