import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternStudio

/// `pstudio`: render pattern files to audio, and inspect them.
///
/// Exit codes: 0 success, 1 errors in the input (diagnostics printed), 2 usage error, 3 I/O failure.
@main
struct PStudio: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pstudio",
    abstract: "Pattern Studio: render pattern files to WAV or FLAC.",
    version: "0.1.0",
    subcommands: [
      Render.self, MIDI.self, Import.self, Album.self, Hash.self, Verify.self, Parse.self, Check.self, Events.self,
      Instruments.self, Play.self, Serve.self, Users.self,
    ]
  )

  /// Like ArgumentParser's `main`, but usage errors exit with 2 (not EX_USAGE 64), as documented.
  static func main() {
    ProcessClock.start()
    // A command that compiles one song and exits makes room ahead for a large one and keeps what it frees
    // (`HeapReserve`); a watcher, the player, an album's or the golden suite's many songs and the server do not.
    let arguments = CommandLine.arguments.dropFirst()
    if ["check", "render", "parse", "events", "midi", "hash"].contains(arguments.first ?? ""),
      !arguments.contains("--watch")
    {
      HeapReserve.enable()
    }
    // An interrupted render or export leaves no temporary file behind.
    TemporaryFiles.removeOnSignals()
    QuickStart.runIfPlain(CommandLine.arguments.dropFirst())
    parseAndRun()
  }
}

/// Loads a source or exits with code 3.
func loadSource(_ path: String) throws -> SourceFile {
  do {
    return try SourceLoader.load(path)
  } catch {
    printError("pstudio: \(error)")
    throw Exit.io
  }
}

/// Prints diagnostics to stderr (with carets) and returns whether any is an error.
@discardableResult
func report(_ diagnostics: [Diagnostic], source: SourceFile) -> Bool {
  if !diagnostics.isEmpty { printError(DiagnosticRenderer(source: source).render(diagnostics)) }
  return diagnostics.hasErrors
}

/// Whether two paths name the same file: the same device and inode when both exist, else the same absolute
/// path. Outputs must never be an input of the same command (`render g.pattern --midi g.pattern`).
func sameFile(_ a: String, _ b: String) -> Bool {
  var sa = stat()
  var sb = stat()
  if stat(a, &sa) == 0 && stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
  let cwd = FileManager.default.currentDirectoryPath
  func absolute(_ p: String) -> String {
    (p.hasPrefix("/") ? URL(fileURLWithPath: p) : URL(fileURLWithPath: cwd).appendingPathComponent(p)).standardized.path
  }
  return absolute(a) == absolute(b)
}

/// A usage error when any two of `paths` (inputs and outputs of one command) are the same file.
func refuseOverlap(input: String, outputs: [(flag: String, path: String)]) throws {
  for (i, out) in outputs.enumerated() {
    if input != "-" && sameFile(input, out.path) {
      throw ValidationError("\(out.flag) \(out.path) is the input file: it would be overwritten")
    }
    for other in outputs[..<i] where sameFile(other.path, out.path) {
      throw ValidationError("\(other.flag) and \(out.flag) name the same file (\(out.path))")
    }
  }
}
