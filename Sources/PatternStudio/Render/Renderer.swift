import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// Everything that decides what a render sounds like and how it is stored.
public struct RenderOptions: Hashable, Sendable {
  public var format: AudioFormat
  /// Frames per voice-loop dispatch (never changes the output).
  public var blockSize: Int
  /// Worker threads (never change the output).
  public var threads: Int
  /// Master gain in dB before the limiter.
  public var masterGainDecibels: Double
  public var seed: UInt64
  public var tags: AudioTags
  /// Render only this track (stems); nil: all.
  public var soloTrack: Int? = nil
  /// Skip the master stage (gain, limiter): stems that add up to the mix.
  public var bypassMaster = false
  /// At least this many frames (stems as long as their mix).
  public var minimumFrames: Int64 = 0
  /// The engine's limits (longest song, voices per lane): exceeding one is a diagnostic, not a render.
  public var engineLimits = EngineLimits()

  public init(
    format: AudioFormat = AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000),
    blockSize: Int = 512, threads: Int = 2, masterGainDecibels: Double = 0, seed: UInt64 = 0,
    tags: AudioTags = AudioTags()
  ) {
    self.format = format
    self.blockSize = blockSize
    self.threads = threads
    self.masterGainDecibels = masterGainDecibels
    self.seed = seed
    self.tags = tags
  }

  var engineSettings: RenderSettings {
    var settings = RenderSettings(
      sampleRate: format.sampleRate, blockSize: blockSize, threads: threads,
      masterGainDecibels: masterGainDecibels, seed: seed)
    settings.soloTrack = soloTrack
    settings.bypassMaster = bypassMaster
    settings.minimumFrames = minimumFrames
    return settings
  }
}

/// What a finished render measured.
public struct RenderSummary: Sendable {
  public var frames: Int64
  public var sampleRate: Int
  public var voiceCount: Int
  /// Σ voice lengths in frames (the synthesis work).
  public var voiceFrames: Int64
  /// Largest absolute sample, dBFS (after the limiter, before quantisation).
  public var peakDecibels: Double
  /// RMS over both channels, dBFS.
  public var rmsDecibels: Double
  /// Wall-clock seconds the render took (reporting only; never affects audio).
  public var wallSeconds: Double
  /// Of which: rendering voices (lanes in parallel).
  public var synthesisSeconds: Double

  public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
  public var realtimeFactor: Double { wallSeconds > 0 ? durationSeconds / wallSeconds : .infinity }
}

/// Quantised PCM of one chunk, as it is written to the file.
public enum PCMChunk {
  case int16(UnsafeBufferPointer<Int16>)
  /// 24-bit samples in the top bits of each value.
  case int24(UnsafeBufferPointer<Int32>)
  case float32(UnsafeBufferPointer<Float>)
}

/// Failures of a render: the user's input (diagnostics) or the system (I/O).
public enum RenderError: Error, CustomStringConvertible {
  case invalidInput([Diagnostic])
  case io(String)

  public var description: String {
    switch self {
    case .invalidInput(let d): return "\(d.filter { $0.severity == .error }.count) error(s) in the input"
    case .io(let s): return s
    }
  }
}

/// The facade: source text → score → audio, the way the CLI (and later the server) use it. Never prints.
public struct Renderer: Sendable {
  public var catalog: InstrumentCatalog
  public var patches: [String: Patch]

  public init(catalog: InstrumentCatalog = .builtIn, patches: [String: Patch] = Patch.builtIn) {
    self.catalog = catalog
    self.patches = patches
  }

  /// Lexes, parses and resolves.
  public func compile(_ source: SourceFile) -> CompiledPattern { PatternCompiler.compile(source, catalog: catalog) }

  /// Renders a compiled pattern and hands each quantised chunk to `sink`, in order.
  ///
  /// - Parameter progress: Called after each chunk with the fraction done (0 … 1), for progress displays.
  public func render(
    _ compiled: CompiledPattern, options: RenderOptions, progress: ((Double) -> Void)? = nil,
    sink: (PCMChunk) throws -> Void
  ) throws -> RenderSummary {
    var quantizer = PCMQuantizer(options)
    return try renderFloat(compiled, options: options, progress: progress) { samples, firstFrame in
      try quantizer.quantize(samples, firstFrame: firstFrame, sink)
    }
  }

  /// The render loop: master-stage float chunks (interleaved, with their first frame) to `sink`.
  func renderFloat(
    _ compiled: CompiledPattern, options: RenderOptions, progress: ((Double) -> Void)?,
    sink: (UnsafeBufferPointer<Float>, Int64) throws -> Void
  ) throws -> RenderSummary {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    let clock = ContinuousClock()
    let started = clock.now
    // Samplers play buffers at the render rate: converted once per rate (libsamplerate), then shared.
    let (made, diagnostics) = RenderSession.make(
      score: compiled.score,
      patches: SampleConversion.patches(
        patches, used: Set(compiled.score.events.map(\.instrument.id)), rate: options.format.sampleRate),
      settings: options.engineSettings, limits: options.engineLimits)
    guard let session = made else { throw RenderError.invalidInput(diagnostics) }
    while try session.renderNextChunk({ samples, firstFrame in try sink(samples, firstFrame) }) {
      progress?(Double(session.framesRendered) / Double(max(1, session.totalFrames)))
    }
    let seconds = (clock.now - started).seconds
    let sampleCount = Double(max(1, session.totalFrames * 2))
    return RenderSummary(
      frames: session.totalFrames, sampleRate: options.format.sampleRate, voiceCount: session.voiceCount,
      voiceFrames: session.voiceFrames, peakDecibels: Renderer.decibels(Double(session.peak)),
      rmsDecibels: Renderer.decibels((session.sumOfSquares / sampleCount).squareRoot()), wallSeconds: seconds,
      synthesisSeconds: session.synthesisSeconds)
  }

  /// Renders to a file (temp file renamed when complete; nothing is left behind on failure).
  ///
  /// - Parameter progress: Called after each chunk with the fraction done (0 … 1).
  public func render(
    _ compiled: CompiledPattern, to path: String, options: RenderOptions, progress: ((Double) -> Void)? = nil
  ) throws -> RenderSummary {
    let writer = try Renderer.openWriter(compiled, path: path, options: options)
    // Chunks are quantised and written on a background queue while the next one renders.
    let background = BackgroundWriter(writer: writer, quantizer: PCMQuantizer(options))
    do {
      var summary = try renderFloat(compiled, options: options, progress: progress) { samples, firstFrame in
        try background.submit(samples, firstFrame: firstFrame)
      }
      let clock = ContinuousClock()
      let t0 = clock.now
      try background.drain()
      try writer.finish()
      summary.wallSeconds += (clock.now - t0).seconds
      return summary
    } catch let e as RenderError {
      try? background.drain()
      writer.cancel()
      throw e
    } catch {
      try? background.drain()
      writer.cancel()
      throw RenderError.io("\(error)")
    }
  }

  /// Renders into memory as interleaved quantised samples widened to `Int32` (tests, hashing).
  public func renderPCM(_ compiled: CompiledPattern, options: RenderOptions) throws -> [Int32] {
    var out: [Int32] = []
    _ = try render(compiled, options: options) { chunk in
      switch chunk {
      case .int16(let b): out.append(contentsOf: b.lazy.map { Int32($0) })
      case .int24(let b): out.append(contentsOf: b.lazy.map { $0 >> 8 })
      case .float32(let b): out.append(contentsOf: b.lazy.map { Int32(bitPattern: $0.bitPattern) })
      }
    }
    return out
  }

  /// The atomic writer of a render to `path`, once the song is known to compile (else its diagnostics).
  static func openWriter(_ compiled: CompiledPattern, path: String, options: RenderOptions) throws -> AudioFileWriter {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    do {
      return try AudioFileWriter(path: path, format: options.format, tags: options.tags)
    } catch {
      throw RenderError.io("\(error)")
    }
  }

  static func decibels(_ x: Double) -> Double { x > 0 ? 20 * log10(x) : -.infinity }
}
