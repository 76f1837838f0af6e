import PatternAudioIO

/// Encodes the render (WAV or FLAC, tagged) into memory: the bytes a file would hold, with no scratch file,
/// fsync or read-back. What the server's `/api/render` answers with.
public final class MemorySink: RenderSink {
  private var writer: AudioMemoryWriter?
  /// The encoded file, after the render finished.
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public func begin(_ render: RenderStart) throws {
    writer = try AudioMemoryWriter(
      format: render.settings.format, tags: render.settings.tags, expectedFrames: render.totalFrames)
  }

  public func write(_ chunk: RenderChunk) throws { try writer?.write(chunk.pcm) }

  public func finish() throws {
    bytes = try writer?.finish() ?? []
    writer = nil
  }

  public func cancel() {
    writer = nil
    bytes = []
  }
}
