extension Compressor {
  /// Whether `processPair` can run these two together (neither keyed: the caller checks): at the same place on
  /// their flush grids, which two tracks' compressors fed the same frames always are.
  static func canPair(_ a: Compressor, _ b: Compressor) -> Bool { a !== b && a.grid == b.grid }

  /// `a.process` on `la`/`ra` and `b.process` on `lb`/`rb` (no key), `count` frames each, with the two
  /// smoothing recursions in the lanes of one vector: each output is bit for bit what it is alone (the same
  /// operations per lane, the same flushes at the same frames). The smoothing is a chain of dependent
  /// operations, so two of them in one vector cost what one does.
  static func processPair(
    _ a: Compressor, _ la: UnsafeMutablePointer<Float>, _ ra: UnsafeMutablePointer<Float>,
    _ b: Compressor, _ lb: UnsafeMutablePointer<Float>, _ rb: UnsafeMutablePointer<Float>, count: Int
  ) {
    var grid = a.grid
    grid.forEachPass(count, Compressor.pass) { start, n in
      a.targets(la + start, ra + start, n)
      b.targets(lb + start, rb + start, n)
      smoothPair(a, b, n)
      a.apply(la + start, ra + start, n)
      b.apply(lb + start, rb + start, n)
    } flush: {
      a.flushReduction()
      b.flushReduction()
    }
    a.grid = grid
    b.grid = grid
  }

  /// `smooth` for both, lane 0 for `a` and lane 1 for `b`: y = target > y ? attack·y + (1 − attack)·target :
  /// release·y + (1 − release)·target, as in `smooth`.
  private static func smoothPair(_ a: Compressor, _ b: Compressor, _ n: Int) {
    var y = SIMD2(a.reduction, b.reduction)
    let (attack, release) = (SIMD2(a.attack, b.attack), SIMD2(a.release, b.release))
    let (wa, wb) = (a.work, b.work)
    let (p, q) = (Compressor.pass, 2 * Compressor.pass)
    for i in 0..<n {
      let target = SIMD2(wa[i], wb[i])
      let rising = attack * y + SIMD2(wa[p + i], wb[p + i])
      let falling = release * y + SIMD2(wa[q + i], wb[q + i])
      y = falling.replacing(with: rising, where: target .> y)
      wa[i] = y[0]
      wb[i] = y[1]
    }
    (a.reduction, b.reduction) = (y[0], y[1])
  }
}
