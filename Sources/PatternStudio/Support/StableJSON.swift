import Foundation

/// JSON text that is the same bytes for the same value: sorted keys, pretty-printed, no escaped slashes,
/// a final newline. Golden files and album manifests are written this way.
enum StableJSON {
  static func text(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
