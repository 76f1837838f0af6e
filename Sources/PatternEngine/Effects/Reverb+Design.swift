extension Reverb {
  /// The absorption shelves' gains per line (see the type's comment).
  static func absorption(decay: Double, damp: Double, lengths: [Int], c: Double, fs: Double) -> (
    SIMD8<Float>, SIMD8<Float>
  ) {
    let high = decay * (1 - 0.9 * damp)
    // LP(ω) = (1 − c) / (1 − c·e^(−jω)) at ω for 707 Hz.
    let (s, co) = DSPMath.sinCos(2 * Double.pi * 707.1 / fs)
    let dr = 1 - c * co
    let di = c * s
    let den = dr * dr + di * di
    let lr = (1 - c) * dr / den
    let li = -(1 - c) * di / den
    let l2 = lr * lr + li * li
    var low = SIMD8<Float>()
    var highGains = SIMD8<Float>()
    for (i, d) in lengths.enumerated() {
      let target = Reverb.gain(frames: d, rt60: decay, fs: fs)
      let gh = Reverb.gain(frames: d, rt60: high, fs: fs)
      // |gh + Δ·LP| = target → Δ²|LP|² + 2·gh·Re(LP)·Δ + gh² − target² = 0, the positive root.
      let b = gh * lr
      let delta = (-b + (b * b - l2 * (gh * gh - target * target)).squareRoot()) / l2
      low[i] = Float(gh + delta)
      highGains[i] = Float(gh)
    }
    return (low, highGains)
  }

  /// g = 10^(−3·d/(RT60·fs)).
  static func gain(frames: Int, rt60: Double, fs: Double) -> Double {
    DSPMath.exp2Double(-3 * Double(frames) / (rt60 * fs) * 3.321_928_094_887_362_3)
  }

  static func prime(atLeast n: Int) -> Int {
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
}
