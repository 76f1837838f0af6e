/// `delay(time=, feedback=, damp=, pingpong=)`: a stereo echo. The delay is a whole number of frames, so echo n
/// (n = 0, 1, …) of an impulse lands exactly on frame (n+1)·D at level feedback^n (without damping). `damp`
/// puts a one-pole low-pass in the feedback path (cutoff from 20 kHz at 0 down to 1 kHz at 1; exactly no
/// filter at 0). Ping-pong feeds the mono input to the left line and crosses the feedback, so echoes alternate.
final class DelayEffect: MixEffect {
  private let frames: Int
  private let mask: Int
  private let lineLeft: UnsafeMutablePointer<Float>
  private let lineRight: UnsafeMutablePointer<Float>
  private var write = 0
  private let feedback: Float
  private let dampCoefficient: Float
  private let pingPong: Bool
  private var lowLeft: Float = 0
  private var lowRight: Float = 0
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: `seconds` the echo time (> 0), `feedback` 0 … 0.95, `damp` 0 … 1.
  init(seconds: Double, feedback: Double, damp: Double, pingPong: Bool, sampleRate: Int) {
    frames = max(1, Int((seconds * Double(sampleRate)).rounded()))
    var size = 1
    while size < frames + 1 { size <<= 1 }
    mask = size - 1
    lineLeft = .zeroed(size)
    lineRight = .zeroed(size)
    self.feedback = Float(feedback)
    self.pingPong = pingPong
    if damp > 0 {
      let cutoff = 20_000 * DSPMath.exp2Double(-damp * 4.321_928)  // 20 kHz … 1 kHz, log-spaced
      dampCoefficient = Float(
        DSPMath.exp2Double(-2 * Double.pi * cutoff / Double(sampleRate) * 1.442_695_040_888_963_4))
    } else {
      dampCoefficient = 0
    }
    // Echoes until feedback^n < −90 dB (at most 60 s).
    let echoes = feedback <= 0.001 ? 1.0 : min(4000, 90 / (-20 * DSPMath.log10(feedback)) + 1)
    tailFrames = min(Int64(sampleRate) * 60, Int64(echoes * Double(frames)) + Int64(frames))
  }

  deinit {
    lineLeft.deallocate()
    lineRight.deallocate()
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    let c = dampCoefficient
    var w = write
    for n in 0..<count {
      let r = (w &- frames) & mask
      let yl = lineLeft[r]
      let yr = lineRight[r]
      // y = x + c·(y₋₁ − x): a one-pole low-pass, exactly x when c = 0.
      lowLeft = Denormal.flush(yl + c * (lowLeft - yl))
      lowRight = Denormal.flush(yr + c * (lowRight - yr))
      if pingPong {
        lineLeft[w] = (left[n] + right[n]) * 0.5 + feedback * lowRight
        lineRight[w] = feedback * lowLeft
      } else {
        lineLeft[w] = left[n] + feedback * lowLeft
        lineRight[w] = right[n] + feedback * lowRight
      }
      left[n] = yl
      right[n] = yr
      w = (w + 1) & mask
    }
    write = w
  }
}
