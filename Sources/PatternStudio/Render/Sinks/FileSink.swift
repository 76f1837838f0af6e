import PatternAudioIO

/// Writes the render to a WAV or FLAC file: a temporary name beside `path`, flushed and renamed when the
/// render completes; removed on failure or stop, so an existing file is never damaged.
public final class FileSink: RenderSink {
  public let path: String
  private let tags: AudioTags?
  private var writer: AudioFileWriter?
  private var profile: RenderProfile?
  private let holds: Bool
  private let throughPageCache: Bool

  /// - Parameters:
  ///   - path: The destination; the container comes from the render's settings.
  ///   - tags: Tags to write instead of the settings' own.
  ///   - holds: Keep the finished file under its temporary name until `commit()` (or `discard()`).
  ///   - throughPageCache: Write through the page cache (a file read back soon after), not past it.
  public init(path: String, tags: AudioTags? = nil, holds: Bool = false, throughPageCache: Bool = false) {
    self.path = path
    self.tags = tags
    self.holds = holds
    self.throughPageCache = throughPageCache
  }

  public func begin(_ render: RenderStart) throws {
    writer = try AudioFileWriter(
      path: path, format: render.settings.format, tags: tags ?? render.settings.tags,
      expectedFrames: render.totalFrames,
      throughPageCache: throughPageCache)
    profile = render.profile
  }

  public func write(_ chunk: RenderChunk) throws { try writer?.write(chunk.pcm) }

  public func finish() throws {
    guard let writer else { return }
    if holds {
      try writer.finishHeld()
    } else {
      try writer.finish()
    }
    profile?.add(.sync, writer.finishTimes.sync)
    profile?.add(.rename, writer.finishTimes.rename)
  }

  public func cancel() { writer?.cancel() }

  /// A held file (`holds`): renames it over `path`.
  public func commit() throws { try writer?.commit() }

  /// A held file (`holds`): deletes it; `path` is not touched.
  public func discard() { writer?.discard() }
}
