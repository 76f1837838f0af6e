import Foundation
import Glibc
import PatternAudioIO
import PatternLanguage

/// Runs `verify` over songs: finds them, finds their golden files, renders, compares, updates.
public struct GoldenSuite: Sendable {
  public enum Status: String, Sendable {
    case passed, failed, created, updated, unchanged
    /// The song has errors, or no golden file to compare with.
    case error
  }

  /// What the user can do about an `.error` outcome (the caller words it for its own interface).
  public enum Remedy: Sendable {
    /// There is no golden file: create it (`update`).
    case createGolden
    /// The golden file cannot be read: rewrite it (`update`).
    case rewriteGolden
  }

  public struct Outcome: Sendable {
    public var song: String
    public var golden: String
    public var status: Status
    public var lines: [String]
    public var seconds: Double
    public var remedy: Remedy? = nil
    /// The outcome failed on a file (a golden file that could not be written, a song that could not be read).
    public var ioFailure = false
  }

  public var update: Bool
  /// Settings for golden files created by `update` (existing ones keep their own).
  public var defaults: GoldenSettings
  /// Compiles and renders every song (its catalog decides which instrument modules songs can import).
  public var renderer: Renderer

  public init(update: Bool = false, defaults: GoldenSettings = GoldenSettings(), renderer: Renderer = Renderer()) {
    self.update = update
    self.defaults = defaults
    self.renderer = renderer
  }

  /// The `.pattern` files named, or found (recursively) in the folders named; sorted, without duplicates.
  public static func songs(in paths: [String]) throws -> [String] {
    var found: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
        throw AudioIOError(.read, path: path, errno: ENOENT)
      }
      if !isDir.boolValue {
        found.append(path)
        continue
      }
      guard let walker = fm.enumerator(atPath: path) else { continue }
      for case let relative as String in walker where relative.hasSuffix(".pattern") {
        found.append((path as NSString).appendingPathComponent(relative))
      }
    }
    return Array(Set(found)).sorted()
  }

  /// `song.golden.json` beside the song, or in a `golden/` folder beside it when that holds one (or exists).
  public static func goldenPath(for song: String) -> String {
    let url = URL(fileURLWithPath: song)
    let name = url.deletingPathExtension().lastPathComponent + ".golden.json"
    let folder = url.deletingLastPathComponent()
    let beside = folder.appendingPathComponent(name).path
    let inFolder = folder.appendingPathComponent("golden").appendingPathComponent(name).path
    if FileManager.default.fileExists(atPath: beside) { return beside }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: inFolder)
      || FileManager.default.fileExists(atPath: folder.appendingPathComponent("golden").path, isDirectory: &isDir)
        && isDir.boolValue
    {
      return inFolder
    }
    return beside
  }

  /// Verifies (or updates) one song.
  public func run(song: String) -> Outcome {
    let goldenPath = Self.goldenPath(for: song)
    var outcome = Outcome(song: song, golden: goldenPath, status: .error, lines: [], seconds: 0)
    let source: SourceFile
    do {
      source = try SourceLoader.load(song)
    } catch {
      outcome.lines = ["\(error)"]
      outcome.ioFailure = true
      return outcome
    }
    let compiled = renderer.compile(source)
    guard compiled.succeeded else {
      outcome.lines = DiagnosticRenderer(source: source).render(compiled.diagnostics).split(separator: "\n").map(
        String.init)
      return outcome
    }
    let existing = try? GoldenRecord.read(path: goldenPath)
    if existing == nil && FileManager.default.fileExists(atPath: goldenPath) && !update {
      outcome.lines = ["\(goldenPath) is not a valid golden file"]
      outcome.remedy = .rewriteGolden
      return outcome
    }
    guard existing != nil || update else {
      outcome.lines = ["no golden file \(goldenPath)"]
      outcome.remedy = .createGolden
      return outcome
    }
    let name = URL(fileURLWithPath: song).lastPathComponent
    do {
      let current = try renderer.golden(compiled, source: name, settings: existing?.settings ?? defaults)
      outcome.seconds = current.seconds
      let lines = existing.map { GoldenDiff.explain(golden: $0, current: current, compiled: compiled) } ?? []
      if update {
        if existing == nil || existing != current {
          try AtomicFile.createFolder(TemporaryFiles.folder(of: goldenPath))
          TemporaryFiles.sweep(folder: TemporaryFiles.folder(of: goldenPath))
          try AtomicFile.write(text: try current.jsonText(), to: goldenPath)
          outcome.status = existing == nil ? .created : .updated
          outcome.lines =
            existing == nil ? ["wrote \(goldenPath)"] : lines.isEmpty ? ["rewrote \(goldenPath) (format only)"] : lines
        } else {
          outcome.status = .unchanged
        }
      } else {
        outcome.status = lines.isEmpty ? .passed : .failed
        outcome.lines = lines
      }
    } catch {
      outcome.lines = ["\(error)"]
      // A file that could not be read or written is the system's failure, not the song's.
      if error is AudioIOError || { if case RenderError.io = error { true } else { false } }() {
        outcome.ioFailure = true
      }
    }
    return outcome
  }

  /// Runs every song on `jobs` threads; results come back in the songs' order whatever the scheduling.
  public func run(songs: [String], jobs: Int, each: (@Sendable (Outcome) -> Void)? = nil) -> [Outcome] {
    Parallel.map(count: songs.count, jobs: jobs) { i in
      let outcome = run(song: songs[i])
      each?(outcome)
      return outcome
    }
  }
}
