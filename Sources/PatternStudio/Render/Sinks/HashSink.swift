import PatternAudioIO

/// Fingerprints the PCM exactly as written (`PCMHasher`): the golden hash, with optional segment digests.
public final class HashSink: RenderSink {
  private let segments: [[(Int64, Int64)]]
  private var hasher: PCMHasher?
  /// The fingerprint, after the render finished.
  public private(set) var fingerprint: PCMFingerprint?

  /// - Parameter segments: Per family (bars, sections), sorted frame ranges to digest separately.
  public init(segments: [[(Int64, Int64)]] = []) { self.segments = segments }

  public func begin(_ render: RenderStart) throws {
    hasher = PCMHasher(
      encoding: render.settings.encoding, sampleRate: render.settings.sampleRate, segments: segments)
  }

  public func write(_ chunk: RenderChunk) throws { hasher?.add(chunk.pcm) }

  public func finish() throws { fingerprint = hasher?.finish() }

  public func cancel() { hasher = nil }
}
