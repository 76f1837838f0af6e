/// A stereo pair of sample lines in one allocation, the right line starting half a page (2 KB, modulo 4 KB) away
/// from where the left one does: a lane's output ring (`LaneRenderer`).
///
/// Why: the oscillator kernel, which reads and writes frame i of both lines pass after pass, ran a sixth slower
/// on this CPU when `left + i` and `right + i` were (nearly) the same address modulo 4 KB, as two separate
/// allocations of whole pages each can land. Measured on W1's 64 saws through `OscillatorKernel.accumulate`
/// alone (a 4,096-frame tile moving through a 192 KB ring per channel, medians of 7 rounds): 6,783 and 6,757 M
/// voice-samples/s with the right line 0 and 64 bytes from the left one modulo 4 KB, 7,556 at 128, 7,932 at 256,
/// 8,176–8,196 from 512 to 3,072 and 7,445 at 4,032; with one tile used over and over, 8,153–8,217 at any offset.
/// In the renderer (the lane's two 192 KB lines, allocated separately before), W1's one-thread synthesis went
/// 6,497 → 7,183 M voice-samples/s with this layout (medians of 10 alternating runs).
/// (Probably loads of one line waiting on pending stores to the other that match in the address bits below
/// 4 KB: the first voice over a tile stores to lines not yet in the cache.) The mix graph's stereo tiles, laid
/// out the same way, measured no different on W3 either way, so they stay as they are.
/// Where the lines sit never changes a sample.
struct StereoLines {
  /// `count` floats each, 64-byte aligned, uninitialised.
  let left: UnsafeMutablePointer<Float>
  let right: UnsafeMutablePointer<Float>

  /// Floats in half of a 4 KB page.
  static let halfPage = 512

  init(count: Int) {
    // From left to right: `count` rounded up to whole 4 KB pages, plus half a page.
    let pageFloats = 2 * StereoLines.halfPage
    let stride = (max(1, count) + pageFloats - 1) / pageFloats * pageFloats + StereoLines.halfPage
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: (stride + max(1, count)) * MemoryLayout<Float>.stride, alignment: 4096)
    left = raw.bindMemory(to: Float.self, capacity: stride + max(1, count))
    right = left + stride
  }

  /// Frees both lines.
  func deallocate() { UnsafeMutableRawPointer(left).deallocate() }
}
