import PatternLanguage

/// Renders a score chunk by chunk: lanes (two per track) render in parallel (`LanePipeline`), then are summed in a fixed
/// order (lane 0 + lane 1 per track, tracks in source order), so neither the thread count nor the block
/// size changes a bit. Memory is bounded by the chunk size, not the song length.
package final class RenderSession {
  /// Ring slots per lane: how many chunks background lanes may run ahead of the mixer.
  static let pipelineSlots = 3
  package let settings: EngineSettings
  /// Frames the whole render produces (ends when the last voice and every effect tail have decayed).
  package let totalFrames: Int64
  /// Frames a finished render has: `totalFrames`, or with `settings.preMaster` what a `MasterChain` makes of
  /// this output (it is `totalFrames` less the deferred chain's latency).
  package let finishedFrames: Int64
  /// With `settings.preMaster`: the frames a finished render has without the true-peak limiter (its tail
  /// left out); otherwise `finishedFrames`.
  package let finishedFramesWithoutLimiter: Int64
  /// The mix graph (effects, buses, width), nil for a song without any: then tracks are summed directly, as
  /// every render before effects was (same bits).
  private let graph: MixGraph?
  /// Frames the graph's latency shifts the output by: the first `latency` mixed frames are dropped.
  private let latency: Int
  /// Frames the lanes render: `totalFrames + latency`.
  private let internalFrames: Int64
  /// Voices in the score (all tracks).
  package let voiceCount: Int
  /// Sum over voices of their length in frames: the work done, for "voice-samples per second".
  package let voiceFrames: Int64
  /// Frames per chunk handed to the writer.
  package let chunkFrames: Int
  private let lanes: [LaneRenderer]
  private let pipeline: LanePipeline
  /// `laneOutputs[slot][lane]`: where each lane's ring slot starts (fixed, so mixing allocates nothing).
  private let laneOutputs: [[LaneOutput]]
  private var chunkIndex = 0
  private let trackGains: [Float]
  private let masterGain: Float
  private var position: Int64 = 0
  private var mixLeft: [Float]
  private var mixRight: [Float]
  private var interleaved: [Float]
  /// Where the next chunk's output goes instead of `interleaved` (`ChunkSource.output`).
  package var output: UnsafeMutablePointer<Float>?
  /// Largest absolute sample written so far (after the limiter).
  package private(set) var peak: Float = 0
  /// Sum of squares of all samples so far (for RMS).
  package private(set) var sumOfSquares: Double = 0
  /// Wall-clock seconds the caller spent rendering its own lanes and waiting for the workers' — the
  /// synthesis share of the render, for benchmarks only. (With one thread: all synthesis.)
  package private(set) var synthesisSeconds: Double = 0
  /// Wall-clock seconds spent summing lanes and running the mix graph (effects, buses), master stage excluded.
  package var mixSeconds: Double { mixAndMasterTime.seconds - masterTime.seconds }
  /// Wall-clock seconds spent in the master stage (gain, limiter, interleave, peak and RMS).
  package var masterSeconds: Double { masterTime.seconds }
  private var mixAndMasterTime = Duration.zero
  private var masterTime = Duration.zero
  /// Whether `mixSeconds` and `masterSeconds` are measured (clock reads inside the mix, per tile): only for
  /// a profiled render.
  package var measuresMix = false
  private let clock = ContinuousClock()

  /// Per track (then per bus), its pre-master signal of the last chunk, interleaved (only with
  /// `settings.tapTracks`).
  private let trackTaps: [UnsafeMutableBufferPointer<Float>]
  /// Stems a render has: one per track, and one per bus when the song has a mix graph.
  package let tapCount: Int
  private var lastChunkFrames = 0
  /// Where the last chunk's output starts in `interleaved` and the taps (frames skipped for latency).
  private var lastChunkSkip = 0

  /// Schedules `score` and allocates everything the render needs.
  ///
  /// - Returns: nil with diagnostics when a limit is exceeded or an instrument has no patch.
  package static func make(
    score: Score, patches: PatchBank = Patch.builtIn, settings: EngineSettings
  ) -> (RenderSession?, [Diagnostic]) {
    // The kits' synthesised hits render beside the schedule, into the cache `DrumTables` reads.
    DrumTableWarmer.start(score, patches: patches, settings: settings)
    let (schedule, diagnostics) = Scheduler.schedule(score, patches: patches, settings: settings)
    guard let schedule, !diagnostics.hasErrors else { return (nil, diagnostics) }
    return (RenderSession(schedule: schedule, score: score, settings: settings), diagnostics)
  }

  private init(schedule: Schedule, score: Score, settings: EngineSettings) {
    self.settings = settings
    let block = max(1, min(65536, settings.blockSize))
    chunkFrames = RenderSession.maxChunkFrames(settings)
    var score = score
    if let ceiling = settings.masterCeiling, !settings.preMaster {
      score.master.append(MasterChain.limiter(ceiling: ceiling))
    }
    // Pre-master: always a graph (the same sums with or without effects), its master chain deferred.
    graph =
      score.hasMix || settings.preMaster
      ? MixGraph(
        score: score, sampleRate: settings.sampleRate, tile: RenderSession.maxChunkFrames(settings),
        stems: settings.tapTracks, threads: settings.threads,
        deferring: settings.preMaster ? MasterChain.chain(of: score, ceiling: -1) : nil)
      : nil
    latency = graph?.latency ?? 0
    finishedFrames = schedule.totalFrames + (graph?.tailFrames ?? 0)
    finishedFramesWithoutLimiter = schedule.totalFrames + (graph?.tailFramesWithoutLimiter ?? 0)
    totalFrames = finishedFrames + Int64(graph?.deferredLatency ?? 0)
    internalFrames = totalFrames + Int64(latency)
    // Drum hits are rendered once per session (the sounds this song uses), then played back.
    var drumSounds = Set<DrumSound>()
    for voice in schedule.lanes.joined().joined() {
      if case .drum(let d) = voice.kind { drumSounds.insert(d) }
    }
    let drums =
      drumSounds.isEmpty
      ? nil
      : DrumTables(
        sounds: drumSounds, sampleRate: settings.sampleRate, seed: score.seed, threads: settings.threads)
    var lanes: [LaneRenderer] = []
    var laneCosts: [Double] = []
    var count = 0
    var work: Int64 = 0
    for trackLanes in schedule.lanes {
      for voices in trackLanes {
        let voiceFrames = voices.reduce(0) { $0 + ($1.endFrame - $1.startFrame) }
        laneCosts.append(Double(voiceFrames))
        lanes.append(
          LaneRenderer(
            voices: voices, sampleRate: settings.sampleRate, blockSize: block, maxFrames: chunkFrames,
            ringSlots: RenderSession.pipelineSlots, drums: drums))
        count += voices.count
        work += voiceFrames
      }
    }
    self.lanes = lanes
    laneOutputs = (0..<RenderSession.pipelineSlots).map { slot in lanes.map { $0.output(slot: slot) } }
    pipeline = LanePipeline(
      lanes: lanes,
      plan: RenderSession.lanePlan(
        costs: laneCosts, threads: settings.threads, frames: internalFrames, mixesOnCaller: graph == nil),
      slots: RenderSession.pipelineSlots, chunkFrames: chunkFrames, totalFrames: internalFrames)
    voiceCount = count
    voiceFrames = work
    trackGains = score.tracks.map { $0.gainDecibels == 0 ? 1 : Float(DSPMath.gain(decibels: $0.gainDecibels)) }
    masterGain = Float(DSPMath.gain(decibels: settings.masterGainDecibels))
    mixLeft = [Float](repeating: 0, count: chunkFrames)
    mixRight = [Float](repeating: 0, count: chunkFrames)
    interleaved = [Float](repeating: 0, count: chunkFrames * 2)
    tapCount = graph == nil ? score.tracks.count : score.tracks.count + score.buses.count
    trackTaps =
      settings.tapTracks
      ? (0..<tapCount).map { [chunkFrames] _ in
        let tap = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunkFrames * 2)
        tap.initialize(repeating: 0)
        return tap
      } : []
  }

  /// Which thread renders which lane: by each lane's voice-frames, dealt so that the threads finish together.
  /// Without a mix graph the calling thread also sums the lanes and runs the master stage for every frame,
  /// which it carries as a starting load (measured on W2: per frame, summing a lane costs about a quarter of
  /// a voice-frame and the master stage one and a half), so the workers take more of the lanes.
  static func lanePlan(costs: [Double], threads: Int, frames: Int64, mixesOnCaller: Bool) -> [[Int]] {
    let workers = max(1, min(threads, costs.count))
    let callerLoad = mixesOnCaller ? Double(frames) * (0.27 * Double(costs.count) + 1.5) : 0
    return WorkPlan.deal(costs: costs, workers: workers, startingLoads: [callerLoad])
  }

  /// Frames per chunk for these settings (the largest buffer `renderNextChunk` hands out).
  package static func maxChunkFrames(_ settings: EngineSettings) -> Int {
    max(16384, max(1, min(65536, settings.blockSize)))
  }

  /// The largest gain reduction of the true-peak limiter `settings.masterCeiling` adds, dB (nil without one).
  package var limiterReductionDecibels: Double? {
    settings.masterCeiling == nil ? nil : graph?.masterLimiterReduction
  }

  /// Frames rendered so far.
  package var framesRendered: Int64 { position }

  /// Floats the largest chunk takes, interleaved (`ChunkSource.capacity`).
  package var capacity: Int { interleaved.count }

  /// `body` on where the chunk's output goes: `output`, or the session's own buffer.
  private func withOutput<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    if let output { return try body(output) }
    return try interleaved.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
  }

  /// Renders the next chunk and passes it (interleaved stereo floats after the limiter, and the absolute
  /// frame it starts at) to `body`. Returns false when the song is complete.
  package func renderNextChunk(_ body: (UnsafeBufferPointer<Float>, Int64) throws -> Void) rethrows -> Bool {
    while position < totalFrames {
      let c = chunkIndex
      let (start, frames) = pipeline.range(ofChunk: c)
      let t0 = clock.now
      pipeline.prepare(chunk: c)
      let t1 = clock.now
      synthesisSeconds += (t1 - t0).seconds
      let timed = measuresMix
      if graph != nil {
        mixGraph(frames: frames, slot: c % RenderSession.pipelineSlots)
      } else {
        mixDown(frames: frames, slot: c % RenderSession.pipelineSlots)
        if settings.tapTracks { tapTracks(frames: frames, slot: c % RenderSession.pipelineSlots) }
      }
      if timed { mixAndMasterTime += clock.now - t1 }
      pipeline.release(chunk: c)
      chunkIndex += 1
      // The first `latency` mixed frames are the effects' delay, not the song: drop them.
      let skip = Int(max(0, min(Int64(frames), Int64(latency) - start)))
      guard skip < frames else { continue }
      lastChunkFrames = frames - skip
      lastChunkSkip = skip
      position += Int64(frames - skip)
      try withOutput { out in
        try body(
          UnsafeBufferPointer(start: out + 2 * skip, count: 2 * (frames - skip)), start + Int64(skip) - Int64(latency))
      }
      return true
    }
    return false
  }

  /// Track `index`'s signal in the chunk just handed out (interleaved stereo, before the master stage: the
  /// stem that adds up to the mix); valid until the next `renderNextChunk`. Needs `settings.tapTracks`.
  package func trackChunk(_ index: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(rebasing: trackTaps[index][(2 * lastChunkSkip)..<(2 * (lastChunkSkip + lastChunkFrames))])
  }

  /// Each track's lanes summed alone (the same additions, in the same order, as a render of that track solo,
  /// so a stem is bit-identical to one), then interleaved into its tap.
  private func tapTracks(frames: Int, slot: Int) {
    let outputs = laneOutputs[slot]
    mixLeft.withUnsafeMutableBufferPointer { mlb in
      mixRight.withUnsafeMutableBufferPointer { mrb in
        let (ml, mr) = (mlb.baseAddress!, mrb.baseAddress!)
        for track in trackTaps.indices {
          let g = trackGains[track]
          let out = trackTaps[track]
          do {
            var t = 0
            while t < frames {
              let n = min(RenderSession.mixTileFrames, frames - t)
              for lane in (track * lanesPerTrack)..<((track + 1) * lanesPerTrack) {
                outputs[lane].accumulate(
                  from: t, count: n, gain: g, left: ml, right: mr, fresh: lane == track * lanesPerTrack)
              }
              for j in 0..<n {
                out[2 * (t + j)] = ml[j]
                out[2 * (t + j) + 1] = mr[j]
              }
              t += n
            }
          }
        }
      }
    }
  }

  /// The diagnostics a render of `score` would stop at (longest song, notes at once), without rendering or
  /// decoding any sample: what `check` and `/api/parse` report, so they agree with `render`.
  package static func limitDiagnostics(score: Score, patches: PatchBank, settings: EngineSettings) -> [Diagnostic] {
    var settings = settings
    settings.limitsOnly = true
    return Scheduler.schedule(score, patches: patches, settings: settings, buildLanes: false).1
  }

  /// The frames the notes of `score` last (without effect tails) and the render's estimated cost, from a
  /// schedule that checks limits only (no sample decoded). Nil when the score would not render.
  package static func cost(score: Score, patches: PatchBank, settings: EngineSettings) -> RenderCost? {
    var settings = settings
    settings.limitsOnly = true
    let (schedule, diagnostics) = Scheduler.schedule(score, patches: patches, settings: settings)
    guard !diagnostics.hasErrors, let schedule else { return nil }
    return RenderCost(schedule: schedule, score: score)
  }

  /// Releasing the session early (e.g. after a write error) stops its background workers.
  deinit {
    pipeline.stop()
    for tap in trackTaps { tap.deallocate() }
  }

  /// Frames mixed at a time: the mix tile (2 × 4 KB) stays in L1 while every lane is added to it.
  static let mixTileFrames = 1024

  /// With a mix graph: each track's lanes summed into its own tile (unity gain: the fader comes after the
  /// inserts), the graph mixes tracks and buses and runs the master chain, then the master stage as usual.
  private func mixGraph(frames: Int, slot: Int) {
    guard let graph else { return }
    let outputs = laneOutputs[slot]
    let gain: Float = settings.bypassMaster || settings.preMaster ? 1 : masterGain
    // Without a master chain the master gain is the master stage's, as always; with one, it goes before it.
    let chainGain: Float = graph.hasMasterChain ? gain : 1
    let stageGain: Float = graph.hasMasterChain ? 1 : gain
    let taps = settings.tapTracks ? trackTaps : []
    mixLeft.withUnsafeMutableBufferPointer { mlb in
      mixRight.withUnsafeMutableBufferPointer { mrb in
        withOutput { out in
          let ml = mlb.baseAddress!
          let mr = mrb.baseAddress!
          graph.process(
            frames: frames, threads: settings.threads, left: ml, right: mr, gain: chainGain,
            fill: { track, l, r in
              // The first lane writes the tile (no clearing pass first), the others add to it.
              for lane in (track * lanesPerTrack)..<((track + 1) * lanesPerTrack) {
                outputs[lane].accumulate(
                  from: 0, count: frames, gain: 1, left: l, right: r, fresh: lane == track * lanesPerTrack)
              }
            },
            tap: taps.isEmpty
              ? nil
              : { index, l, r in
                let out = taps[index]
                for j in 0..<frames {
                  out[2 * j] = l[j]
                  out[2 * j + 1] = r[j]
                }
              })
          let started = measuresMix ? clock.now : nil
          var peak = self.peak
          var squares: Float = 0
          // Pre-master: the plain sum (a `MasterChain` applies the master stage later).
          Master.stage(
            left: ml, right: mr, gain: stageGain, frames: frames, into: out, peak: &peak,
            sumOfSquares: &squares, limiting: !settings.bypassMaster && !settings.preMaster)
          sumOfSquares += Double(squares)
          self.peak = peak
          if let started { masterTime += clock.now - started }
        }
      }
    }
  }

  /// Tracks summed in source order (each track: lane 0 then lane 1), master gain, limiter, interleave —
  /// one fused pass per tile. Summing a whole 32k-frame chunk lane by lane instead streamed the mix buffer
  /// through memory once per lane (measured: half of a 3,960-note song's main-thread time).
  private func mixDown(frames: Int, slot: Int) {
    let outputs = laneOutputs[slot]
    mixLeft.withUnsafeMutableBufferPointer { mlb in
      mixRight.withUnsafeMutableBufferPointer { mrb in
        withOutput { out in
          let ml = mlb.baseAddress!
          let mr = mrb.baseAddress!
          var peak = self.peak
          var squares: Float = 0
          var t = 0
          while t < frames {
            let n = min(RenderSession.mixTileFrames, frames - t)
            // (Cleared, then added to: a tile in L1 clears in a few dozen cycles, and writing the first lane fresh
            // here measured slower.)
            ml.update(repeating: 0, count: n)
            mr.update(repeating: 0, count: n)
            for (i, lane) in outputs.enumerated() {
              lane.accumulate(from: t, count: n, gain: trackGains[i / lanesPerTrack], left: ml, right: mr)
            }
            // (Two clock reads per 1,024-frame tile, only when profiling.)
            let started = measuresMix ? clock.now : nil
            Master.limitAndInterleave(
              left: ml, right: mr, gain: settings.bypassMaster ? 1 : masterGain, frames: n,
              into: out + 2 * t, peak: &peak, sumOfSquares: &squares, limiting: !settings.bypassMaster)
            if let started { masterTime += clock.now - started }
            t += n
          }
          sumOfSquares += Double(squares)
          self.peak = peak
        }
      }
    }
  }
}

extension Duration {
  /// The duration in seconds, for reports (never for timing audio).
  package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
