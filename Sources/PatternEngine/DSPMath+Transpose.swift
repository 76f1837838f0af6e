extension DSPMath {
  /// Eight `SIMD8<Float>` vectors: the columns of an 8 × 8 block of floats (`transpose`).
  typealias Columns8 = (
    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
  )

  /// An 8 × 8 transpose: lane k of the result's vector j is lane j of row k (unpack, shuffle and 128-bit
  /// permute stages).
  @inline(__always)
  static func transpose(
    _ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>, _ r4: SIMD8<Float>,
    _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>
  ) -> Columns8 {
    @inline(__always) func low(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
      SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5])
    }
    @inline(__always) func high(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
      SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7])
    }
    @inline(__always) func pairsLow(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
      SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5])
    }
    @inline(__always) func pairsHigh(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
      SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7])
    }
    let (a0, a1, a2, a3) = (low(r0, r1), high(r0, r1), low(r2, r3), high(r2, r3))
    let (a4, a5, a6, a7) = (low(r4, r5), high(r4, r5), low(r6, r7), high(r6, r7))
    let (b0, b1, b2, b3) = (pairsLow(a0, a2), pairsHigh(a0, a2), pairsLow(a1, a3), pairsHigh(a1, a3))
    let (b4, b5, b6, b7) = (pairsLow(a4, a6), pairsHigh(a4, a6), pairsLow(a5, a7), pairsHigh(a5, a7))
    return (
      SIMD8(lowHalf: b0.lowHalf, highHalf: b4.lowHalf), SIMD8(lowHalf: b1.lowHalf, highHalf: b5.lowHalf),
      SIMD8(lowHalf: b2.lowHalf, highHalf: b6.lowHalf), SIMD8(lowHalf: b3.lowHalf, highHalf: b7.lowHalf),
      SIMD8(lowHalf: b0.highHalf, highHalf: b4.highHalf), SIMD8(lowHalf: b1.highHalf, highHalf: b5.highHalf),
      SIMD8(lowHalf: b2.highHalf, highHalf: b6.highHalf), SIMD8(lowHalf: b3.highHalf, highHalf: b7.highHalf)
    )
  }

  /// Sets row `f` (0 … 7; 7 for anything larger) of `rows` (a switch: a tuple has no index).
  @inline(__always)
  static func set(_ rows: inout Columns8, row f: Int, to row: SIMD8<Float>) {
    switch f {
    case 0: rows.0 = row
    case 1: rows.1 = row
    case 2: rows.2 = row
    case 3: rows.3 = row
    case 4: rows.4 = row
    case 5: rows.5 = row
    case 6: rows.6 = row
    default: rows.7 = row
    }
  }
}
