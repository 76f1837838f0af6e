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
  /// Sets every parameter (`EffectSpec.values` order and units) without touching the effect's state: called by
  /// `EffectSlot` at automation grid points. Parameters that cannot move (checked by the language) are ignored.
  func retune(_ values: [Double])
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

  @inline(__always)
  static func flush(_ x: Float) -> Float { (x + guardFloat) - guardFloat }

  @inline(__always)
  static func flush(_ x: SIMD8<Float>) -> SIMD8<Float> { (x + guardFloat) - guardFloat }
}

extension UnsafeMutablePointer where Pointee == Float {
  /// `count` floats of zeros (at least one), owned by the caller: effects allocate their state this way in
  /// `init` and free it in `deinit`.
  static func zeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, count))
    p.initialize(repeating: 0, count: Swift.max(1, count))
    return p
  }
}

/// Runs `body` over `count` frames in passes of at most `pass` (start, length), a split that never changes a
/// result (each pass carries its state on). (Effects that flush decayed state split on their `FlushGrid`.)
@inline(__always)
func forEachPass(_ count: Int, _ pass: Int, _ body: (Int, Int) -> Void) {
  var start = 0
  while start < count {
    let n = Swift.min(pass, count - start)
    body(start, n)
    start += n
  }
}
