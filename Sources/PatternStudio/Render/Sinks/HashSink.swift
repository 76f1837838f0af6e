import PatternAudioIO

/// Fingerprints the PCM exactly as written (`PCMHasher`): the golden hash, with optional segment digests.
public final class HashSink: RenderSink {
  private let segments: [[(Int64, Int64)]]
  private var hasher: PCMHasher?
  private let labelOnly: Bool
  /// The fingerprint, after the render finished (nil with `labelOnly`).
  public private(set) var fingerprint: PCMFingerprint?
  /// The fingerprint's label (`pcm-s16-48000-2:sha256:…`), after the render finished.
  public private(set) var label: String?

  /// - Parameters:
  ///   - segments: Per family (bars, sections), sorted frame ranges to digest separately.
  ///   - labelOnly: Only the label is wanted (no block digests or levels: cheaper).
  public init(segments: [[(Int64, Int64)]] = [], labelOnly: Bool = false) {
    self.segments = segments
    self.labelOnly = labelOnly
  }

  public func begin(_ render: RenderStart) throws {
    hasher = PCMHasher(
      encoding: render.settings.encoding, sampleRate: render.settings.sampleRate, segments: segments,
      labelOnly: labelOnly)
  }

  public func write(_ chunk: RenderChunk) throws { hasher?.add(chunk.pcm) }

  public func finish() throws {
    if labelOnly {
      label = hasher?.finishLabel()
    } else {
      fingerprint = hasher?.finish()
      label = fingerprint?.label
    }
  }

  public func cancel() { hasher = nil }
}
