import Foundation
import PatternAudioIO
import PatternLanguage

/// Renders album units into a folder (a shard's, or an export's cache): `units/ID.wav` (the pre-master sum,
/// 32-bit float), its stems on request, then `units/ID.json`. Each file goes to a temporary name, is flushed
/// and renamed; the record comes last, so a killed render leaves either a complete unit or none. A unit whose
/// record and file are there and whose file still has the recorded SHA-256 is not rendered again, so a
/// retried task is cheap and two copies of one shard at once both finish with the same bytes.
struct AlbumUnitRenderer {
  var renderer: Renderer
  var options: AlbumOptions

  /// Renders `indices` of `plan` into `folder`; one record per index, in order.
  func render(
    _ plan: AlbumUnitPlan, indices: [Int], into folder: String, progress: @escaping @Sendable (String) -> Void
  ) throws -> [AlbumUnitRecord] {
    try prepare(folder)
    let shared = UncheckedShared(plan)
    return Parallel.map(count: indices.count, jobs: options.jobs) { k in
      render(shared.value, index: indices[k], folder: folder, progress: progress)
    }
  }

  /// Creates `folder`'s `units/` and removes what a killed render left there; before any `render(_:index:…)`.
  func prepare(_ folder: String) throws {
    try AtomicFile.createFolder((folder as NSString).appendingPathComponent("units"))
    TemporaryFiles.sweep(folder: (folder as NSString).appendingPathComponent("units"))
  }

  /// Renders unit `i` of `plan` into `folder` (prepared) and returns its record.
  ///
  /// - Parameter sealer: where a rendered unit's file is hashed and its record written, later (a one-machine
  ///   export: `UnitSealer`); nil does both here.
  func render(
    _ plan: AlbumUnitPlan, index i: Int, folder: String, sealer: UnitSealer? = nil,
    progress: @Sendable (String) -> Void
  ) -> AlbumUnitRecord {
    let unit = plan.units[i]
    let tag = "[\(unit.number)/\(plan.units.count)] \(unit.title)"
    let paths = AlbumUnitRecord.paths(unit.unitId)
    let recordPath = (folder as NSString).appendingPathComponent(paths.record)
    if !options.force, let kept = Self.cached(recordPath, unitId: unit.unitId, folder: folder) {
      progress("\(tag): unit up to date")
      return kept
    }
    var record = AlbumUnitRecord(unitId: unit.unitId, song: unit.song, frames: 0)
    let floatSettings = RenderSettings(
      format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate), threads: 1)
    let compiled = plan.compiled[i]
    if let why = plan.unreadable[i] {
      // Not recorded: a file that could not be read may be readable on the next try.
      record.errors = [why]
      record.failure = .io
      progress("\(tag): failed")
      return record
    }
    if !compiled.succeeded {
      record.errors = DiagnosticRenderer(source: compiled.source).render(compiled.diagnostics)
        .split(separator: "\n").map(String.init)
      record.failure = .input
      progress("\(tag): failed")
    } else if !renderer.canFinishFromPreMaster(compiled) {
      record.wholeSong = true
      // Its stems still come from here (they are before the master stage anyway).
      if options.stems {
        let stems = StemSink(folder: (folder as NSString).appendingPathComponent(paths.stems))
        do {
          _ = try renderer.renderPreMaster(compiled, settings: floatSettings, into: [stems])
          record.stems = stems.paths.map { paths.stems + "/" + ($0 as NSString).lastPathComponent }
        } catch {
          record.errors = ["\(error)"]
          record.failure = RenderError.wrapping(error).isSystemFailure ? .io : .input
          return record
        }
      }
      progress("\(tag): keyed master chain, rendered whole at the merge")
    } else {
      let settings = floatSettings
      let audio = (folder as NSString).appendingPathComponent(paths.audio)
      let stems = options.stems ? StemSink(folder: (folder as NSString).appendingPathComponent(paths.stems)) : nil
      do {
        // Through the page cache: the unit is read back soon (its own loudness at once, the plan round, its
        // SHA-256), from memory rather than from the disk.
        let file = FileSink(path: audio, throughPageCache: true)
        let (_, frames, limitedFrames) = try renderer.renderPreMaster(
          compiled, settings: settings, into: [file] + (stems.map { [$0] } ?? []))
        record.frames = frames
        record.limitedFrames = limitedFrames
        record.file = paths.audio
        record.stems = stems.map { $0.paths.map { paths.stems + "/" + ($0 as NSString).lastPathComponent } }
        if let sealer {
          progress("\(tag): unit rendered")
          sealer.add(record, audio: audio, recordPath: recordPath)
          return record
        }
        record.sha256 = try Self.sha256(ofFile: audio)
        progress("\(tag): unit rendered")
      } catch {
        record.errors = ["\(error)"]
        record.failure = RenderError.wrapping(error).isSystemFailure ? .io : .input
        progress("\(tag): failed")
        if record.failure == .io { return record }
      }
    }
    do {
      try AtomicFile.write(text: try StableJSON.text(record), to: recordPath)
    } catch {
      record.errors = (record.errors ?? []) + ["\(error)"]
      record.failure = .io
    }
    return record
  }

  /// The record at `path` if it is for `unitId` and its audio file (if any) still has the recorded SHA-256.
  static func cached(_ path: String, unitId: String, folder: String) -> AlbumUnitRecord? {
    guard let data = FileManager.default.contents(atPath: path),
      let record = try? JSONDecoder().decode(AlbumUnitRecord.self, from: data), record.unitId == unitId,
      record.failure != .io
    else { return nil }
    if let file = record.file {
      guard let sha = try? sha256(ofFile: (folder as NSString).appendingPathComponent(file)), sha == record.sha256
      else { return nil }
    }
    for stem in record.stems ?? [] where !FileManager.default.fileExists(atPath: "\(folder)/\(stem)") { return nil }
    return record
  }

  /// SHA-256 of a file's bytes (hex), read through a mapping (`.alwaysMapped` maps; `.mappedIfSafe` copied a
  /// unit's tens of megabytes through `read`).
  static func sha256(ofFile path: String) throws -> String {
    Hex.sha256(try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
  }
}
