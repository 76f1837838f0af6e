/// A Schroeder all-pass y = −g·x + s, s' = x + g·y over a delay of `frames` (mono, for diffusion).
/// Its line is raw storage owned by the effect that holds it (`free()` in its deinit), so `tick` has no
/// array checks.
struct AllPass {
  private let line: UnsafeMutablePointer<Float>
  private let length: Int
  private var index = 0
  private let gain: Float

  init(frames: Int, gain: Float) {
    length = max(1, frames)
    line = .zeroed(length)
    self.gain = gain
  }

  func free() { line.deallocate() }

  @inline(__always)
  mutating func tick(_ x: Float) -> Float {
    let delayed = line[index]
    let v = Denormal.flush(x + gain * delayed)
    line[index] = v
    index = index + 1 == length ? 0 : index + 1
    return delayed - gain * v
  }
}
