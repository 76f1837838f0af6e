import PatternAudioIO
import PatternEngine
import PatternLanguage

/// The facade: source text → score → audio, the way the CLI, the server, `verify` and album export use it.
/// Never prints. Start here: `compile`, then `render(_:settings:into:control:)`, the one render loop.
public struct Renderer: Sendable {
  /// The instruments songs may name or import.
  public var catalog: InstrumentCatalog
  /// How each instrument sounds, by identity.
  package var patches: PatchBank
  /// The files each file-backed instrument reads (module file, samples).
  package var instrumentFiles: [InstrumentID: [String]] = [:]
  /// What the readers of imported modules tolerated (SFZ unknown opcodes…), by module name.
  package var moduleWarnings: [String: [String]] = [:]

  /// A renderer of the built-in instruments only.
  public init() {
    self.init(catalog: .builtIn, patches: Patch.builtIn)
  }

  /// A renderer of `catalog`, sounding through `patches` (what `init(instruments:)` loads from files).
  package init(catalog: InstrumentCatalog, patches: PatchBank) {
    self.catalog = catalog
    self.patches = patches
  }

  /// Lexes, parses and resolves.
  public func compile(_ source: SourceFile) -> CompiledPattern {
    compile(PatternCompiler.parse(source))
  }

  /// Resolves a song parsed with `PatternCompiler.parse` (which needs no renderer, so the instruments can be loaded
  /// while it runs, or after it from its imports: `Renderer.compiling`): the same result as `compile(_:)` of its
  /// source.
  public func compile(_ parsed: ParsedPattern) -> CompiledPattern {
    var compiled = PatternCompiler.compile(parsed, catalog: catalog)
    // An imported instrument's reader warnings, at the import that brings it in.
    let noticed = compiled.file.imports.flatMap { decl in
      (moduleWarnings[decl.module.text] ?? []).map { Diagnostic.warning($0, at: decl.module.range) }
    }
    if !noticed.isEmpty { compiled.diagnostics = (compiled.diagnostics + noticed).sortedBySource() }
    return compiled
  }

  /// `compile`, plus what a render with `settings` would refuse (longer than `maxSeconds`, too many notes at
  /// once) as diagnostics: one set of limits for `check`, `parse`, `/api/parse` and `render`.
  public func check(_ source: SourceFile, settings: RenderSettings = RenderSettings()) -> CompiledPattern {
    check(PatternCompiler.parse(source), settings: settings)
  }

  /// `check` of a song parsed with `PatternCompiler.parse`.
  public func check(_ parsed: ParsedPattern, settings: RenderSettings = RenderSettings()) -> CompiledPattern {
    checkLimits(compile(parsed), settings: settings)
  }

  /// What `check` adds to a compiled song: the diagnostics of a render with `settings` (an empty song, limits).
  public func checkLimits(_ compiled: CompiledPattern, settings: RenderSettings = RenderSettings()) -> CompiledPattern {
    var compiled = compiled
    guard compiled.succeeded else { return compiled }
    // A song with no note is valid to edit (an empty page) but renders nothing: a warning here, an error there.
    let found =
      compiled.score.events.isEmpty
      ? [Diagnostic.warning(Self.playsNothing.message, at: Self.playsNothing.range, hint: Self.playsNothing.hint)]
      : RenderSession.limitDiagnostics(score: compiled.score, patches: patches, settings: settings.engine)
    if !found.isEmpty { compiled.diagnostics = (compiled.diagnostics + found).sortedBySource() }
    return compiled
  }

  /// A song that plays nothing is a mistake somewhere (a section never arranged, every note `prob=0`, a
  /// broken file): a render says so instead of writing a file of silence.
  static let playsNothing = Diagnostic.error(
    "the song plays no note", at: SourceRange(at: SourceLocation(offset: 0, line: 1, column: 1)),
    hint: "a render needs at least one note; check that sections are arranged and notes can play")

  /// The render loop: schedules the song, renders it chunk by chunk and streams every chunk to `sinks` (on a
  /// writer thread, overlapping the next chunk's synthesis). Every caller — `render`, `hash`, `verify`,
  /// `album`, the server — is a thin caller of this.
  ///
  /// Nothing is opened before the song is known to render (a limit it exceeds is a diagnostic, not an empty
  /// file). On any failure or stop every sink cancels, so no partial output survives; then it throws a
  /// `RenderError` (`.invalidInput`, `.io` with the file layer's cause, or `.cancelled`).
  @discardableResult
  public func render(
    _ compiled: CompiledPattern, settings: RenderSettings, into sinks: [any RenderSink],
    control: RenderControl = RenderControl()
  ) throws -> RenderSummary {
    let clock = ContinuousClock()
    let started = clock.now
    let profile = control.profile
    let session: RenderSession
    do {
      session = try profile.measure(.schedule) {
        try makeSession(compiled, settings: settings, tapTracks: sinks.contains { $0.wantsTracks })
      }
    } catch {
      sinks.forEach { $0.cancel() }
      throw RenderError.wrapping(error)
    }
    session.measuresMix = profile != nil
    let names = (compiled.score.tracks.map(\.name) + compiled.score.buses.map { "bus \($0.name)" })
      .prefix(session.tapCount).map { $0 }
    return try run(
      session, session: session, settings: settings, trackNames: names, into: sinks, control: control,
      started: started)
  }

  /// The render loop over any chunk source (a session, or a master chain finishing a pre-master sum): every
  /// chunk to `sinks` through the writer thread; on failure every sink cancels.
  func run(
    _ source: any ChunkSource, session: RenderSession?, settings: RenderSettings, trackNames: [String],
    into sinks: [any RenderSink], control: RenderControl, started: ContinuousClock.Instant
  ) throws -> RenderSummary {
    let clock = ContinuousClock()
    let profile = control.profile
    let maxChunkFrames = RenderSession.maxChunkFrames(settings.engine)
    let start = RenderStart(
      settings: settings, totalFrames: source.totalFrames, maxChunkFrames: maxChunkFrames,
      trackNames: trackNames, profile: profile)
    let tracks = session?.settings.tapTracks == true ? session!.tapCount : 0
    let pipeline = SinkPipeline(
      sinks: sinks,
      quantizer: PCMQuantizer(encoding: settings.encoding, channels: 2, maxSamples: maxChunkFrames * 2),
      tracks: tracks, profile: profile)
    do {
      for sink in sinks { try sink.begin(start) }
      let loopStarted = clock.now
      // Each chunk's master stage writes straight into the writer's next slot: no copy per chunk.
      precondition(source.capacity <= maxChunkFrames * 2, "a source's chunks larger than the pipeline's slots")
      defer { source.output = nil }
      while true {
        if control.shouldStop() { throw RenderError.cancelled }
        source.output = try pipeline.reserve()
        let more = try source.renderNextChunk { samples, firstFrame in
          try pipeline.submit(samples, firstFrame: firstFrame, track: { session!.trackChunk($0) })
        }
        guard more else { break }
        control.progress?(Double(source.framesRendered) / Double(max(1, source.totalFrames)))
      }
      pipeline.unreserve()
      if let profile, let session {
        let inner = session.synthesisSeconds + session.mixSeconds + session.masterSeconds
        profile.add(.synthesis, .seconds(session.synthesisSeconds))
        profile.add(.mix, .seconds(session.mixSeconds))
        profile.add(.master, .seconds(session.masterSeconds))
        // The rest of the loop: handing ring slots back to the workers, progress, and waiting for a core.
        profile.add(.handoff, clock.now - loopStarted - .seconds(inner + profile.seconds(.writerWait)))
      }
      try profile.measure(.drain) { try pipeline.drain() }
      // Last to first: the first sink (the file a caller asked for) is committed only when every other one
      // (stems, digests) finished, so a failing stem never leaves a finished track behind.
      for sink in sinks.reversed() { try sink.finish() }
    } catch {
      try? pipeline.drain()
      sinks.forEach { $0.cancel() }
      throw RenderError.wrapping(error)
    }
    let sampleCount = Double(max(1, source.totalFrames * 2))
    return RenderSummary(
      frames: source.totalFrames, sampleRate: settings.sampleRate, voiceCount: session?.voiceCount ?? 0,
      voiceFrames: session?.voiceFrames ?? 0, peakDecibels: Decibels.from(amplitude: Double(source.peak)),
      rmsDecibels: Decibels.from(amplitude: (source.sumOfSquares / sampleCount).squareRoot()),
      wallSeconds: (clock.now - started).seconds, synthesisSeconds: session?.synthesisSeconds ?? 0,
      limiterReductionDecibels: source.limiterReductionDecibels)
  }

  /// The engine's session for a compiled song, with sampler banks converted to the render rate (once per rate
  /// and process, libsamplerate), or the diagnostics that stop it.
  func makeSession(
    _ compiled: CompiledPattern, settings: RenderSettings, tapTracks: Bool
  ) throws -> RenderSession {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    // A song that plays nothing is a mistake somewhere (a section never arranged, every note prob=0, a
    // broken file): say so, instead of writing a file of silence.
    guard !compiled.score.events.isEmpty else { throw RenderError.invalidInput([Self.playsNothing]) }
    var engine = settings.engine
    engine.tapTracks = tapTracks
    let used = Set(compiled.score.events.map(\.instrument.id))
    let (made, diagnostics) = RenderSession.make(
      score: compiled.score,
      patches: try SampleConversion.patches(patches, used: used, rate: settings.sampleRate, jobs: engine.threads),
      settings: engine)
    guard let made else { throw RenderError.invalidInput(diagnostics) }
    return made
  }
}
