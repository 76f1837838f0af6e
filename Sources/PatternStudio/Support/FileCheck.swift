import Foundation
import Glibc

/// Where instrument files really are, checked before anything opens them: every link resolved (absolute or
/// relative, chains too) by `realpath(3)`, the result inside its folder, and a regular file — a FIFO or a
/// device would block or stream forever.
enum FileCheck {
  /// A file's `size:modification time`, what the instrument caches and signatures compare ("0:0" when the
  /// file cannot be read).
  static func stamp(_ attributes: [FileAttributeKey: Any]?) -> String {
    "\(attributes?[.size] ?? 0):\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
  }

  static func stamp(_ path: String) -> String { stamp(try? FileManager.default.attributesOfItem(atPath: path)) }

  /// The canonical path of `path` (every link and `..` resolved), or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Why `path` may not be opened as a file of `folder`, or nil (and its real path) when it may.
  static func regularFile(_ path: String, inside folder: String) -> (real: String?, problem: String?) {
    guard let root = realPath(folder) else { return (nil, "the folder \(folder) does not exist") }
    let inside = { (p: String) in p.hasPrefix(root == "/" ? "/" : root + "/") }
    guard let real = realPath(path) else {
      // Missing: still say so when the path itself (`../x`) leads out of the folder.
      let rest = path.dropFirst(folder.count).drop { $0 == "/" }
      let lexical = URL(fileURLWithPath: root + "/" + rest).standardized.path
      return (
        nil,
        path.hasPrefix(folder) && !inside(lexical) ? "it leads outside the instrument folder \(root)" : "no such file"
      )
    }
    guard inside(real) else {
      return (nil, "it leads outside the instrument folder \(root) (to \(real)); copy the file instead")
    }
    var info = stat()
    guard stat(real, &info) == 0 else { return (nil, "cannot be read") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return (nil, "it is not a regular file") }
    return (real, nil)
  }
}
