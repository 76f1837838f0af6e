import Foundation

/// Where instrument modules are looked up, first match wins: `--instruments DIR` folders, then the
/// `PSTUDIO_INSTRUMENTS` list (colon-separated), then the shipped `Instruments/` folder.
public struct InstrumentSearchPath: Hashable, Sendable {
  public var folders: [String]
  /// When the shipped library was looked for and not found: every place it was looked for (`standard` sets
  /// it), so messages can say so instead of falling back in silence.
  public var missingLibrary: [String]?

  public init(folders: [String], missingLibrary: [String]? = nil) {
    self.folders = folders
    self.missingLibrary = missingLibrary
  }

  /// Where SoundFonts (`*.sf2`) and SFZ instruments are found: the instrument folders, then the system's
  /// SoundFont folders (Debian's `fluid-soundfont-gm`, `timgm6mb-soundfont`, `csound-soundfont` install there).
  public var fontFolders: [String] { folders + Self.systemFontFolders.filter { !folders.contains($0) } }

  /// The system's SoundFont folders.
  public static let systemFontFolders = ["/usr/share/sounds/sf2", "/usr/share/soundfonts"]

  /// The standard path: `extra` folders, the environment's, and the shipped library (see `shippedFolder`).
  public static func standard(extra: [String] = []) -> InstrumentSearchPath {
    var folders = extra
    // getenv, not ProcessInfo's environment: that copies every variable into a dictionary (~0.15 ms of a
    // one-line check's start).
    if let env = getenv("PSTUDIO_INSTRUMENTS").map({ String(cString: $0) }) {
      folders += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    guard let shipped = shippedFolder() else {
      return InstrumentSearchPath(folders: folders, missingLibrary: shippedCandidates())
    }
    return InstrumentSearchPath(folders: folders + [shipped])
  }

  /// The shipped library's folder: the first of `shippedCandidates()` holding `Instruments/README.md`.
  static func shippedFolder() -> String? {
    var found: String?
    candidates { candidate in
      guard access(candidate + "/README.md", F_OK) == 0 else { return true }
      found = candidate
      return false
    }
    return found
  }

  /// Where the shipped library is looked for, in order: `../share/pattern-studio/Instruments` from the
  /// executable's real path (an installed tree, wherever it was moved, reached through any symlink), then
  /// `Instruments/` in the executable's ancestors (a build inside the project), then in the current directory.
  /// Nothing is baked in at build time.
  public static func shippedCandidates() -> [String] {
    var all: [String] = []
    candidates { candidate in
      all.append(candidate)
      return true
    }
    return all
  }

  /// Calls `body` with each candidate in order, each once, until it returns false. Made as they are needed:
  /// where the library is found early (every install and build), the current directory is never asked for.
  private static func candidates(_ body: (String) -> Bool) {
    let exe =
      FileCheck.realPath("/proc/self/exe") ?? FileCheck.realPath(CommandLine.arguments[0])
      ?? CommandLine.arguments[0]
    func child(_ dir: String, _ name: String) -> String { (dir == "/" ? "" : dir) + "/" + name }
    // A short list: a linear search for repeats (near the root, ancestors repeat) is cheapest.
    var offered: [String] = []
    func offer(_ candidate: String) -> Bool {
      guard !offered.contains(candidate) else { return true }
      offered.append(candidate)
      return body(candidate)
    }
    var dir = parent(of: exe)
    guard offer(child(parent(of: dir), "share/pattern-studio/Instruments")) else { return }
    for _ in 0..<8 {
      guard offer(child(dir, "Instruments")) else { return }
      dir = parent(of: dir)
    }
    _ = offer(FileManager.default.currentDirectoryPath + "/Instruments")
  }

  /// The folder holding `path` ("/" for the root; `path` is absolute after `realPath`, else "." for a bare
  /// name).
  private static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
