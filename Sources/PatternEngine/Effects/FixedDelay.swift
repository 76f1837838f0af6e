/// A mono delay of a whole number of frames (0 passes through), on raw storage freed by its owner.
struct FixedDelay {
  private let line: UnsafeMutablePointer<Float>
  private let length: Int
  private var index = 0

  init(frames: Int) {
    length = max(0, frames)
    line = .zeroed(max(1, length))
  }

  func free() { line.deallocate() }

  @inline(__always)
  mutating func tick(_ x: Float) -> Float {
    guard length > 0 else { return x }
    let y = line[index]
    line[index] = x
    index = index + 1 == length ? 0 : index + 1
    return y
  }

  /// `tick` over `count` samples of `buffer`, in place: swaps runs of the buffer with the line.
  mutating func process(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
    guard length > 0 else { return }
    var done = 0
    while done < count {
      let n = min(count - done, length - index)
      for i in 0..<n {
        let y = line[index + i]
        line[index + i] = buffer[done + i]
        buffer[done + i] = y
      }
      index = index + n == length ? 0 : index + n
      done += n
    }
  }
}
