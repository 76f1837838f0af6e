/// SIMD accumulation of voices and tracks, with scalar reference versions the tests compare against.
/// `SIMD8<Float>` body plus a scalar tail; both do the same single multiply and add per sample.
package enum Mixer {
  /// `left[i] += mono[i] · gainLeft; right[i] += mono[i] · gainRight` for `count` samples.
  @inline(__always)
  static func panAccumulate(
    _ mono: UnsafePointer<Float>, count: Int, gainLeft: Float, gainRight: Float,
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>
  ) {
    var i = 0
    let simdEnd = count & ~7
    while i < simdEnd {
      let m = UnsafeRawPointer(mono + i).loadUnaligned(as: SIMD8<Float>.self)
      let lp = UnsafeMutableRawPointer(left + i)
      let rp = UnsafeMutableRawPointer(right + i)
      lp.storeBytes(of: lp.loadUnaligned(as: SIMD8<Float>.self) + m * gainLeft, as: SIMD8<Float>.self)
      rp.storeBytes(of: rp.loadUnaligned(as: SIMD8<Float>.self) + m * gainRight, as: SIMD8<Float>.self)
      i += 8
    }
    while i < count {
      left[i] += mono[i] * gainLeft
      right[i] += mono[i] * gainRight
      i += 1
    }
  }

  /// `out[i] += input[i] · gain` (SIMD8 body, scalar tail).
  @inline(__always)
  package static func accumulate(
    _ input: UnsafePointer<Float>, gain: Float, into out: UnsafeMutablePointer<Float>, count: Int
  ) {
    var i = 0
    let simdEnd = count & ~7
    while i < simdEnd {
      let x = UnsafeRawPointer(input + i).loadUnaligned(as: SIMD8<Float>.self)
      let o = UnsafeMutableRawPointer(out + i)
      o.storeBytes(of: o.loadUnaligned(as: SIMD8<Float>.self) + x * gain, as: SIMD8<Float>.self)
      i += 8
    }
    while i < count {
      out[i] += input[i] * gain
      i += 1
    }
  }

  /// The scalar reference of `accumulate`.
  package static func accumulateScalar(
    _ input: UnsafePointer<Float>, gain: Float, into out: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in 0..<count { out[i] += input[i] * gain }
  }
}
