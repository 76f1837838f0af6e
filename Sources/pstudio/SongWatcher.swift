import Foundation
import PStudioCLI
import PatternLanguage
import PatternStudio

/// `--watch`: does a command's work now, and again whenever the song, a file of an instrument it plays (module,
/// samples, SoundFont) or an instrument folder (a module added, removed or renamed) changes. Errors are printed
/// by the work itself and watching goes on; Ctrl-C ends it.
struct SongWatcher {
  var input: String
  /// The command's `--instruments` folders.
  var folders: [String]
  var watcher = FileWatcher()

  /// Never returns: the process ends on a signal.
  /// `work` gets the song compiled once (the watcher reads its dependencies from the same compile).
  func run(_ work: (CompiledPattern, Renderer) throws -> Void) -> Never {
    var dependencies: [String] = []
    var announced: [String] = []
    while true {
      let searchPath = InstrumentSearchPath.standard(extra: folders)
      let watchedFolders = searchPath.folders.flatMap { [$0, ($0 as NSString).appendingPathComponent("samples")] }
      // Stamps from before the library is read and the work done, so a save meanwhile is noticed afterwards.
      var before = FileWatcher.snapshot([input] + dependencies + watchedFolders)
      // The instrument library is loaded again (a cache hit unless a file of it changed).
      let renderer = Renderer(instruments: searchPath)
      if let source = try? SourceLoader.load(input) {
        let compiled = renderer.compile(source)
        try? work(compiled, renderer)
        // A song with errors keeps the previous dependencies (its instruments did not go away).
        if compiled.succeeded { dependencies = renderer.dependencies(of: compiled) }
      } else {
        printError("pstudio: cannot read \(input); waiting for it to appear")
      }
      let paths = Array(Set([input] + dependencies + watchedFolders)).sorted()
      let now = FileWatcher.snapshot(paths)
      before = Dictionary(uniqueKeysWithValues: paths.map { ($0, before[$0] ?? now[$0]!) })
      if paths != announced {
        printError("pstudio: watching \(input) and \(paths.count - 1) instrument files and folders (Ctrl-C stops)")
        announced = paths
      }
      var changed: [String] = []
      while changed.isEmpty { changed = watcher.waitForChange(paths, since: before) ?? [] }
      let names = changed.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
      printError("pstudio: \(names)\(changed.count > 3 ? " …" : "") changed")
    }
  }
}
