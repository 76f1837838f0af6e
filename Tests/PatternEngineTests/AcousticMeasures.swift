import Foundation

/// What an audio engineer measures, written here independently of the engine (Foundation's libm, `Double`):
/// Schroeder decay times per octave band, echo density, interaural correlation, magnitude at a frequency.
enum AcousticMeasures {
  /// An RBJ band-pass (0 dB peak) at `hz` with Q = √2 (one octave), run twice over `x`.
  static func octaveBand(_ x: [Double], hz: Double, sampleRate fs: Double) -> [Double] {
    let w = 2 * Double.pi * hz / fs
    let alpha = sin(w) / (2 * 2.0.squareRoot())
    let a0 = 1 + alpha
    let b0 = alpha / a0
    let b2 = -alpha / a0
    let a1 = -2 * cos(w) / a0
    let a2 = (1 - alpha) / a0
    var y = x
    for _ in 0..<2 {
      var (x1, x2, y1, y2) = (0.0, 0.0, 0.0, 0.0)
      for i in y.indices {
        let xi = y[i]
        let yi = b0 * xi + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1
        x1 = xi
        y2 = y1
        y1 = yi
        y[i] = yi
      }
    }
    return y
  }

  /// RT60 in seconds from T20: Schroeder backward integration of the energy, a least-squares line between
  /// −5 and −25 dB, extrapolated to 60 dB.
  static func rt60(_ h: [Double], sampleRate fs: Double) -> Double {
    var energy = [Double](repeating: 0, count: h.count)
    var sum = 0.0
    for i in stride(from: h.count - 1, through: 0, by: -1) {
      sum += h[i] * h[i]
      energy[i] = sum
    }
    let total = energy[0]
    var xs: [Double] = []
    var ys: [Double] = []
    for i in h.indices {
      let db = 10 * log10(energy[i] / total)
      if db <= -5 && db >= -25 {
        xs.append(Double(i) / fs)
        ys.append(db)
      }
      if db < -25 { break }
    }
    let n = Double(xs.count)
    let mx = xs.reduce(0, +) / n
    let my = ys.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    for (x, y) in zip(xs, ys) {
      sxy += (x - mx) * (y - my)
      sxx += (x - mx) * (x - mx)
    }
    return -60 / (sxy / sxx)
  }

  /// Abel & Huang's normalised echo density at each window start (window `windowSeconds`, hop `hopSeconds`):
  /// the fraction of samples beyond one standard deviation, over a Gaussian's 0.3173.
  static func echoDensity(
    _ h: [Double], sampleRate fs: Double, windowSeconds: Double = 0.02, hopSeconds: Double = 0.002
  )
    -> [(time: Double, density: Double)]
  {
    let w = Int(windowSeconds * fs)
    let hop = Int(hopSeconds * fs)
    var out: [(Double, Double)] = []
    var start = 0
    while start + w <= h.count {
      let slice = h[start..<(start + w)]
      let sigma = (slice.reduce(0) { $0 + $1 * $1 } / Double(w)).squareRoot()
      let beyond = slice.filter { abs($0) > sigma }.count
      out.append((Double(start + w / 2) / fs, Double(beyond) / Double(w) / 0.317_310_507_862_914))
      start += hop
    }
    return out
  }

  /// Pearson correlation of two equally long signals.
  static func correlation(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
    var ab = 0.0
    var aa = 0.0
    var bb = 0.0
    for (x, y) in zip(a, b) {
      ab += x * y
      aa += x * x
      bb += y * y
    }
    return ab / (aa * bb).squareRoot()
  }

  /// |Σ x[n]·e^(−jωn)|: one DFT bin at `hz`.
  static func magnitude(_ x: [Double], hz: Double, sampleRate fs: Double) -> Double {
    let w = 2 * Double.pi * hz / fs
    var re = 0.0
    var im = 0.0
    for (n, v) in x.enumerated() {
      re += v * cos(w * Double(n))
      im -= v * sin(w * Double(n))
    }
    return (re * re + im * im).squareRoot()
  }

  static func decibels(_ x: Double) -> Double { 20 * log10(x) }
}
