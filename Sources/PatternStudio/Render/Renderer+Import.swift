import PatternLanguage
import PatternMIDI

extension Renderer {
  /// Pattern source for a Standard MIDI File (`pstudio import`), its instruments chosen from this renderer's
  /// catalog, and the source compiled and checked with the render's limits — what `pstudio check` would say.
  ///
  /// - Parameters:
  ///   - bytes: the file's contents.
  ///   - options: the file's name (for the header and the default title) and an optional grid in beats.
  ///   - sourceName: the name the generated source is checked under (its diagnostics name it).
  /// - Throws: `MIDIReader.Failure` naming the byte offset where the file is not a valid MIDI file.
  public func importMIDI(
    _ bytes: [UInt8], options: MIDIImport.Options, sourceName: String
  ) throws -> (result: MIDIImport.Result, checked: CompiledPattern) {
    let result = try MIDIImport.source(from: bytes, catalog: catalog, options: options)
    return (result, check(SourceFile(name: sourceName, text: result.source)))
  }
}
