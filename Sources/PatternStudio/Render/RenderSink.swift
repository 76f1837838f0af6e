import PatternAudioIO

/// Where a render's output goes. The one render loop (`Renderer.render(_:settings:into:control:)`) hands every
/// sink every chunk, in order, on its writer thread; a sink never sees a chunk twice or out of order.
///
/// Sinks shipped: `FileSink` (temp file + rename), `MemorySink` (WAV/FLAC bytes in memory), `HashSink` (the
/// golden PCM fingerprint), `LoudnessSink` (EBU R128 of what is written), `StemSink` (one float WAV per
/// track), `PCMCollector` (samples in an array, for tests). A new sink is a class conforming to this.
public protocol RenderSink: AnyObject {
  /// Whether the sink needs each track's pre-master signal (`RenderChunk.tracks`); costs a copy per track.
  var wantsTracks: Bool { get }
  /// Called once before the first chunk (after the song is known to render): open files, size buffers.
  func begin(_ render: RenderStart) throws
  /// The next chunk.
  func write(_ chunk: RenderChunk) throws
  /// After the last chunk: commit (rename a file, finish a digest).
  func finish() throws
  /// After a failure or a stop (possibly before `begin`): throw away everything; never throws.
  func cancel()
}

extension RenderSink {
  public var wantsTracks: Bool { false }
}

/// What a render is about to produce.
public struct RenderStart: Sendable {
  public var settings: RenderSettings
  /// Frames the render will produce.
  public var totalFrames: Int64
  /// The largest chunk, in frames.
  public var maxChunkFrames: Int
  /// The song's tracks (blocks), in order: what `RenderChunk.tracks` holds.
  public var trackNames: [String]
  /// Where a sink adds the time it spends finishing (flush, rename), when the render is profiled.
  public var profile: RenderProfile?
}

/// One chunk of a render as every sink sees it. The buffers are valid only during `RenderSink.write`.
public struct RenderChunk {
  /// The absolute frame the chunk starts at.
  public var firstFrame: Int64
  public var frames: Int
  /// The master stage's output (after gain and limiter), interleaved stereo floats.
  public var master: UnsafeBufferPointer<Float>
  /// The same samples quantised exactly as written (dithered integers, or the floats themselves).
  public var pcm: PCMChunk
  /// Per track, its pre-master signal (interleaved stereo floats); empty unless a sink `wantsTracks`.
  public var tracks: [UnsafeBufferPointer<Float>]
}

/// How a caller follows and stops a render.
public struct RenderControl {
  /// Called on the rendering thread after each chunk with the fraction done (0 … 1).
  public var progress: ((Double) -> Void)?
  /// Polled before each chunk (16,384 frames at the default block size); true abandons the render, every
  /// sink cancels, and the render throws `RenderError.cancelled`.
  public var shouldStop: () -> Bool
  /// Where the render adds its phases' wall time (`pstudio render --profile`); nil: not measured.
  public var profile: RenderProfile?

  public init(
    progress: ((Double) -> Void)? = nil, shouldStop: @escaping () -> Bool = { false }, profile: RenderProfile? = nil
  ) {
    self.progress = progress
    self.shouldStop = shouldStop
    self.profile = profile
  }
}
