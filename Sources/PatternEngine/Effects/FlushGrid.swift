/// Where an effect clears recursive state that has decayed to (almost) nothing: every `frames` frames counted
/// from the effect's first input frame, so no block split moves a flush. (What each flush may change is said
/// where it is done: for the biquads and the reverb at most the sign of a zero or a subnormal output; for the
/// compressor, a gain of 0.99999166 that becomes exactly 1.)
///
/// Why: a recursion fed silence decays into subnormal numbers and, rounding at their last bit, can stay there
/// for ever (a biquad at 40 Hz settles into a limit cycle at ±3e−322; a one-pole in `Float` at its smallest
/// subnormal), and every operation on a subnormal costs ~100 cycles on x86. Measured: a song with a minute of
/// silence between two notes, through `eq → comp` and a reverb, rendered 11× slower than with the CPU's
/// flush-to-zero mode (the benchmark "effect: … through a minute of silence" measures it again). Flushing in
/// the recursion itself (`Denormal.flush`) would lengthen its critical path every frame; a check per grid cell
/// costs nothing measurable, and a state enters subnormals at most once per silence, for less than one cell.
struct FlushGrid: Equatable {
  /// Frames between flushes.
  static let frames = 256
  /// Frames since the last grid point (0 ..< `frames`).
  private var phase = 0

  /// Runs `body(start, n)` over `count` frames in passes of at most `pass` frames that never cross a grid
  /// point, and `flush()` after each pass that ends on one.
  @inline(__always)
  mutating func forEachPass(_ count: Int, _ pass: Int, _ body: (Int, Int) -> Void, flush: () -> Void) {
    var start = 0
    while start < count {
      let n = passLength(count - start, pass)
      body(start, n)
      start += n
      if advance(n) { flush() }
    }
  }

  /// The next pass's length: at most `pass` frames and `remaining`, up to the next grid point.
  @inline(__always)
  func passLength(_ remaining: Int, _ pass: Int) -> Int { Swift.min(pass, remaining, FlushGrid.frames - phase) }

  /// Whether a pass of `n` frames from here (at most to the next grid point) ends on one.
  @inline(__always)
  func endsOnGrid(_ n: Int) -> Bool { phase + n == FlushGrid.frames }

  /// Moves on `n` frames (at most to the next grid point); true when they reach it.
  @inline(__always)
  mutating func advance(_ n: Int) -> Bool {
    phase += n
    guard phase == FlushGrid.frames else { return false }
    phase = 0
    return true
  }
}
