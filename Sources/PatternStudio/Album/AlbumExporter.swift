import Crypto
import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// How an album is exported.
public struct AlbumOptions: Sendable {
  public var container: AudioContainer = .flac
  public var encoding: SampleEncoding = .pcm16
  public var sampleRate = 48_000
  /// Tracks rendered at once (results never depend on it).
  public var jobs = 2
  /// Album loudness to reach, LUFS, unless the true-peak ceiling stops it first.
  public var targetLUFS = -14.0
  public var truePeakCeiling = -1.0
  public var normalize = true
  public var stems = false
  /// Render every track even when its output is up to date.
  public var force = false
  /// Changes whenever an instrument file changes (part of each track's up-to-date key).
  public var instrumentsSignature = ""
  public init() {}
}

/// One track of an export, as the manifest records it.
public struct AlbumTrack: Codable, Sendable, Equatable {
  public var number: Int
  public var title: String
  public var source: String
  public var file: String?
  /// rendered, unchanged (skipped: up to date) or failed.
  public var status: String
  public var seconds: Double?
  public var frames: Int64?
  public var pcm: String?
  /// The loudness this track should have: its own (measured before the album gain) + the album gain.
  public var targetLUFS: Double?
  /// Integrated loudness and true peak of the file as written.
  public var loudnessLUFS: Double?
  public var truePeakDBTP: Double?
  /// Gain applied (track gain + album gain), dB.
  public var gainDB: Double?
  public var sourceSHA256: String
  /// Everything the file depends on; equal keys mean the file is up to date.
  public var key: String?
  public var errors: [String]?
}

/// The export's manifest (`album.json` in the output folder).
public struct AlbumManifest: Codable, Sendable {
  public var title: String
  public var artist: String?
  public var year: String?
  public var genre: String?
  public var engine: Int
  public var targetLUFS: Double?
  public var albumLUFS: Double?
  public var albumGainDB: Double
  public var truePeakCeilingDBTP: Double
  public var tracks: [AlbumTrack]
}

/// Exports an album folder: measure every track's loudness (libebur128), choose one album gain, render the
/// files (temp + rename, tagged), stems on request, playlist, cue sheet and manifest.
public struct AlbumExporter: Sendable {
  public var renderer: Renderer
  public var options: AlbumOptions

  public init(renderer: Renderer, options: AlbumOptions) {
    self.renderer = renderer
    self.options = options
  }

  public func export(dir: String, out: String, progress: @escaping @Sendable (String) -> Void) throws -> AlbumManifest {
    let plan = try AlbumPlan.load(dir)
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let previous = (try? Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("album.json"))))
      .flatMap { try? JSONDecoder().decode(AlbumManifest.self, from: $0) }
    let total = plan.tracks.count
    let jobs = max(1, min(options.jobs, total))

    // 1. Compile and measure every track (in memory, float, the track's own gain).
    let measured = Box<(CompiledPattern?, LoudnessMeter?, String, [String], String)>(count: total)
    DispatchQueue.concurrentPerform(iterations: jobs) { worker in
      for i in stride(from: worker, to: total, by: jobs) {
        let track = plan.tracks[i]
        guard let source = try? SourceLoader.load(track.source) else {
          measured.set(i, (nil, nil, "", ["cannot read \(track.source)"], AlbumPlan.title(track, song: nil)))
          continue
        }
        let sha = SHA256.hash(data: Data(source.bytes)).map { String(format: "%02x", $0) }.joined()
        let compiled = renderer.compile(source)
        let title = AlbumPlan.title(track, song: compiled.score)
        guard compiled.succeeded else {
          let text = DiagnosticRenderer(source: source).render(compiled.diagnostics)
          measured.set(i, (nil, nil, sha, text.split(separator: "\n").map(String.init), title))
          progress("[\(i + 1)/\(total)] \(title): failed")
          continue
        }
        let meter = LoudnessMeter(sampleRate: options.sampleRate)
        var o = RenderOptions(format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate))
        o.masterGainDecibels = track.gainDecibels
        o.threads = 1
        do {
          _ = try renderer.render(compiled, options: o) { chunk in
            if case .float32(let b) = chunk { meter.add(b) }
          }
          measured.set(i, (compiled, meter, sha, [], title))
          progress("[\(i + 1)/\(total)] \(title): measured \(String(format: "%.1f", meter.integratedLUFS)) LUFS")
        } catch {
          measured.set(i, (nil, nil, sha, ["\(error)"], title))
        }
      }
    }
    let results = measured.all
    let meters = results.compactMap(\.1)
    let albumLUFS = meters.isEmpty ? nil : LoudnessMeter.integratedLUFS(of: meters)
    let peak = meters.map(\.truePeakDBTP).max() ?? -.infinity
    var albumGain = 0.0
    if options.normalize, let l = albumLUFS, l.isFinite {
      albumGain = min(options.targetLUFS - l, options.truePeakCeiling - peak)
    }
    let finalGain = (albumGain * 100).rounded() / 100
    let compiledTracks = UncheckedResults(results)

    // 2. Render the files (or keep up-to-date ones).
    let rendered = Box<AlbumTrack>(count: total)
    DispatchQueue.concurrentPerform(iterations: jobs) { worker in
      for i in stride(from: worker, to: total, by: jobs) {
        let track = plan.tracks[i]
        let (compiled, meter, sha, errors, title) = compiledTracks.items[i]
        var entry = AlbumTrack(
          number: i + 1, title: title, source: (track.source as NSString).lastPathComponent, file: nil,
          status: "failed", sourceSHA256: sha)
        guard let compiled else {
          entry.errors = errors
          rendered.set(i, entry)
          continue
        }
        let ext = options.container.rawValue
        let name = AlbumPlan.fileName(number: i + 1, of: total, title: title, ext: ext)
        let gain = track.gainDecibels + finalGain
        let key = [
          sha, "\(options.container.rawValue)-\(options.encoding.rawValue)-\(options.sampleRate)",
          String(format: "%.2f", gain), "engine \(EngineVersion.current)", options.instrumentsSignature,
          plan.title, plan.artist ?? "", plan.year ?? "", title, "\(i + 1)/\(total)",
        ].joined(separator: "|")
        let path = (out as NSString).appendingPathComponent(name)
        if !options.force, let old = previous?.tracks.first(where: { $0.number == i + 1 }), old.key == key,
          old.file == name, FileManager.default.fileExists(atPath: path)
        {
          var kept = old
          kept.status = "unchanged"
          rendered.set(i, kept)
          progress("[\(i + 1)/\(total)] \(title): unchanged")
          continue
        }
        do {
          entry = try renderTrack(compiled, plan: plan, index: i, title: title, path: path, gain: gain, sha: sha)
          entry.targetLUFS = meter.map { (($0.integratedLUFS + finalGain) * 100).rounded() / 100 }
          entry.file = name
          entry.key = key
          if options.stems {
            try renderStems(
              compiled, frames: entry.frames ?? 0,
              dir: (out as NSString).appendingPathComponent("stems/\((name as NSString).deletingPathExtension)"))
          }
          rendered.set(i, entry)
          progress(
            "[\(i + 1)/\(total)] \(title): \(name), \(String(format: "%.1f", entry.loudnessLUFS ?? 0)) LUFS")
        } catch {
          entry.errors = ["\(error)"]
          rendered.set(i, entry)
        }
      }
    }
    let manifest = AlbumManifest(
      title: plan.title, artist: plan.artist, year: plan.year, genre: plan.genre, engine: EngineVersion.current,
      targetLUFS: options.normalize ? options.targetLUFS : nil,
      albumLUFS: albumLUFS.map { ($0 * 100).rounded() / 100 }, albumGainDB: finalGain,
      truePeakCeilingDBTP: options.truePeakCeiling, tracks: rendered.all)
    try AlbumFiles.write(manifest, to: out)
    return manifest
  }

  /// One file: rendered with `gain`, tagged, hashed and measured as written.
  private func renderTrack(
    _ compiled: CompiledPattern, plan: AlbumPlan, index: Int, title: String, path: String, gain: Double,
    sha: String
  ) throws -> AlbumTrack {
    let format = AudioFormat(container: options.container, encoding: options.encoding, sampleRate: options.sampleRate)
    let tags = AudioTags(
      title: title, artist: plan.artist ?? compiled.score.artist, album: plan.title,
      comment: "source sha256:\(sha)", date: plan.year, trackNumber: "\(index + 1)/\(plan.tracks.count)",
      software: "Pattern Studio")
    let writer = try AudioFileWriter(path: path, format: format, tags: tags)
    var hasher = PCMHasher(encoding: options.encoding, sampleRate: options.sampleRate)
    let meter = LoudnessMeter(sampleRate: options.sampleRate)
    var options = RenderOptions(format: format, threads: 1, masterGainDecibels: gain)
    options.tags = tags
    var scratch: [Float] = []
    let summary = try renderer.render(compiled, options: options) { chunk in
      hasher.add(chunk)
      switch chunk {
      case .int16(let b):
        try writer.write(b)
        scratch = b.map { Float($0) / 32_768 }
      case .int24(let b):
        try writer.write(b)
        scratch = b.map { Float($0 >> 8) / 8_388_608 }
      case .float32(let b):
        try writer.write(b)
        scratch = Array(b)
      }
      scratch.withUnsafeBufferPointer { meter.add($0) }
    }
    try writer.finish()
    let print = hasher.finish()
    return AlbumTrack(
      number: index + 1, title: title,
      source: (plan.tracks[index].source as NSString).lastPathComponent,
      file: nil, status: "rendered", seconds: (summary.durationSeconds * 1000).rounded() / 1000, frames: summary.frames,
      pcm: print.label, loudnessLUFS: (meter.integratedLUFS * 100).rounded() / 100,
      truePeakDBTP: (meter.truePeakDBTP * 100).rounded() / 100, gainDB: gain, sourceSHA256: sha, key: nil,
      errors: nil)
  }

  /// One float WAV per track (block) of the song, before the master stage: they add up to the mix.
  private func renderStems(_ compiled: CompiledPattern, frames: Int64, dir: String) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (t, track) in compiled.score.tracks.enumerated() {
      var o = RenderOptions(format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate))
      o.soloTrack = t
      o.bypassMaster = true
      o.minimumFrames = frames
      o.threads = 1
      let name = String(format: "%02d - ", t + 1) + track.name + ".wav"
      _ = try renderer.render(compiled, to: (dir as NSString).appendingPathComponent(name), options: o)
    }
  }
}

/// Read-only results shared with the render workers (the meters are no longer written).
final class UncheckedResults<T>: @unchecked Sendable {
  let items: [T]
  init(_ items: [T]) { self.items = items }
}

/// Values written from several threads, read back in order.
final class Box<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T?]
  init(count: Int) { items = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: T) { lock.withLock { items[i] = value } }
  var all: [T] { lock.withLock { items.compactMap { $0 } } }
}
