/// One effect of the mix graph: a state machine stepped once per frame, in frame order, whatever the block size.
///
/// `process` runs in place on a stereo block. Calling it with `count: 1` frame after frame is the one-sample
/// reference; any other split of the same frames gives the same bits (tests check 1, 37, 512, 4096). Everything
/// an effect needs is allocated in its `init`; `process` allocates nothing and calls no libm function.
package protocol MixEffect: AnyObject {
  /// Frames by which the output lags the input (look-ahead, linear-phase filters); the graph compensates it.
  var latency: Int { get }
  /// Frames after the input falls silent until the output is below −90 dB of the input's level: how far the
  /// render goes on after the last voice.
  var tailFrames: Int64 { get }
  /// Processes `count` frames of `left`/`right` in place. `key` is the sidechain signal of the same frames
  /// (nil: the effect listens to its own input).
  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?)
}

/// Two channels of the same frames, read-only.
package struct StereoSignal {
  package var left: UnsafePointer<Float>
  package var right: UnsafePointer<Float>

  package init(left: UnsafePointer<Float>, right: UnsafePointer<Float>) {
    self.left = left
    self.right = right
  }
}

/// Keeping recursive state out of subnormal floats (≈100× slower on x86, and Swift cannot set FTZ/DAZ):
/// `(x + tiny) − tiny` rounds anything below the tiny value's last bit to zero and leaves audible values as they
/// are to within one rounding. Deterministic: plain IEEE adds.
enum Denormal {
  static let guardFloat: Float = 1e-18
  static let guardDouble: Double = 1e-30

  @inline(__always)
  static func flush(_ x: Float) -> Float { (x + guardFloat) - guardFloat }

  @inline(__always)
  static func flush(_ x: Double) -> Double { (x + guardDouble) - guardDouble }

  @inline(__always)
  static func flush(_ x: SIMD2<Double>) -> SIMD2<Double> { (x + guardDouble) - guardDouble }

  @inline(__always)
  static func flush(_ x: SIMD16<Float>) -> SIMD16<Float> { (x + guardFloat) - guardFloat }
}

extension DSPMath {
  /// log2(x) for x > 0 (below 2^-126 it is clamped), absolute error below 1e-6: the exponent from the bits, the
  /// mantissa by the atanh series around 1. Plain IEEE operations only.
  @inline(__always)
  static func log2(_ x: Float) -> Float {
    let v = max(x, 1.175_494_4e-38)
    let bits = v.bitPattern
    var e = Int32(bitPattern: (bits >> 23) & 0xFF) - 127
    var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // [1, 2)
    if m > 1.414_213_5 {
      m *= 0.5
      e += 1
    }
    let t = (m - 1) / (m + 1)  // |t| < 0.172
    let t2 = t * t
    var p = t2 * (1 / 9) + (1 / 7)
    p = t2 * p + (1 / 5)
    p = t2 * p + (1 / 3)
    p = t2 * p + 1
    // ln(m) = 2t·p; log2 = ln / ln 2.
    return Float(e) + t * p * 2.885_390_1
  }

  /// 10^(dB/20) per sample (via `exp2`, so only for dB ≤ 0 … small positive values: exp2 needs x ≤ 0, so the
  /// positive part is split off as an exact power of two).
  @inline(__always)
  static func gainFromDecibels(_ db: Float) -> Float {
    let x = db * 0.166_096_4  // log2(10)/20
    if x <= 0 { return exp2(x) }
    let whole = x.rounded(.up)
    return exp2(x - whole) * Float(sign: .plus, exponent: Int(whole), significand: 1)
  }
}
