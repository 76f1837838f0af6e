/// `delay(time=, feedback=, damp=, pingpong=)`: a stereo echo. The delay is a whole number of frames, so echo n
/// (n = 0, 1, …) of an impulse lands exactly on frame (n+1)·D at level feedback^n (without damping). `damp`
/// puts a one-pole low-pass in the feedback path (cutoff from 20 kHz at 0 down to 1 kHz at 1; exactly no
/// filter at 0). Ping-pong feeds the mono input to the left line and crosses the feedback, so echoes alternate.
final class DelayEffect: MixEffect {
  private let frames: Int
  /// A moving `time=` (nil: fixed at `frames`): the delay in frames now, where it is heading, and its step per
  /// frame — it glides to each grid point's time over the next `AutomationCurve.grid` frames, read with linear
  /// interpolation, like a tape delay's varispeed (a jump would click).
  private var moving: (now: Double, target: Double, step: Double, left: Int)?
  private let secondsPerBeat: Double
  private let sampleRate: Double
  private let mask: Int
  private let lineLeft: UnsafeMutablePointer<Float>
  private let lineRight: UnsafeMutablePointer<Float>
  private var write = 0
  private var feedback: Float
  private var dampCoefficient: Float
  private let pingPong: Bool
  private var lowLeft: Float = 0
  private var lowRight: Float = 0
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: `seconds` the echo time (> 0), `feedback` 0 … 0.95, `damp` 0 … 1; `longest` the longest
  /// time a moving `time=` reaches (seconds; nil when it does not move), `secondsPerBeat` for `retune`.
  init(
    seconds: Double, feedback: Double, damp: Double, pingPong: Bool, sampleRate: Int, longest: Double? = nil,
    secondsPerBeat: Double = 0.5
  ) {
    frames = max(1, Int((seconds * Double(sampleRate)).rounded()))
    self.secondsPerBeat = secondsPerBeat
    self.sampleRate = Double(sampleRate)
    if longest != nil { moving = (Double(frames), Double(frames), 0, 0) }
    let capacity = max(frames, Int(((longest ?? 0) * Double(sampleRate)).rounded(.up))) + 2
    var size = 1
    while size < capacity + 1 { size <<= 1 }
    mask = size - 1
    lineLeft = .zeroed(size)
    lineRight = .zeroed(size)
    self.feedback = Float(feedback)
    self.pingPong = pingPong
    dampCoefficient = DelayEffect.dampCoefficient(damp, Double(sampleRate))
    // Echoes until feedback^n < −90 dB (at most 60 s).
    let echoes = feedback <= 0.001 ? 1.0 : min(4000, 90 / (-20 * DSPMath.log10(feedback)) + 1)
    let longestFrames = max(frames, Int(((longest ?? 0) * Double(sampleRate)).rounded(.up)))
    tailFrames = min(Int64(sampleRate) * 60, Int64(echoes * Double(longestFrames)) + Int64(longestFrames))
  }

  /// The feedback low-pass: cutoff from 20 kHz (damp 0: exactly no filter) down to 1 kHz (damp 1), log-spaced.
  private static func dampCoefficient(_ damp: Double, _ fs: Double) -> Float {
    guard damp > 0 else { return 0 }
    let cutoff = 20_000 * DSPMath.exp2Double(-damp * 4.321_928)
    return Float(DSPMath.exp2Double(-2 * Double.pi * cutoff / fs * 1.442_695_040_888_963_4))
  }

  /// time (beats), feedback and damp move; pingpong does not.
  func retune(_ values: [Double]) {
    feedback = Float(values[1])
    dampCoefficient = DelayEffect.dampCoefficient(values[2], sampleRate)
    if var m = moving {
      m.target = max(1, min(Double(mask - 2), min(10, values[0] * secondsPerBeat) * sampleRate))
      m.step = (m.target - m.now) / Double(AutomationCurve.grid)
      m.left = Int(AutomationCurve.grid)
      moving = m
    }
  }

  deinit {
    lineLeft.deallocate()
    lineRight.deallocate()
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    if moving != nil {
      processMoving(left: left, right: right, count: count)
      return
    }
    let c = dampCoefficient
    var w = write
    // Locals, not fields: stores into the lines could alias the object's fields and force reloads per frame.
    var low = (lowLeft, lowRight)
    let (feedback, pingPong, lineLeft, lineRight, frames, mask) = (
      self.feedback, self.pingPong, self.lineLeft, self.lineRight, self.frames, self.mask
    )
    for n in 0..<count {
      let r = (w &- frames) & mask
      let (yl, yr) = (lineLeft[r], lineRight[r])
      (lineLeft[w], lineRight[w]) = DelayEffect.feed(yl, yr, c, feedback, pingPong, &low, left[n], right[n])
      left[n] = yl
      right[n] = yr
      w = (w + 1) & mask
    }
    (lowLeft, lowRight) = low
    write = w
  }

  /// One frame: the echo read from the lines (`yl`, `yr`) through the damping low-pass (`low`); returns what
  /// goes into the lines — the input (`xl`, `xr`) plus the damped feedback.
  @inline(__always)
  private static func feed(
    _ yl: Float, _ yr: Float, _ c: Float, _ feedback: Float, _ pingPong: Bool, _ low: inout (Float, Float),
    _ xl: Float, _ xr: Float
  ) -> (Float, Float) {
    // y = x + c·(y₋₁ − x): a one-pole low-pass, exactly x when c = 0.
    low.0 = Denormal.flush(yl + c * (low.0 - yl))
    low.1 = Denormal.flush(yr + c * (low.1 - yr))
    if pingPong { return ((xl + xr) * 0.5 + feedback * low.1, feedback * low.0) }
    return (xl + feedback * low.0, xr + feedback * low.1)
  }

  /// One frame of `processMoving`: `feed` on the object's state, the echo out.
  @inline(__always)
  private func echo(
    _ yl: Float, _ yr: Float, _ c: Float, _ w: Int, _ left: UnsafeMutablePointer<Float>,
    _ right: UnsafeMutablePointer<Float>
  ) {
    var low = (lowLeft, lowRight)
    (lineLeft[w], lineRight[w]) = DelayEffect.feed(yl, yr, c, feedback, pingPong, &low, left.pointee, right.pointee)
    (lowLeft, lowRight) = low
    left.pointee = yl
    right.pointee = yr
  }

  /// `process` with a moving time: a fractional read position (linear interpolation), gliding to its target.
  private func processMoving(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int) {
    let c = dampCoefficient
    var w = write
    var m = moving!
    for n in 0..<count {
      if m.left > 0 {
        m.now = m.left == 1 ? m.target : m.now + m.step
        m.left -= 1
      }
      let whole = Int(m.now)
      let frac = Float(m.now - Double(whole))
      let r0 = (w &- whole) & mask
      let r1 = (w &- whole &- 1) & mask
      echo(
        lineLeft[r0] + frac * (lineLeft[r1] - lineLeft[r0]), lineRight[r0] + frac * (lineRight[r1] - lineRight[r0]), c,
        w, left + n, right + n)
      w = (w + 1) & mask
    }
    write = w
    moving = m
  }
}
