extension EffectSlot {
  /// Whether these two slots (of two tracks fed the same frames) are of a kind `processPair` runs together
  /// (both plain; both eqs or filters with as many sections, or both compressors) — decided once, when the
  /// graph is built.
  static func pairable(_ a: EffectSlot, _ b: EffectSlot) -> Bool {
    guard a.isPlain, b.isPlain, a !== b else { return false }
    switch (a.effect, b.effect) {
    case (let x as FilterChain, let y as FilterChain): return x.filters.count == y.filters.count
    case (is Compressor, is Compressor): return true
    default: return false
    }
  }

  /// `a.process` on `la`/`ra` and `b.process` on `lb`/`rb` (both `pairable`), `count` frames each, the two
  /// effects' recursions side by side in vector lanes: each output is bit for bit what it is alone.
  static func processPair(
    _ a: EffectSlot, _ la: UnsafeMutablePointer<Float>, _ ra: UnsafeMutablePointer<Float>,
    _ b: EffectSlot, _ lb: UnsafeMutablePointer<Float>, _ rb: UnsafeMutablePointer<Float>, count: Int
  ) {
    switch (a.effect, b.effect) {
    case (let x as FilterChain, let y as FilterChain) where FilterChain.canPair(x, y):
      FilterChain.processPair(x, la, ra, y, lb, rb, count: count)
    case (let x as Compressor, let y as Compressor) where Compressor.canPair(x, y):
      Compressor.processPair(x, la, ra, y, lb, rb, count: count)
    default:
      a.process(left: la, right: ra, count: count, key: nil)
      b.process(left: lb, right: rb, count: count, key: nil)
      return
    }
    a.position += Int64(count)
    b.position += Int64(count)
  }
}
