import Foundation
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// `Scripts/install` and how an installed `pstudio` finds its library: relative to its own real path, through
/// symlinks, after the tree is moved; and a clear word when it is not there.
@Suite("install", .serialized)
struct InstallTests {
  static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// One note of every module of the shipped library, each imported under its own name.
  static func everyModuleSong() -> String {
    let library = InstrumentLibrary.load(InstrumentSearchPath(folders: [project + "/Instruments"]))
    let shipped = library.catalog.modules.filter { library.sources[$0.name]?.hasPrefix(project) == true }
    var lines: [String] = []
    var notes: [String] = []
    for (i, module) in shipped.enumerated() {
      lines.append("import m\(i) from \"\(module.name)\";")
      let note: String
      switch module.instrument.playable {
      case .pitches(let r): note = Pitch.name(ofMIDI: (r.lowerBound + r.upperBound) / 2)
      case .hits(let h): note = h[0]
      }
      notes.append("m\(i) \(note) \(i);")
    }
    return lines.joined(separator: "\n") + "\nmelody { " + notes.joined(separator: " ") + " }\n"
  }

  @Test("an installed pstudio renders every shipped module from anywhere, through a symlink, after a move")
  func installedTree() async throws {
    let dir = Scratch.folder()
    let install = try await ProcessRunner.run(
      "/bin/bash", ["\(Self.project)/Scripts/install", "\(dir)/prefix", "--bin", CLI.binary])
    #expect(install.status == 0, "\(install.stderr)")
    #expect(install.stdout.contains("installed \(dir)/prefix/bin/pstudio"))
    let song = Self.everyModuleSong()
    #expect(song.components(separatedBy: "import ").count - 1 >= 10)
    let work = "\(dir)/elsewhere"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    try song.write(toFile: "\(work)/all.pattern", atomically: true, encoding: .utf8)
    // Moved, then reached through a symlink in another folder.
    #expect(rename("\(dir)/prefix", "\(dir)/moved") == 0)
    try FileManager.default.createDirectory(atPath: "\(dir)/links", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: "\(dir)/links/pstudio", withDestinationPath: "\(dir)/moved/bin/pstudio")
    let clean = ["PSTUDIO_INSTRUMENTS": ""]
    let render = try await ProcessRunner.run(
      "\(dir)/links/pstudio", ["render", "all.pattern", "-o", "all.wav"], cwd: work, environment: clean)
    #expect(render.status == 0, "\(render.stderr)")
    #expect(!render.stderr.contains("stand-in") && !render.stderr.contains("warning"), "\(render.stderr)")
    let listing = try await ProcessRunner.run("\(dir)/links/pstudio", ["instruments"], cwd: work, environment: clean)
    #expect(listing.stdout.contains("instrument folders: \(dir)/moved/share/pattern-studio/Instruments"))
    // The server's commands run the installed pstudio-server beside pstudio's real path.
    let users = try await ProcessRunner.run("\(dir)/links/pstudio", ["users", "--help"], cwd: work)
    #expect(users.status == 0 && users.stdout.contains("USAGE: pstudio users"), "\(users.stdout)\(users.stderr)")
    let help = try await ProcessRunner.run("\(dir)/links/pstudio", ["help", "serve"], cwd: work)
    #expect(help.status == 0 && help.stdout.contains("--worker-memory-mb"), "\(help.stdout)\(help.stderr)")
    // Without it, the server's commands say what is missing.
    #expect(unlink("\(dir)/moved/bin/pstudio-server") == 0)
    let missing = try await ProcessRunner.run("\(dir)/links/pstudio", ["serve", "--port", "0"], cwd: work)
    #expect(missing.status == 3 && missing.stderr.contains("needs pstudio-server"), "\(missing.stderr)")
  }

  @Test("a pstudio without its library says so: at the import, in the hint and in the listing")
  func missingLibrary() async throws {
    let dir = Scratch.folder()
    try FileManager.default.createDirectory(atPath: "\(dir)/bin", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.binary, toPath: "\(dir)/bin/pstudio")
    let song = "import kit from \"drums\";\nimport bass from \"bass\";\nrhythm { kit Kick 0; }\nmelody { bass E2 0; }\n"
    try song.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let clean = ["PSTUDIO_INSTRUMENTS": ""]
    let check = try await ProcessRunner.run(
      "\(dir)/bin/pstudio", ["check", "song.pattern"], cwd: dir, environment: clean)
    #expect(check.status == 1)
    // One error for the missing module (its use folded in), naming where the library was looked for.
    #expect(check.stderr.components(separatedBy: "error:").count - 1 == 1, "\(check.stderr)")
    #expect(check.stderr.contains("unknown instrument module \"bass\""))
    #expect(
      check.stderr.contains("the instrument library was not found (looked in \(dir)/share/pattern-studio/Instruments"))
    #expect(check.stderr.contains("\"drums\" is the built-in stand-in"), "\(check.stderr)")
    let listing = try await ProcessRunner.run("\(dir)/bin/pstudio", ["instruments"], cwd: dir, environment: clean)
    #expect(listing.stdout.contains("the shipped library was not found"), "\(listing.stdout)")
  }
}
