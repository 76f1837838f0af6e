/// Path arithmetic on plain strings ('/' separated). Why not Foundation's URL: it touches the file system
/// and behaves differently across platforms; the reader must be pure so tests and fuzzing run in memory.
enum SFZPath {
  /// Backslashes (Windows-authored instruments) become slashes, as sfizz does for `sample=` and `#include`.
  static func slashes(_ path: String) -> String {
    path.contains("\\") ? String(path.map { $0 == "\\" ? "/" : $0 }) : path
  }

  /// `/x`, `~/x` or a drive-letter path `C:/x`.
  static func isAbsolute(_ path: String) -> Bool {
    if path.hasPrefix("/") || path.hasPrefix("~") { return true }
    let u = Array(path.utf8.prefix(3))
    return u.count == 3 && u[1] == UInt8(ascii: ":") && u[2] == Ascii.slash && Ascii.isIdentifier(u[0])
  }

  /// The folder part of `path` ("" when it has none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// `path` if absolute, else `folder/path`; then `.` and `dir/..` segments are folded lexically.
  static func resolve(_ path: String, in folder: String) -> String {
    let p = slashes(path)
    if isAbsolute(p) || folder.isEmpty { return normalized(p) }
    return normalized(folder.hasSuffix("/") ? folder + p : folder + "/" + p)
  }

  static func normalized(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", absolute, parts.isEmpty { continue }  // "/.." is "/"
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
  }
}
