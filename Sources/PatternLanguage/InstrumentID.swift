/// The identity of an instrument, the one key the language, the engine's patch bank and MIDI export share:
/// a built-in (`piano`, `synth`, `saw` …) or a module loaded from an instrument file (`file:bass`). Two
/// instruments are the same instrument exactly when their identities are equal.
public struct InstrumentID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The stable text (`piano`, `file:bass`): what event fingerprints and golden files record.
  public let rawValue: String

  private init(rawValue: String) { self.rawValue = rawValue }

  /// A built-in instrument of the engine.
  public static func builtIn(_ name: String) -> InstrumentID { InstrumentID(rawValue: name) }

  /// The instrument of the module file `NAME.json`.
  public static func module(_ name: String) -> InstrumentID { InstrumentID(rawValue: "file:\(name)") }

  public var description: String { rawValue }
  public static func < (a: InstrumentID, b: InstrumentID) -> Bool { a.rawValue < b.rawValue }

  public static let piano = builtIn("piano")
  /// The modelled grand behind the built-in module `"grand"` (not a name a song can use without importing it).
  public static let grand = builtIn("grand")
  public static let synth = builtIn("synth")
  public static let guitar = builtIn("guitar")
  public static let sine = builtIn("sine")
  public static let triangle = builtIn("triangle")
  public static let saw = builtIn("saw")
  public static let square = builtIn("square")
  public static let noise = builtIn("noise")
}
