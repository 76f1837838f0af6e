/// SIMD accumulation of voices and tracks, with scalar reference versions the tests compare against.
/// `SIMD8<Float>` body plus a scalar tail; both do the same single multiply and add per sample.
package enum Mixer {
  /// `left[i] += mono[i] · gainLeft; right[i] += mono[i] · gainRight` for `count` samples.
  /// - Parameter fresh: Nothing has written these frames yet: write `+0 + mono[i] · gain` without reading them
  ///   (the bits of adding into cleared memory, `FreshOutput`), so they need not be cleared.
  @inline(__always)
  static func panAccumulate(
    _ mono: UnsafePointer<Float>, count: Int, gainLeft: Float, gainRight: Float,
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    if fresh {
      panAccumulate(mono, count, gainLeft, gainRight, left, right, FreshOutput.self)
    } else {
      panAccumulate(mono, count, gainLeft, gainRight, left, right, AddingOutput.self)
    }
  }

  @inline(__always)
  private static func panAccumulate<Output: KernelOutput>(
    _ mono: UnsafePointer<Float>, _ count: Int, _ gainLeft: Float, _ gainRight: Float,
    _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ output: Output.Type
  ) {
    var i = 0
    let simdEnd = count & ~7
    while i < simdEnd {
      let m = UnsafeRawPointer(mono + i).loadUnaligned(as: SIMD8<Float>.self)
      let lp = UnsafeMutableRawPointer(left + i)
      let rp = UnsafeMutableRawPointer(right + i)
      lp.storeBytes(of: Output.base8(lp) + m * gainLeft, as: SIMD8<Float>.self)
      rp.storeBytes(of: Output.base8(rp) + m * gainRight, as: SIMD8<Float>.self)
      i += 8
    }
    while i < count {
      left[i] = Output.base(left + i) + mono[i] * gainLeft
      right[i] = Output.base(right + i) + mono[i] * gainRight
      i += 1
    }
  }

  /// `out[i] += input[i] · gain` (SIMD8 body, scalar tail).
  /// - Parameter fresh: `out` holds nothing yet: write `+0 + input[i] · gain` without reading it (the bits of
  ///   adding into cleared memory, `FreshOutput`), so it need not be cleared first.
  @inline(__always)
  package static func accumulate(
    _ input: UnsafePointer<Float>, gain: Float, into out: UnsafeMutablePointer<Float>, count: Int, fresh: Bool = false
  ) {
    if fresh {
      accumulate(input, gain, out, count, FreshOutput.self)
    } else {
      accumulate(input, gain, out, count, AddingOutput.self)
    }
  }

  @inline(__always)
  private static func accumulate<Output: KernelOutput>(
    _ input: UnsafePointer<Float>, _ gain: Float, _ out: UnsafeMutablePointer<Float>, _ count: Int,
    _ output: Output.Type
  ) {
    var i = 0
    let simdEnd = count & ~7
    while i < simdEnd {
      let x = UnsafeRawPointer(input + i).loadUnaligned(as: SIMD8<Float>.self)
      let o = UnsafeMutableRawPointer(out + i)
      o.storeBytes(of: Output.base8(o) + x * gain, as: SIMD8<Float>.self)
      i += 8
    }
    while i < count {
      out[i] = Output.base(out + i) + input[i] * gain
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
