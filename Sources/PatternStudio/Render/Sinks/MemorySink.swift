import PatternAudioIO

/// Encodes the render (WAV or FLAC, tagged) into memory: the bytes a file would hold, with no scratch file,
/// fsync or read-back. What the server's `/api/render` answers with.
public final class MemorySink: RenderSink {
  private var writer: AudioMemoryWriter?
  private let region: UnsafeMutableRawBufferPointer?
  /// The encoded file, after the render finished (empty when it is in the region: `inRegion`).
  public private(set) var bytes: [UInt8] = []
  /// After the render: the file's length when it is the start of the region given to `init`, else nil.
  public private(set) var inRegion: Int?

  /// - Parameter region: Memory to encode into while the file fits (a worker's mapping the server reads);
  ///   nil: an array.
  public init(region: UnsafeMutableRawBufferPointer? = nil) { self.region = region }

  public func begin(_ render: RenderStart) throws {
    writer = try AudioMemoryWriter(
      format: render.settings.format, tags: render.settings.tags, expectedFrames: render.totalFrames, region: region)
  }

  public func write(_ chunk: RenderChunk) throws { try writer?.write(chunk.pcm) }

  public func finish() throws {
    (bytes, inRegion) = try writer?.finish() ?? ([], nil)
    writer = nil
  }

  public func cancel() {
    writer = nil
    bytes = []
    inRegion = nil
  }
}
