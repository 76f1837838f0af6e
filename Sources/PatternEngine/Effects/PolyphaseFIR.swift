/// A linear-phase low-pass FIR for 4× oversampling, designed once per render: a Kaiser-windowed sinc
/// (window and Bessel function computed here, no libm), cut at the middle of the transition band.
enum OversamplingFilter {
  /// Taps of a low-pass at `cutoff` (fraction of the *oversampled* rate, 0 … 0.5), `taps` long (odd), with a
  /// Kaiser window of shape `beta`; DC gain 1.
  static func design(taps: Int, cutoff: Double, beta: Double) -> [Double] {
    let m = Double(taps - 1) / 2
    var h = (0..<taps).map { i -> Double in
      let t = Double(i) - m
      let sinc = t == 0 ? 2 * cutoff : DSPMath.sinCos(2 * Double.pi * cutoff * t).sin / (Double.pi * t)
      let r = t / m
      return sinc * besselI0(beta * (max(0, 1 - r * r)).squareRoot()) / besselI0(beta)
    }
    let sum = h.reduce(0, +)
    for i in h.indices { h[i] /= sum }
    return h
  }

  /// The zeroth-order modified Bessel function of the first kind (power series).
  static func besselI0(_ x: Double) -> Double {
    var sum = 1.0
    var term = 1.0
    let q = x * x / 4
    for k in 1..<60 {
      term *= q / Double(k * k)
      sum += term
      if term < sum * 1e-17 { break }
    }
    return sum
  }
}

/// A dot product of `count` floats in a fixed order (eight running sums, then a fixed tree), the same for every
/// caller: both the one-frame and the block path use it.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
  var acc = SIMD8<Float>()
  var i = 0
  while i + 8 <= count {
    acc +=
      UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
      * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
    i += 8
  }
  var tail: Float = 0
  while i < count {
    tail += a[i] * b[i]
    i += 1
  }
  let q = acc.lowHalf + acc.highHalf
  let p = q.lowHalf + q.highHalf
  return (p.x + p.y) + tail
}
