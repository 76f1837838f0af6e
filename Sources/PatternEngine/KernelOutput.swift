/// What the oscillator kernel adds its samples to: the output already there (`AddingOutput`), or +0 where it is
/// the first voice to write a stretch of a lane (`FreshOutput`), which then needs no clearing first.
///
/// The kernel computes `base + v · g` either way, so a fresh write has exactly the bits of adding into a
/// cleared buffer (`+0 + x`; IEEE addition is commutative, and Swift never folds `x + 0`, which turns −0 into
/// +0), without the clearing pass and the loads.
protocol KernelOutput {
  /// What one frame's sample is added to.
  static func base(_ p: UnsafeMutablePointer<Float>) -> Float
  /// What eight frames' samples are added to (`p` on any alignment).
  static func base8(_ p: UnsafeMutableRawPointer) -> SIMD8<Float>
  /// What sixteen frames' samples are added to.
  static func base16(_ p: UnsafeMutableRawPointer) -> SIMD16<Float>
}

/// Adds into the output (the usual case).
enum AddingOutput: KernelOutput {
  @inline(__always) static func base(_ p: UnsafeMutablePointer<Float>) -> Float { p.pointee }
  @inline(__always) static func base8(_ p: UnsafeMutableRawPointer) -> SIMD8<Float> {
    p.loadUnaligned(as: SIMD8<Float>.self)
  }
  @inline(__always) static func base16(_ p: UnsafeMutableRawPointer) -> SIMD16<Float> {
    p.loadUnaligned(as: SIMD16<Float>.self)
  }
}

/// Writes `+0 + v · g`: the first voice over frames nothing has written yet.
enum FreshOutput: KernelOutput {
  @inline(__always) static func base(_ p: UnsafeMutablePointer<Float>) -> Float { 0 }
  @inline(__always) static func base8(_ p: UnsafeMutableRawPointer) -> SIMD8<Float> { SIMD8(repeating: 0) }
  @inline(__always) static func base16(_ p: UnsafeMutableRawPointer) -> SIMD16<Float> { SIMD16(repeating: 0) }
}
