import Dispatch
import PatternLanguage

/// The mix graph of one render, built once from the score and processed chunk by chunk in one fixed order:
/// tracks in source order (inserts → fader → width → sends → sum), then buses in declaration order, then the
/// master chain. Every buffer is allocated here; `process` allocates nothing.
///
/// Latency is compensated: with A the largest insert-chain latency of any track, B of any bus and M of the
/// master chain, every track is delayed to A (sends are taken there), then by B more; every bus to B; and the
/// render drops the first A + B + M frames, so a note at frame f is heard at frame f. Stems (pre-master) are
/// delayed by M so they line up with the file.
///
/// A compressor's `key=` listens to the key track's own signal before its effects and fader (the sum of its
/// notes), which every track has at the start of the tile: there is no order between tracks, so no cycle.
final class MixGraph {
  let tile: Int
  let latency: Int
  /// Frames the effects ring on after the last voice: the longest track chain, plus the longest bus chain,
  /// plus the master chain (a bound, not a measurement; at most 60 s).
  let tailFrames: Int64
  let hasMasterChain: Bool
  /// With a deferred master chain (`deferring`): its latency, frames. The graph's output is then the
  /// pre-master sum, rendered this much longer so a `MasterChain` run later has every frame it needs.
  let deferredLatency: Int
  /// With a deferred master chain: `tailFrames` without that chain's last effect (the limiter a finished render
  /// may leave out); otherwise `tailFrames`.
  let tailFramesWithoutLimiter: Int64

  /// A track's state. A class, so the threads of a stage, each working on its own strips, never mutate the
  /// shared `tracks` array (an array element mutated from two threads at once could copy the whole array).
  private final class TrackStrip {
    let inserts: [EffectSlot]
    let gain: Float
    let width: Float
    let sends: [(bus: Int, gain: Float, curve: AutomationCurve?)]
    var alignToA: StereoDelay?
    var alignToB: StereoDelay?
    /// Moving fader (linear gain), width, and pan as the two sides' balance gains (1 at the centre).
    var moving: StripAutomation?

    init(
      inserts: [EffectSlot], gain: Float, width: Float, sends: [(bus: Int, gain: Float, curve: AutomationCurve?)],
      alignToA: StereoDelay?, alignToB: StereoDelay?
    ) {
      self.inserts = inserts
      self.gain = gain
      self.width = width
      self.sends = sends
      self.alignToA = alignToA
      self.alignToB = alignToB
    }
  }

  /// A bus's state (a class for the same reason).
  private final class BusStrip {
    let effects: [EffectSlot]
    var align: StereoDelay?
    /// Frames mixed so far (input frame i is song frame position + i − A), and per-frame send gains.
    var position: Int64 = 0
    let sendGains: UnsafeMutablePointer<Float>?

    init(effects: [EffectSlot], align: StereoDelay?, tile: Int, movingSends: Bool) {
      self.effects = effects
      self.align = align
      sendGains = movingSends ? .zeroed(tile) : nil
    }

    deinit { sendGains?.deallocate() }
  }

  /// Frames before the buses' input lines up with the song: the largest track-chain latency.
  private let trackLatency: Int

  // Read-only after init: a stage's threads each reach their own strips through them.
  private let tracks: [TrackStrip]
  /// The track stage's items: one track, or two whose effects run side by side (`TrackPairing`).
  private let trackGroups: [TrackPairing.Group]
  private let buses: [BusStrip]
  private let master: [EffectSlot]
  /// Per track, its tile (left then right, `tile` frames each).
  private var trackBuffers: [UnsafeMutablePointer<Float>]
  private let keyBuffers: [Int: UnsafeMutablePointer<Float>]
  private let busBuffers: [UnsafeMutablePointer<Float>]
  private var stemDelays: [StereoDelay]

  /// Whether the stages run as a pipeline over chunks (two or more threads, no stems, no key on a bus or the
  /// master): each call runs chunk c's tracks, chunk c−1's buses and chunk c−2's master chain side by side —
  /// one barrier per chunk, and the work of all three stages shared by the threads. The output is the same
  /// signal 2 × `tile` frames later, which `latency` includes — so the file is bit-identical either way.
  let pipelined: Bool
  /// Pipelined: chunk c−1's track signals (after their inserts), and how many frames it had (0: none yet).
  private var previousBuffers: [UnsafeMutablePointer<Float>]
  /// Pipelined: runs the items (0 the master chain, then the buses, then the tracks), longest first.
  private var plan: MeasuredPlan?
  /// Pipelined: whether a track's item also fills it (one barrier per chunk instead of two), which needs no
  /// track insert keyed to another track's notes (those must all be copied before any track is processed).
  private var fillsInItems = false
  private var previousFrames = 0
  /// The pre-master sum of chunk c−2 (pipelined), its length, and whether there is one yet.
  private let pendingLeft: UnsafeMutablePointer<Float>
  private let pendingRight: UnsafeMutablePointer<Float>
  private var pendingFrames = 0
  private var primed = false

  /// `deferring`: the master chain a `MasterChain` will run later over this graph's output (the song's own
  /// chain, plus any limiter), which the graph leaves out: its output is then the pre-master sum, and only
  /// that chain's tail and latency are counted.
  init(score: Score, sampleRate: Int, tile: Int, stems: Bool, threads: Int = 1, deferring: [EffectSpec]? = nil) {
    self.tile = tile
    let tempo = TempoMap(score.tempo, sampleRate: sampleRate)
    func slots(_ specs: [EffectSpec]) -> [EffectSlot] {
      EffectSlot.chain(specs, score: score, sampleRate: sampleRate, tile: tile, tempo: tempo)
    }
    let trackSlots = score.tracks.map { slots($0.inserts) }
    let busSlots = score.buses.map { slots($0.effects) }
    let deferred = deferring.map(slots)
    master = deferred == nil ? slots(score.master) : []
    hasMasterChain = !master.isEmpty
    func chainLatency(_ s: [EffectSlot]) -> Int { s.reduce(0) { $0 + $1.effect.latency } }
    func chainTail(_ s: [EffectSlot]) -> Int64 { s.reduce(0) { $0 + $1.tail } }
    let a = trackSlots.map(chainLatency).max() ?? 0
    let b = busSlots.map(chainLatency).max() ?? 0
    let m = chainLatency(master)
    deferredLatency = deferred.map(chainLatency) ?? 0
    // A keyed effect's key is a track's raw notes (latency 0); its own input arrives later by the latency of
    // the effects before it, plus A on a bus and A + B in the master chain.
    // Each slot's offset from the song (for its automation) is the same sum.
    func alignKeys(_ chain: [EffectSlot], from start: Int) {
      var at = start
      for slot in chain {
        slot.delayKey(frames: at)
        slot.offset = at
        at += slot.effect.latency
      }
    }
    trackSlots.forEach { alignKeys($0, from: 0) }
    busSlots.forEach { alignKeys($0, from: a) }
    alignKeys(master, from: a + b)
    // (A keyed bus or master compressor would hear the wrong chunk's key: not pipelined.)
    pipelined =
      threads >= 2 && !stems && !(master + busSlots.joined()).contains { $0.keyTrack != nil }
    latency = a + b + m + (pipelined ? 2 * tile : 0)
    pendingLeft = .allocate(capacity: pipelined ? tile : 1)
    pendingLeft.initialize(repeating: 0, count: pipelined ? tile : 1)
    pendingRight = .allocate(capacity: pipelined ? tile : 1)
    pendingRight.initialize(repeating: 0, count: pipelined ? tile : 1)
    let tail =
      (trackSlots.map(chainTail).max() ?? 0) + (busSlots.map(chainTail).max() ?? 0) + chainTail(deferred ?? master)
    tailFrames = min(tail, Int64(sampleRate) * 60)
    let limiterTail = deferred?.last.map(\.tail) ?? 0
    tailFramesWithoutLimiter = min(tail - limiterTail, Int64(sampleRate) * 60)
    trackLatency = a
    let decibels = { (x: Double) in DSPMath.gain(decibels: x) }
    tracks = zip(score.tracks, trackSlots).map { track, inserts in
      let own = chainLatency(inserts)
      let strip = TrackStrip(
        inserts: inserts, gain: Float(DSPMath.gain(decibels: track.gainDecibels)), width: Float(track.width),
        sends: track.sends.map { send in
          (
            send.bus, Float(DSPMath.gain(decibels: send.gainDecibels)),
            send.automation.map { AutomationCurve($0, tempo: tempo, transform: decibels) }
          )
        },
        alignToA: a > own ? StereoDelay(frames: a - own) : nil, alignToB: b > 0 ? StereoDelay(frames: b) : nil)
      strip.moving = StripAutomation(track, tempo: tempo, tile: tile, latency: own)
      return strip
    }
    buses = busSlots.enumerated().map { index, effects in
      let own = chainLatency(effects)
      let moving = score.tracks.contains { $0.sends.contains { $0.bus == index && $0.automation != nil } }
      return BusStrip(
        effects: effects, align: b > own ? StereoDelay(frames: b - own) : nil, tile: tile, movingSends: moving)
    }
    func buffer() -> UnsafeMutablePointer<Float> { .zeroed(2 * tile) }
    trackBuffers = score.tracks.map { _ in buffer() }
    previousBuffers = pipelined ? score.tracks.map { _ in buffer() } : []
    let others = [MixGraph.cost(master)] + busSlots.map(MixGraph.cost)
    trackGroups = TrackPairing(inserts: trackSlots, others: pipelined ? others : [], threads: threads).groups
    if pipelined {
      fillsInItems = !trackSlots.joined().contains { $0.keyTrack != nil }
      plan = MeasuredPlan(estimates: others + trackGroups.map { TrackPairing.cost($0, trackSlots) })
    }
    let keys = Set(
      trackSlots.joined().compactMap(\.keyTrack) + busSlots.joined().compactMap(\.keyTrack)
        + master.compactMap(\.keyTrack))
    keyBuffers = Dictionary(uniqueKeysWithValues: keys.map { ($0, buffer()) })
    busBuffers = score.buses.map { _ in buffer() }
    stemDelays =
      stems && m > 0 ? (0..<(score.tracks.count + score.buses.count)).map { _ in StereoDelay(frames: m) } : []
  }

  /// How far the master chain's last limiter (the one `EngineSettings.masterCeiling` adds) has turned the
  /// signal down so far, dB ≥ 0; nil without one.
  var masterLimiterReduction: Double? {
    guard let limiter = master.last?.effect as? TruePeakLimiter else { return nil }
    return -20 * DSPMath.log10(Double(max(limiter.smallestGain, 1e-10)))
  }

  deinit {
    pendingLeft.deallocate()
    pendingRight.deallocate()
    for p in trackBuffers + previousBuffers { p.deallocate() }
    for p in keyBuffers.values { p.deallocate() }
    for p in busBuffers { p.deallocate() }
  }

  private func key(_ slot: EffectSlot) -> StereoSignal? {
    guard let k = slot.keyTrack, let p = keyBuffers[k] else { return nil }
    return StereoSignal(left: p, right: p + tile)
  }

  /// Mixes one chunk of `n` frames (≤ `tile`, the capacity) in stages; within a stage the items (tracks, then
  /// buses) are independent, so they run on up to `threads` threads, each item's frames in order; sums are
  /// taken afterwards in source order. So the output is the same for any thread count.
  ///
  /// 1. `fill(track, left, right)` writes each track's notes into its buffer; key tracks are copied.
  /// 2. Each track: inserts (keys read from the copies) → fader → width → aligned to A.
  /// 3. Each bus: Σ sends in track order → its chain → aligned to B.
  /// 4. Σ tracks (each delayed by B) and buses in order into `left`/`right`, stems to `tap`; then `gain` and
  ///    the master chain.
  func process(
    frames n: Int, threads: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, gain: Float,
    fill: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
    tap: ((Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void)?
  ) {
    if pipelined {
      processPipelined(frames: n, threads: threads, left: left, right: right, gain: gain, fill: fill)
      return
    }
    ParallelItems.forEach(tracks.count, threads: threads) { t in fillTrack(t, n, fill) }
    ParallelItems.forEach(trackGroups.count, threads: threads) { g in processGroup(g, n, fill, filling: false) }
    ParallelItems.forEach(buses.count, threads: threads) { b in processBus(b, n, sources: trackBuffers) }
    sum(n, tracks: trackBuffers, into: left, right, gain: master.isEmpty ? 1 : gain, tap: tap)
    if !master.isEmpty { runMaster(left, right, n) }
  }

  /// The pipelined `process`: chunk c's tracks, chunk c−1's buses and chunk c−2's master chain as one set of
  /// independent items (dealt to the workers by `MeasuredPlan`), then chunk c−2 handed out
  /// and chunk c−1 summed for the next call.
  private func processPipelined(
    frames n: Int, threads: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, gain: Float,
    fill: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) {
    let fillsInItems = self.fillsInItems
    if !fillsInItems { ParallelItems.forEach(tracks.count, threads: threads) { t in fillTrack(t, n, fill) } }
    let previous = previousFrames
    let sources = previousBuffers
    plan!.run(threads: threads) { item in
      if item == 0 {
        if primed { runMaster(pendingLeft, pendingRight, pendingFrames) }
      } else if item <= buses.count {
        if previous > 0 { processBus(item - 1, previous, sources: sources) }
      } else {
        processGroup(item - 1 - buses.count, n, fill, filling: fillsInItems)
      }
    }
    // Chunk c−2, mastered (silence before there is one: a chain at rest fed silence gives exactly silence).
    for i in 0..<n {
      let inside = primed && i < pendingFrames
      left[i] = inside ? pendingLeft[i] : 0
      right[i] = inside ? pendingRight[i] : 0
    }
    // Chunk c−1's mix, for the master chain in the next call.
    if previous > 0 {
      sum(previous, tracks: sources, into: pendingLeft, pendingRight, gain: gain, tap: nil)
      pendingFrames = previous
      primed = true
    }
    swap(&trackBuffers, &previousBuffers)
    previousFrames = n
  }

  /// Σ tracks (each delayed by B) then buses, in source order, into `left`/`right` (overwritten), each handed
  /// to `tap` as a stem; then × `gain` (the master gain ahead of the master chain).
  private func sum(
    _ n: Int, tracks sources: [UnsafeMutablePointer<Float>], into left: UnsafeMutablePointer<Float>,
    _ right: UnsafeMutablePointer<Float>, gain: Float,
    tap: ((Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void)?
  ) {
    // The first source writes the sum (no clearing pass first), the others add to it.
    if tracks.isEmpty && buses.isEmpty {
      left.update(repeating: 0, count: n)
      right.update(repeating: 0, count: n)
    }
    for t in tracks.indices {
      let l = sources[t]
      tracks[t].alignToB?.process(left: l, right: l + tile, count: n)
      Mixer.accumulate(l, gain: 1, into: left, count: n, fresh: t == 0)
      Mixer.accumulate(l + tile, gain: 1, into: right, count: n, fresh: t == 0)
      if let tap { stem(t, l, l + tile, n, tap) }
    }
    for b in buses.indices {
      let l = busBuffers[b]
      let fresh = tracks.isEmpty && b == 0
      Mixer.accumulate(l, gain: 1, into: left, count: n, fresh: fresh)
      Mixer.accumulate(l + tile, gain: 1, into: right, count: n, fresh: fresh)
      if let tap { stem(tracks.count + b, l, l + tile, n, tap) }
    }
    if gain != 1 {
      for i in 0..<n {
        left[i] *= gain
        right[i] *= gain
      }
    }
  }

  private func runMaster(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, _ n: Int) {
    for slot in master { slot.process(left: left, right: right, count: n, key: key(slot)) }
  }

  /// Stage 1 for one track: its notes, and a copy if it keys a compressor.
  private func fillTrack(
    _ t: Int, _ n: Int, _ fill: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) {
    let l = trackBuffers[t]
    fill(t, l, l + tile)
    if let key = keyBuffers[t] {
      key.update(from: l, count: n)
      (key + tile).update(from: l + tile, count: n)
    }
  }

  /// Stage 2 for one item: its tracks' notes (`filling`: pipelined), their inserts — a pair's paired slots side
  /// by side, the others one after the other — and each one's strip. Touches only its tracks' buffers, strips
  /// and effects.
  private func processGroup(
    _ g: Int, _ n: Int, _ fill: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
    filling: Bool
  ) {
    let group = trackGroups[g]
    if filling { for t in group.tracks { fillTrack(t, n, fill) } }
    if group.tracks.count == 2 {
      let (t, u) = (group.tracks[0], group.tracks[1])
      let (a, b) = (trackBuffers[t], trackBuffers[u])
      for (s, paired) in group.paired.enumerated() {
        let (x, y) = (tracks[t].inserts[s], tracks[u].inserts[s])
        if paired {
          EffectSlot.processPair(x, a, a + tile, y, b, b + tile, count: n)
        } else {
          x.process(left: a, right: a + tile, count: n, key: key(x))
          y.process(left: b, right: b + tile, count: n, key: key(y))
        }
      }
    } else {
      let l = trackBuffers[group.tracks[0]]
      for slot in tracks[group.tracks[0]].inserts { slot.process(left: l, right: l + tile, count: n, key: key(slot)) }
    }
    for t in group.tracks { finishTrack(t, n) }
  }

  /// A track's strip after its inserts: fader, width, alignment to A.
  private func finishTrack(_ t: Int, _ n: Int) {
    let l = trackBuffers[t]
    let r = l + tile
    let g = tracks[t].gain
    let w = tracks[t].width
    if let moving = tracks[t].moving {
      moving.apply(left: l, right: r, count: n, gain: g, width: w)
    } else if w != 1 {
      for i in 0..<n {
        let mid = (l[i] + r[i]) * 0.5 * g
        let side = (l[i] - r[i]) * 0.5 * g * w
        l[i] = mid + side
        r[i] = mid - side
      }
    } else if g != 1 {
      for i in 0..<n {
        l[i] *= g
        r[i] *= g
      }
    }
    tracks[t].alignToA?.process(left: l, right: r, count: n)
  }

  /// Stage 3 for one bus: its input is the sends of every track (`sources`: their signals), summed in track
  /// order.
  private func processBus(_ b: Int, _ n: Int, sources: [UnsafeMutablePointer<Float>]) {
    let l = busBuffers[b]
    let r = l + tile
    let song = buses[b].position - Int64(trackLatency)
    buses[b].position += Int64(n)
    // The first constant send writes the bus's tile (no clearing pass first); a moving one adds to a cleared one.
    var written = false
    for t in tracks.indices {
      for send in tracks[t].sends where send.bus == b {
        defer { written = true }
        if let curve = send.curve, let gains = buses[b].sendGains {
          if !written {
            l.update(repeating: 0, count: n)
            r.update(repeating: 0, count: n)
          }
          // A moving send: its gain per frame, at the song frames the aligned track signal holds.
          curve.fill(gains, from: song, count: n)
          let sl = sources[t]
          let sr = sources[t] + tile
          for i in 0..<n {
            l[i] += sl[i] * gains[i]
            r[i] += sr[i] * gains[i]
          }
          continue
        }
        Mixer.accumulate(sources[t], gain: send.gain, into: l, count: n, fresh: !written)
        Mixer.accumulate(sources[t] + tile, gain: send.gain, into: r, count: n, fresh: !written)
      }
    }
    if !written {
      l.update(repeating: 0, count: n)
      r.update(repeating: 0, count: n)
    }
    for slot in buses[b].effects { slot.process(left: l, right: r, count: n, key: key(slot)) }
    buses[b].align?.process(left: l, right: r, count: n)
  }

  /// Hands a stem's tile to `tap`, delayed by the master chain's latency (in place: the mix already has it).
  private func stem(
    _ index: Int, _ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, _ n: Int,
    _ tap: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
  ) {
    if !stemDelays.isEmpty { stemDelays[index].process(left: l, right: r, count: n) }
    tap(index, l, r)
  }
}
