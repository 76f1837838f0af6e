/// A lane's grain bookkeeping for the chunk being rendered (`LaneOutput`): a grain is cleared before the first
/// voice adds into it, or written fresh by a first voice that covers it whole.
extension LaneRenderer {
  /// Clears the grains that chunk frames `[start, start + count)` fall in, if no voice has written them yet.
  func clear(from start: Int, count: Int) {
    for grain in LaneRenderer.grains(from: start, count: count) where !chunkGrains[grain] {
      chunkGrains[grain] = true
      zero(grain: grain)
    }
  }

  /// Zeroes grain `grain` of the chunk, both channels (the chunk's last grain may be cut short).
  private func zero(grain: Int) {
    let first = grain * LaneOutput.grainFrames
    let n = min(LaneOutput.grainFrames, chunkFrames - first)
    (chunkLeft + first).update(repeating: 0, count: n)
    (chunkRight + first).update(repeating: 0, count: n)
  }

  /// The grains that chunk frames `[start, start + count)` fall in (count ≥ 1).
  static func grains(from start: Int, count: Int) -> Range<Int> {
    (start / LaneOutput.grainFrames)..<((start + count - 1) / LaneOutput.grainFrames + 1)
  }

  /// Whether chunk frames `[start, start + count)` are whole grains (the last one may be cut by the chunk's end)
  /// that no voice has written yet.
  func unwrittenGrains(from start: Int, count: Int) -> Bool {
    let g = LaneOutput.grainFrames
    guard start % g == 0, count % g == 0 || start + count == chunkFrames else { return false }
    return !LaneRenderer.grains(from: start, count: count).contains { chunkGrains[$0] }
  }

  /// Splits a voice's chunk frames `[start, start + count)` into pieces and calls `body(offset from start,
  /// frames, fresh)` for each, in order: a run of grains nothing has written that the voice covers whole is
  /// written fresh (marked, not cleared); elsewhere the grains not yet written are cleared and the voice adds.
  /// Either way each frame gets the bits of adding into a cleared chunk.
  @inline(__always)
  func forEachPiece(from start: Int, count: Int, _ body: (_ at: Int, _ count: Int, _ fresh: Bool) -> Void) {
    let g = LaneOutput.grainFrames
    let end = start + count
    var pieceStart = start
    var pieceFresh = false
    for grain in LaneRenderer.grains(from: start, count: count) {
      let first = grain * g
      let last = min(first + g, chunkFrames)
      let fresh = !chunkGrains[grain] && start <= first && end >= last
      if !fresh && !chunkGrains[grain] { zero(grain: grain) }
      chunkGrains[grain] = true
      let lo = max(first, start)
      if fresh != pieceFresh && lo > pieceStart {
        body(pieceStart - start, lo - pieceStart, pieceFresh)
        pieceStart = lo
      }
      pieceFresh = fresh
    }
    body(pieceStart - start, end - pieceStart, pieceFresh)
  }
}
