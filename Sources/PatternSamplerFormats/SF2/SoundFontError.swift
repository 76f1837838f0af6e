/// Why a SoundFont could not be read or a preset could not be resolved.
///
/// `description` reads "<chunk>: <message>", e.g. "pdta/pgen: size 13 is not a multiple of 4", so a user
/// (or a fuzzer log) sees which part of the file is wrong without a hex editor.
public struct SoundFontError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Broad category, for callers that want to react differently (e.g. suggest converting an SF3).
  public enum Kind: Hashable, Sendable {
    /// The bytes are not a well-formed SF2 file (bad chunk, size, index…).
    case malformed
    /// The font is SF3 (Ogg Vorbis compressed samples).
    case compressedSF3
    /// A preset uses a sample stored in a sound-card ROM.
    case romSample
    /// `regions(bank:program:)` was asked for a preset the font does not have.
    case noSuchPreset
    /// `frames(for:in:)` got a source that is not (or not inside) this font's sample data.
    case badSampleSource
  }

  public var kind: Kind
  /// The chunk the problem is in, "RIFF", "LIST pdta", "pdta/pgen", "sdta/smpl"…; empty when none applies.
  public var chunk: String
  public var message: String

  public init(_ kind: Kind, chunk: String, _ message: String) {
    self.kind = kind
    self.chunk = chunk
    self.message = message
  }

  public var description: String { chunk.isEmpty ? message : "\(chunk): \(message)" }

  static func malformed(_ chunk: String, _ message: String) -> SoundFontError {
    SoundFontError(.malformed, chunk: chunk, message)
  }

  static let sf3 = SoundFontError(
    .compressedSF3, chunk: "", "SF3 (compressed, Ogg Vorbis) fonts are not supported; convert to SF2")
}
