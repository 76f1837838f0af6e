import Testing

@testable import PatternEngine

@Suite("A struck voice's eight-frame output step")
struct StruckOutputTests {
  @Test(
    "each frame is (its row summed in order + its thump) · amplitude, bit for bit, for every count 1 … 8, before, across and after the hammer's end, with −0 rows"
  )
  func matchesTheScalarStep() {
    var seed: UInt64 = 7
    func next() -> Float {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int64(bitPattern: seed >> 11) % 2_000_001 - 1_000_000) / 700_001
    }
    for trial in 0..<200 {
      var rows = DSPMath.Columns8(.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
      for f in 0..<8 {
        // Some rows all −0 (their sum is −0, which the step turns into +0), some mixed.
        let row: SIMD8<Float> =
          (trial + f) % 5 == 0
          ? SIMD8(repeating: -0.0) : SIMD8(next(), next(), next(), next(), next(), next(), next(), next())
        DSPMath.set(&rows, row: f, to: row)
      }
      let n = 1 + trial % 8
      let (k0, thumpFrames): (Int64, Int64) = (Int64(trial * 3), 300)
      let amplitude = next()
      var out = [Float](repeating: .nan, count: 8)
      var calls: [Int64] = []
      out.withUnsafeMutableBufferPointer { buffer in
        StruckOutput.write(
          rows, count: n, firstFrame: k0, thumpFrames: thumpFrames, amplitude: amplitude, into: buffer.baseAddress!
        ) { k in
          calls.append(k)
          return Float(k % 7) * 0.01 - 0.03
        }
      }
      let all = [rows.0, rows.1, rows.2, rows.3, rows.4, rows.5, rows.6, rows.7]
      for f in 0..<n {
        let k = k0 + Int64(f)
        let thump: Float = k < thumpFrames ? Float(k % 7) * 0.01 - 0.03 : 0
        let expected = (DSPMath.sumInOrder(all[f]) + thump) * amplitude
        #expect(out[f].bitPattern == expected.bitPattern, "trial \(trial), frame \(f)")
      }
      let untouched = out[n...].allSatisfy { $0.isNaN }
      #expect(untouched, "nothing written past the count")
      #expect(
        calls == (0..<Int64(n)).map { k0 + $0 }.filter { $0 < thumpFrames }, "the thump in order, only before its end")
    }
  }
}
