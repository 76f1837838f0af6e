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

  /// `tick` over `count` samples of `buffer`, in place. Frames less than the line's length apart never read
  /// each other's writes, so each run up to the ring's end is one vector loop with `tick`'s operations per
  /// frame: the same bits, without a dependency from frame to frame.
  mutating func process(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
    let g = gain
    var done = 0
    while done < count {
      let n = min(count - done, length - index)
      let x = UnsafeMutableRawPointer(buffer + done)
      let d = UnsafeMutableRawPointer(line + index)
      var i = 0
      while i + 8 <= n {
        let delayed = d.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        let v = Denormal.flush(x.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) + g * delayed)
        d.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        x.storeBytes(of: delayed - g * v, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
      }
      while i < n {
        let delayed = line[index + i]
        let v = Denormal.flush(buffer[done + i] + g * delayed)
        line[index + i] = v
        buffer[done + i] = delayed - g * v
        i += 1
      }
      index = index + n == length ? 0 : index + n
      done += n
    }
  }
}
