import Foundation

/// Scratch folders for tests: one root per test process (under the system's temporary folder), removed when
/// the process exits, and a fresh folder inside it per call.
public enum Scratch {
  private static let root: String = {
    let path = NSTemporaryDirectory() + "pstudio-tests-\(getpid())"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "pstudio-tests-\(getpid())") }
    return path
  }()

  /// A new, empty folder (removed with the root at exit).
  public static func folder() -> String {
    let path = root + "/" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
