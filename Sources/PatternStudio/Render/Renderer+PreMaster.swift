import PatternEngine
import PatternLanguage

extension Renderer {
  /// Renders a song's pre-master sum (the mix before the master gain, the song's master chain and any
  /// limiter) into `sinks` as floats — an album unit, which `finish` turns into the file with whatever gain
  /// and limiter the album needs, on this machine or another. `settings.format` should be 32-bit float (the
  /// sum is kept exactly); master gain and ceiling are ignored.
  ///
  /// - Returns: the summary (its `frames` are the pre-master frames) and the frames the finished file will
  ///   have (`finish`'s `frames`) without and with a true-peak limiter (whose tail it adds).
  public func renderPreMaster(
    _ compiled: CompiledPattern, settings: RenderSettings, into sinks: [any RenderSink],
    control: RenderControl = RenderControl()
  ) throws -> (summary: RenderSummary, frames: Int64, limitedFrames: Int64) {
    let started = ContinuousClock.now
    var settings = settings
    settings.engine.preMaster = true
    settings.truePeakCeiling = nil
    let session: RenderSession
    do {
      session = try makeSession(compiled, settings: settings, tapTracks: sinks.contains { $0.wantsTracks })
    } catch {
      sinks.forEach { $0.cancel() }
      throw RenderError.wrapping(error)
    }
    let names = (compiled.score.tracks.map(\.name) + compiled.score.buses.map { "bus \($0.name)" })
      .prefix(session.tapCount).map { $0 }
    let summary = try run(
      session, session: session, settings: settings, trackNames: names, into: sinks, control: control,
      started: started)
    return (summary, session.finishedFramesWithoutLimiter, session.finishedFrames)
  }

  /// Whether `finish` can make `compiled`'s file from its pre-master sum: not when a master effect is keyed
  /// to a track (`comp(key=…)` on the master needs that track's raw notes); such a song is rendered whole.
  public func canFinishFromPreMaster(_ compiled: CompiledPattern) -> Bool { MasterChain.canFinish(compiled.score) }

  /// Finishes a pre-master sum (`renderPreMaster`'s output, interleaved stereo floats) into `sinks`: the
  /// master gain and ceiling of `settings`, the song's master chain and the master stage, then quantised and
  /// written like any render. The same samples, gain and ceiling always give the same bits.
  @discardableResult
  public func finish(
    _ preMaster: UnsafeBufferPointer<Float>, frames: Int64, of compiled: CompiledPattern, settings: RenderSettings,
    into sinks: [any RenderSink], control: RenderControl = RenderControl()
  ) throws -> RenderSummary {
    let chain = MasterChain(
      score: compiled.score, input: preMaster, frames: frames, sampleRate: settings.sampleRate,
      gainDecibels: settings.masterGainDecibels, ceiling: settings.truePeakCeiling,
      bypassMaster: settings.bypassMaster, tile: RenderSession.maxChunkFrames(settings.engine))
    return try run(
      chain, session: nil, settings: settings, trackNames: [], into: sinks, control: control,
      started: ContinuousClock.now)
  }

  /// The frames `compiled`'s notes last at `settings` (no effect tails; no sample decoded): a cost estimate.
  public func scheduledFrames(_ compiled: CompiledPattern, settings: RenderSettings) -> Int64? {
    cost(compiled, settings: settings)?.frames
  }

  /// The frames `compiled`'s notes last and the render's estimated single-core time (no sample decoded).
  package func cost(_ compiled: CompiledPattern, settings: RenderSettings) -> RenderCost? {
    guard compiled.succeeded else { return nil }
    return RenderSession.cost(score: compiled.score, patches: patches, settings: settings.engine)
  }
}
