import Glibc

/// Where instrument files really are, checked before anything opens them: every link resolved (absolute or
/// relative, chains too) by `realpath(3)`, the result inside its folder, and a regular file — a FIFO or a
/// device would block or stream forever.
enum FileCheck {
  /// The canonical path of `path` (every link and `..` resolved), or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Why `path` may not be opened as a file of `folder`, or nil (and its real path) when it may.
  static func regularFile(_ path: String, inside folder: String) -> (real: String?, problem: String?) {
    guard let root = realPath(folder) else { return (nil, "the folder \(folder) does not exist") }
    guard let real = realPath(path) else { return (nil, "no such file") }
    guard real.hasPrefix(root == "/" ? "/" : root + "/") else {
      return (nil, "it leads outside its instrument folder \(root) (to \(real)); copy the file instead")
    }
    var info = stat()
    guard stat(real, &info) == 0 else { return (nil, "cannot be read") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return (nil, "it is not a regular file") }
    return (real, nil)
  }
}
