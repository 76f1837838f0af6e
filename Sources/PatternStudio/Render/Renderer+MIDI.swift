import PatternAudioIO
import PatternLanguage
import PatternMIDI

extension Renderer {
  /// The Standard MIDI File of a compiled song (the same events the audio renders from), with warnings for
  /// what MIDI cannot express.
  ///
  /// - Parameter resolution: ticks per quarter note; `.exact` (960, or the smallest multiple of 960 that holds
  ///   every time of the song exactly) by default.
  public func midi(
    _ compiled: CompiledPattern, resolution: MIDITickResolution = .exact
  ) throws -> (bytes: [UInt8], warnings: [String]) {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    let (file, warnings) = MIDIExport.file(for: compiled.score, resolution: resolution)
    return (file.encoded(), warnings)
  }

  /// Writes the song's MIDI file to `path` through a temporary file renamed when complete, so a failure never
  /// leaves a partial file or damages an existing one. Throws `RenderError` like a render.
  @discardableResult
  public func writeMIDI(
    _ compiled: CompiledPattern, to path: String, resolution: MIDITickResolution = .exact
  ) throws -> [String] {
    let (bytes, warnings) = try midi(compiled, resolution: resolution)
    do { try AtomicFile.write(bytes, to: path) } catch { throw RenderError.wrapping(error) }
    return warnings
  }
}
