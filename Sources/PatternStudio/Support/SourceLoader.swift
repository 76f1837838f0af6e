import Foundation
import PatternAudioIO
import PatternLanguage

/// Reads pattern source from a path, or standard input for `-`.
public enum SourceLoader {
  /// - Throws: `AudioIOError` (operation `.read`, with the path and errno) when the file cannot be read.
  public static func load(_ path: String) throws -> SourceFile {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      return SourceFile(name: "<stdin>", bytes: Array(data))
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue {
      throw AudioIOError(.read, path: path, detail: "it is a folder, not a pattern file")
    }
    errno = 0
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AudioIOError(.read, path: path, errno: errno == 0 ? ENOENT : errno)
    }
    return SourceFile(name: path, bytes: Array(data))
  }
}
