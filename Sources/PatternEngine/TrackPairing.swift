/// Which tracks the mix graph runs two at a time, and which of their effects then run side by side in vector
/// lanes (`EffectSlot.processPair`).
///
/// Why: an eq's biquads and a compressor's smoothing are chains of dependent operations that leave most of the
/// vector unit idle, so the second of two tracks' eqs stepped in one loop costs less than the first (W3: four
/// tracks with `eq → comp` each). Each track's output stays bit for bit what it is alone. Pairs make fewer, larger items
/// for the mix's threads, so they are kept only when they shorten the estimated time per chunk (the longest
/// worker, items dealt longest first).
struct TrackPairing {
  /// One item of the track stage: one or two tracks, and for two, which insert slots run as pairs.
  struct Group {
    let tracks: [Int]
    let paired: [Bool]
  }

  let groups: [Group]

  /// - Parameters: `inserts`, every track's chain; `others`, the estimated costs of the stage's other items
  ///   (master chain, buses) that share the threads; `threads`, the mix's threads.
  init(inserts: [[EffectSlot]], others: [Double], threads: Int) {
    var used = [Bool](repeating: false, count: inserts.count)
    var pairs: [Group] = []
    for i in inserts.indices where !used[i] {
      used[i] = true
      // The partner with the most slots that pair (the first of equals).
      let candidates = inserts.indices.filter { $0 > i && !used[$0] }
      let scores = candidates.map { TrackPairing.paired(inserts[i], inserts[$0]).count { $0 } }
      let best = scores.indices.max { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 > $1 }
      if let best, scores[best] > 0 {
        let j = candidates[best]
        used[j] = true
        pairs.append(Group(tracks: [i, j], paired: TrackPairing.paired(inserts[i], inserts[j])))
      } else {
        pairs.append(Group(tracks: [i], paired: []))
      }
    }
    let singles = inserts.indices.map { Group(tracks: [$0], paired: []) }
    func cost(_ g: Group) -> Double { TrackPairing.cost(g, inserts) }
    let withPairs = TrackPairing.longestWorker(others + pairs.map(cost), threads: threads)
    let without = TrackPairing.longestWorker(others + singles.map(cost), threads: threads)
    groups = withPairs < without ? pairs : singles
  }

  /// Per slot, whether the two chains' slots run as a pair (none unless the chains are as long).
  static func paired(_ a: [EffectSlot], _ b: [EffectSlot]) -> [Bool] {
    guard a.count == b.count else { return [] }
    return zip(a, b).map { EffectSlot.pairable($0, $1) }
  }

  /// A group's estimated cost (`MixGraph.cost` units): a paired filter chain (2) costs nothing over its
  /// partner, a paired compressor (4) half of one (only its smoothing is shared): 2 less either way.
  static func cost(_ g: Group, _ inserts: [[EffectSlot]]) -> Double {
    g.tracks.reduce(0) { $0 + MixGraph.cost(inserts[$1]) } - 2 * Double(g.paired.count { $0 })
  }

  /// The busiest worker's total when `costs` are dealt longest first to `threads` workers, each item to the
  /// least loaded (`WorkPlan.deal`; what `MeasuredPlan` does, as an estimate; the staged path without a pipeline
  /// deals its items in turn, for which this is a rougher guide).
  static func longestWorker(_ costs: [Double], threads: Int) -> Double {
    WorkPlan.deal(costs: costs, workers: threads).map { $0.reduce(0) { $0 + costs[$1] } }.max()!
  }
}
