/// `chorus(rate=, depth=)`: each channel read from its own delay line at 12 ms ± up to 6 ms (× depth), moved by
/// a sine LFO (right a quarter cycle after left), with linear interpolation. The LFO phase is an integer
/// function of the frame counted from the start of the render, so any block split gives the same bits.
final class Chorus: MixEffect {
  private let lineLeft: UnsafeMutablePointer<Float>
  private let lineRight: UnsafeMutablePointer<Float>
  private let mask: Int
  private var write = 0
  /// The LFO's phase, advanced by `phaseStep` per frame (the same bits as frame × step while the rate holds).
  private var phase: UInt32 = 0
  private var phaseStep: UInt32
  private let center: Float
  private var swing: Float
  private let sampleRate: Double
  let latency = 0
  let tailFrames: Int64

  /// - Parameters: rate in Hz, depth 0 … 1.
  init(rate: Double, depth: Double, sampleRate: Int) {
    let fs = Double(sampleRate)
    self.sampleRate = fs
    center = Float(0.012 * fs)
    swing = Float(0.006 * fs * depth)
    var size = 1
    while size < Int(0.019 * fs) + 4 { size <<= 1 }
    mask = size - 1
    lineLeft = .zeroed(size)
    lineRight = .zeroed(size)
    phaseStep = Chorus.step(rate, fs)
    tailFrames = Int64(0.02 * fs)
  }

  private static func step(_ rate: Double, _ fs: Double) -> UInt32 {
    UInt32(min(4_294_967_295, (rate / fs * 4_294_967_296).rounded()))
  }

  /// rate and depth move; the phase goes on from where it is.
  func retune(_ values: [Double]) {
    phaseStep = Chorus.step(values[0], sampleRate)
    swing = Float(0.006 * sampleRate * values[1])
  }

  deinit {
    lineLeft.deallocate()
    lineRight.deallocate()
  }

  @inline(__always)
  private func read(_ line: UnsafeMutablePointer<Float>, _ w: Int, _ delay: Float) -> Float {
    let whole = Int(delay)
    let frac = delay - Float(whole)
    let a = line[(w &- whole) & mask]
    let b = line[(w &- whole &- 1) & mask]
    return a + frac * (b - a)
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    var w = write
    var p = phase
    let (swing, step) = (self.swing, phaseStep)
    for n in 0..<count {
      lineLeft[w] = left[n]
      lineRight[w] = right[n]
      let phase = p
      let dl = center + swing * DSPMath.sine(phase: phase)
      let dr = center + swing * DSPMath.sine(phase: phase &+ 0x4000_0000)
      left[n] = read(lineLeft, w, dl)
      right[n] = read(lineRight, w, dr)
      w = (w + 1) & mask
      p &+= step
    }
    write = w
    self.phase = p
  }
}
