import Foundation
import PatternLanguage

/// Reads pattern source from a path, or standard input for `-`.
public enum SourceLoader {
  /// - Throws: `RenderError.io` when the file cannot be read.
  public static func load(_ path: String) throws -> SourceFile {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      return SourceFile(name: "<stdin>", bytes: Array(data))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        throw RenderError.io(
          isDirectory.boolValue ? "'\(path)' is a folder, not a pattern file" : "cannot read '\(path)'")
      }
      throw RenderError.io("no such file: '\(path)'")
    }
    return SourceFile(name: path, bytes: Array(data))
  }
}
