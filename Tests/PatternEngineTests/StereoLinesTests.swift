import Testing

@testable import PatternEngine

/// Where a lane's two output lines sit: the kernel's loops ran up to a sixth slower when frame i of the left and
/// the right line were (nearly) the same address modulo 4 KB (`StereoLines`), so each lane's right line starts
/// half a page off its left one, whatever its length.
@Suite("Stereo lines")
struct StereoLinesTests {
  @Test("the right line starts 2 KB past a page boundary relative to the left one, both on 64-byte lines")
  func halfPageApart() {
    for count in [1, 15, 1024, 1025, 4096, 16_384 * 3, 65_536 * 3 + 7] {
      let lines = StereoLines(count: count)
      defer { lines.deallocate() }
      let (l, r) = (Int(bitPattern: lines.left), Int(bitPattern: lines.right))
      #expect((r - l) % 4096 == 2048, "count \(count)")
      #expect(r - l >= count * MemoryLayout<Float>.stride, "count \(count): the lines overlap")
      #expect(l % 64 == 0 && r % 64 == 0, "count \(count)")
      // Every float of both lines is there to write.
      lines.left.initialize(repeating: 1, count: count)
      lines.right.initialize(repeating: 2, count: count)
      #expect(lines.left[count - 1] == 1 && lines.right[0] == 2 && lines.right[count - 1] == 2)
    }
  }

  @Test("a lane's output slots keep the offset: each slot's right samples are half a page off its left ones")
  func laneSlots() {
    let voices = [ScheduledVoice]()
    let lane = LaneRenderer(
      voices: voices, sampleRate: 48_000, blockSize: 8192, maxFrames: 16_384, ringSlots: 3, drums: nil)
    for slot in 0..<3 {
      let out = lane.output(slot: slot)
      let (l, r) = (Int(bitPattern: out.left), Int(bitPattern: out.right))
      #expect((r - l) % 4096 == 2048, "slot \(slot)")
      #expect(l % 64 == 0 && r % 64 == 0, "slot \(slot)")
    }
  }
}
