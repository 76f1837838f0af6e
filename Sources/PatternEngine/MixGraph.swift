import PatternLanguage

/// The mix graph of one render, built once from the score and processed tile by tile in one fixed order:
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

  private struct TrackStrip {
    var inserts: [EffectSlot]
    var gain: Float
    var width: Float
    var sends: [(bus: Int, gain: Float)]
    var alignToA: StereoDelay?
    var alignToB: StereoDelay?
  }

  private struct BusStrip {
    var effects: [EffectSlot]
    var align: StereoDelay?
  }

  private var tracks: [TrackStrip]
  private var buses: [BusStrip]
  private let master: [EffectSlot]
  /// Per track, its tile (left then right, `tile` frames each).
  let trackBuffers: [UnsafeMutablePointer<Float>]
  private let keyBuffers: [Int: UnsafeMutablePointer<Float>]
  private let busBuffers: [UnsafeMutablePointer<Float>]
  private var stemDelays: [StereoDelay]

  init(score: Score, sampleRate: Int, tile: Int, stems: Bool) {
    self.tile = tile
    let secondsPerBeat = 60 / (score.tempo.first?.beatsPerMinute.doubleValue ?? 60)
    func slots(_ specs: [EffectSpec]) -> [EffectSlot] {
      specs.map {
        EffectSlot(
          effect: EffectFactory.make($0, sampleRate: sampleRate, secondsPerBeat: secondsPerBeat), mix: $0.mix,
          keyTrack: $0.key, tileFrames: tile)
      }
    }
    let trackSlots = score.tracks.map { slots($0.inserts) }
    let busSlots = score.buses.map { slots($0.effects) }
    master = slots(score.master)
    hasMasterChain = !master.isEmpty
    func chainLatency(_ s: [EffectSlot]) -> Int { s.reduce(0) { $0 + $1.effect.latency } }
    func chainTail(_ s: [EffectSlot]) -> Int64 { s.reduce(0) { $0 + $1.effect.tailFrames } }
    let a = trackSlots.map(chainLatency).max() ?? 0
    let b = busSlots.map(chainLatency).max() ?? 0
    let m = chainLatency(master)
    latency = a + b + m
    let tail = (trackSlots.map(chainTail).max() ?? 0) + (busSlots.map(chainTail).max() ?? 0) + chainTail(master)
    tailFrames = min(tail, Int64(sampleRate) * 60)
    tracks = zip(score.tracks, trackSlots).map { track, inserts in
      let own = chainLatency(inserts)
      return TrackStrip(
        inserts: inserts, gain: Float(DSPMath.gain(decibels: track.gainDecibels)), width: Float(track.width),
        sends: track.sends.map { ($0.bus, Float(DSPMath.gain(decibels: $0.gainDecibels))) },
        alignToA: a > own ? StereoDelay(frames: a - own) : nil, alignToB: b > 0 ? StereoDelay(frames: b) : nil)
    }
    buses = busSlots.map { effects in
      let own = chainLatency(effects)
      return BusStrip(effects: effects, align: b > own ? StereoDelay(frames: b - own) : nil)
    }
    func buffer() -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: 2 * tile)
      p.initialize(repeating: 0, count: 2 * tile)
      return p
    }
    trackBuffers = score.tracks.map { _ in buffer() }
    let keys = Set(trackSlots.joined().compactMap(\.keyTrack) + busSlots.joined().compactMap(\.keyTrack)
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
    return -20 * log10Approx(Double(max(limiter.smallestGain, 1e-10)))
  }

  deinit {
    for p in trackBuffers { p.deallocate() }
    for p in keyBuffers.values { p.deallocate() }
    for p in busBuffers { p.deallocate() }
  }

  private func key(_ slot: EffectSlot) -> StereoSignal? {
    guard let k = slot.keyTrack, let p = keyBuffers[k] else { return nil }
    return StereoSignal(left: p, right: p + tile)
  }

  /// Mixes one tile: `trackBuffers` hold each track's notes (filled by the caller); the result (before the
  /// master gain and soft limiter) goes to `left`/`right`. `gain` is applied before the master chain.
  /// `tap(index, left, right)` receives each track's (0 ..< tracks) and bus's (tracks ..< tracks + buses)
  /// pre-master signal as it is added to the mix.
  func process(
    frames n: Int, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, gain: Float,
    tap: ((Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void)?
  ) {
    left.update(repeating: 0, count: n)
    right.update(repeating: 0, count: n)
    for (t, buffer) in keyBuffers {
      buffer.update(from: trackBuffers[t], count: n)
      (buffer + tile).update(from: trackBuffers[t] + tile, count: n)
    }
    for b in buses.indices {
      busBuffers[b].update(repeating: 0, count: n)
      (busBuffers[b] + tile).update(repeating: 0, count: n)
    }
    for t in tracks.indices {
      let l = trackBuffers[t]
      let r = l + tile
      for slot in tracks[t].inserts { slot.process(left: l, right: r, count: n, key: key(slot)) }
      let g = tracks[t].gain
      let w = tracks[t].width
      if w != 1 {
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
      for send in tracks[t].sends {
        Mixer.accumulate(l, gain: send.gain, into: busBuffers[send.bus], count: n)
        Mixer.accumulate(r, gain: send.gain, into: busBuffers[send.bus] + tile, count: n)
      }
      tracks[t].alignToB?.process(left: l, right: r, count: n)
      Mixer.accumulate(l, gain: 1, into: left, count: n)
      Mixer.accumulate(r, gain: 1, into: right, count: n)
      if let tap { stem(t, l, r, n, tap) }
    }
    for b in buses.indices {
      let l = busBuffers[b]
      let r = l + tile
      for slot in buses[b].effects { slot.process(left: l, right: r, count: n, key: key(slot)) }
      buses[b].align?.process(left: l, right: r, count: n)
      Mixer.accumulate(l, gain: 1, into: left, count: n)
      Mixer.accumulate(r, gain: 1, into: right, count: n)
      if let tap { stem(tracks.count + b, l, r, n, tap) }
    }
    guard !master.isEmpty else { return }
    if gain != 1 {
      for i in 0..<n {
        left[i] *= gain
        right[i] *= gain
      }
    }
    for slot in master { slot.process(left: left, right: right, count: n, key: key(slot)) }
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
