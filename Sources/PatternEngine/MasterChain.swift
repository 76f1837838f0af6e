import PatternLanguage

/// Finishes a song from its pre-master sum (a render with `EngineSettings.preMaster`, e.g. an album unit
/// rendered on another machine): the master gain, the song's own master chain, an optional true-peak limiter
/// and the master stage's soft limiter — the same operations, in the same order, as a full render runs after
/// its mix. Any gain and limiter can be applied to one pre-master signal, so an album's gain can be chosen
/// after every track is rendered, without rendering a note again.
///
/// Input frame i is song frame i. The chain's latency is compensated: its first `latency` output frames are
/// dropped, so a note at frame f is still heard at frame f. Frames past the input's end are silence.
package final class MasterChain: ChunkSource {
  package let totalFrames: Int64
  package private(set) var framesRendered: Int64 = 0
  package private(set) var peak: Float = 0
  package private(set) var sumOfSquares: Double = 0
  /// Frames the chain delays its input by (the sum of its effects' latencies).
  package let latency: Int
  private let slots: [EffectSlot]
  private let input: UnsafeBufferPointer<Float>
  private let chainGain: Float
  private let stageGain: Float
  private let limiting: Bool
  private let tile: Int
  private var position: Int64 = 0
  private var left: [Float]
  private var right: [Float]
  private var interleaved: [Float]
  /// Where the next chunk's output goes instead of `interleaved` (`ChunkSource.output`).
  package var output: UnsafeMutablePointer<Float>?
  /// Floats the largest chunk takes, interleaved (`ChunkSource.capacity`).
  package var capacity: Int { interleaved.count }

  /// The true-peak limiter a ceiling adds at the end of the master chain (`render --loudness`, albums).
  package static func limiter(ceiling: Double) -> EffectSpec {
    EffectSpec(kind: .limit, values: [ceiling, 0.1], mix: 1, location: SourceLocation(offset: 0, line: 1, column: 1))
  }

  /// The master chain a render of `score` runs: the song's own, then a limiter at `ceiling` if there is one.
  package static func chain(of score: Score, ceiling: Double?) -> [EffectSpec] {
    score.master + (ceiling.map { [limiter(ceiling: $0)] } ?? [])
  }

  /// Whether a pre-master sum is all the chain needs: false when a master effect is keyed to a track
  /// (`comp(key=…)` on the master), whose raw notes the sum no longer holds.
  package static func canFinish(_ score: Score) -> Bool { !score.master.contains { $0.key != nil } }

  /// - Parameters:
  ///   - input: the pre-master sum, interleaved stereo, from song frame 0 (it may be longer or shorter than
  ///     needed; what is missing is silence). Must stay valid while the chain runs.
  ///   - frames: frames to produce (`RenderSession.finishedFrames` of the pre-master render).
  ///   - gainDecibels: the master gain; `ceiling`: a true-peak limiter's ceiling, dBTP (nil: none).
  package init(
    score: Score, input: UnsafeBufferPointer<Float>, frames: Int64, sampleRate: Int, gainDecibels: Double,
    ceiling: Double?, bypassMaster: Bool = false, tile: Int = 16_384
  ) {
    precondition(MasterChain.canFinish(score), "a keyed master chain needs the full render")
    self.input = input
    self.tile = tile
    totalFrames = frames
    slots = EffectSlot.chain(
      MasterChain.chain(of: score, ceiling: ceiling), score: score, sampleRate: sampleRate, tile: tile)
    // Each effect's automation is read at the song frame its input holds: later effects lag by the earlier ones.
    var at = 0
    for slot in slots {
      slot.offset = at
      at += slot.effect.latency
    }
    latency = at
    let gain: Float = bypassMaster ? 1 : Float(DSPMath.gain(decibels: gainDecibels))
    // As in a full render: with a master chain the gain goes before it, else it is the master stage's.
    chainGain = slots.isEmpty ? 1 : gain
    stageGain = slots.isEmpty ? gain : 1
    limiting = !bypassMaster
    left = [Float](repeating: 0, count: tile)
    right = [Float](repeating: 0, count: tile)
    interleaved = [Float](repeating: 0, count: 2 * tile)
  }

  /// `body` on where the chunk's output goes: `output`, or the chain's own buffer.
  private func withOutput<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    if let output { return try body(output) }
    return try interleaved.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
  }

  /// The largest gain reduction of the chain's last effect, if it is a true-peak limiter, dB.
  package var limiterReductionDecibels: Double? {
    guard let limiter = slots.last?.effect as? TruePeakLimiter else { return nil }
    return -20 * DSPMath.log10(Double(max(limiter.smallestGain, 1e-10)))
  }

  package func renderNextChunk(_ body: (UnsafeBufferPointer<Float>, Int64) throws -> Void) rethrows -> Bool {
    let end = totalFrames + Int64(latency)
    while position < end {
      let n = Int(min(Int64(tile), end - position))
      let start = position
      let available = max(0, min(Int64(n), Int64(input.count / 2) - start))
      left.withUnsafeMutableBufferPointer { l in
        right.withUnsafeMutableBufferPointer { r in
          withOutput { out in
            let (lp, rp) = (l.baseAddress!, r.baseAddress!)
            let base = Int(start) * 2
            for j in 0..<Int(available) {
              lp[j] = input[base + 2 * j]
              rp[j] = input[base + 2 * j + 1]
            }
            for j in Int(available)..<n {
              lp[j] = 0
              rp[j] = 0
            }
            if chainGain != 1 {
              for j in 0..<n {
                lp[j] *= chainGain
                rp[j] *= chainGain
              }
            }
            for slot in slots { slot.process(left: lp, right: rp, count: n, key: nil) }
            var peak = self.peak
            var squares: Float = 0
            Master.stage(
              left: lp, right: rp, gain: stageGain, frames: n, into: out, peak: &peak,
              sumOfSquares: &squares, limiting: limiting)
            self.peak = peak
            sumOfSquares += Double(squares)
          }
        }
      }
      position += Int64(n)
      // The chain's first `latency` frames are its delay, not the song.
      let skip = Int(max(0, min(Int64(n), Int64(latency) - start)))
      guard skip < n else { continue }
      framesRendered += Int64(n - skip)
      try withOutput { out in
        try body(
          UnsafeBufferPointer(start: out + 2 * skip, count: 2 * (n - skip)), start + Int64(skip) - Int64(latency))
      }
      return true
    }
    return false
  }
}
