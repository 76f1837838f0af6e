import PatternAudioIO
import PatternLanguage

extension Renderer {
  /// Renders to a file and fingerprints the PCM exactly as written, in one pass (what the server returns).
  ///
  /// The file goes through a temporary name renamed when complete, so a failed or stopped render leaves nothing.
  /// - Parameter shouldStop: Polled after every chunk (16,384 frames at the default block size); returning true
  ///   abandons the render and throws `CancellationError`.
  public func renderFingerprinted(
    _ compiled: CompiledPattern, to path: String, options: RenderOptions, shouldStop: () -> Bool = { false }
  ) throws -> (summary: RenderSummary, fingerprint: PCMFingerprint) {
    let writer = try Renderer.openWriter(compiled, path: path, options: options)
    var hasher = PCMHasher(encoding: options.format.encoding, sampleRate: options.format.sampleRate)
    do {
      let summary = try render(compiled, options: options) { chunk in
        if shouldStop() { throw CancellationError() }
        hasher.add(chunk)
        switch chunk {
        case .int16(let b): try writer.write(b)
        case .int24(let b): try writer.write(b)
        case .float32(let b): try writer.write(b)
        }
      }
      try writer.finish()
      return (summary, hasher.finish())
    } catch let error as RenderError {
      writer.cancel()
      throw error
    } catch let error as CancellationError {
      writer.cancel()
      throw error
    } catch {
      writer.cancel()
      throw RenderError.io("\(error)")
    }
  }
}
