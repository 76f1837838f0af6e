import Foundation

/// Where instrument modules are looked up, first match wins: `--instruments DIR` folders, then the
/// `PSTUDIO_INSTRUMENTS` list (colon-separated), then the shipped `Instruments/` folder.
public struct InstrumentSearchPath: Hashable, Sendable {
  public var folders: [String]

  public init(folders: [String]) { self.folders = folders }

  /// Where SoundFonts (`*.sf2`) and SFZ instruments are found: the instrument folders, then the system's
  /// SoundFont folders (Debian's `fluid-soundfont-gm`, `timgm6mb-soundfont`, `csound-soundfont` install there).
  public var fontFolders: [String] { folders + Self.systemFontFolders.filter { !folders.contains($0) } }

  /// The system's SoundFont folders.
  public static let systemFontFolders = ["/usr/share/sounds/sf2", "/usr/share/soundfonts"]

  /// The standard path: `extra` folders, the environment's, and the shipped folder (found beside the project
  /// the executable was built in, or in the current directory).
  public static func standard(extra: [String] = []) -> InstrumentSearchPath {
    var folders = extra
    if let env = ProcessInfo.processInfo.environment["PSTUDIO_INSTRUMENTS"] {
      folders += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    if let shipped = shippedFolder() { folders.append(shipped) }
    return InstrumentSearchPath(folders: folders)
  }

  /// `Instruments/` (holding its README.md) in an ancestor of the executable, else in the current directory.
  static func shippedFolder() -> String? {
    let fm = FileManager.default
    let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<8 {
      let candidate = dir.appendingPathComponent("Instruments")
      if fm.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate.path }
      dir = dir.deletingLastPathComponent()
    }
    let local = fm.currentDirectoryPath + "/Instruments"
    return fm.fileExists(atPath: local + "/README.md") ? local : nil
  }
}
