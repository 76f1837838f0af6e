import Foundation
import Glibc

/// Where instrument files really are, checked before anything opens them: every link resolved (absolute or
/// relative, chains too) by `realpath(3)`, the result inside its folder, and a regular file — a FIFO or a
/// device would block or stream forever.
enum FileCheck {
  /// A file's `size:modification time`, what the instrument caches and signatures compare ("0:0.0" when the
  /// file cannot be read).
  /// (From `stat(2)`, in the form Foundation's attributes gave. `FileManager.attributesOfItem` also looks up
  /// the owner's and group's names, reading /etc/passwd and /etc/group for every file: that was most of
  /// loading the instrument library on every command and every server job.)
  static func stamp(_ path: String) -> String { status(path)?.stamp ?? "0:0.0" }

  /// A file's size in bytes and its stamp (nil when it cannot be read).
  static func status(_ path: String) -> (size: Int64, stamp: String)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    let modified = TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1_000_000_000
    return (Int64(info.st_size), "\(info.st_size):\(modified)")
  }

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
