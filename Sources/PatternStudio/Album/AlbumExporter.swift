import Foundation
import PatternAudioIO
import PatternLanguage

/// Exports an album folder: measure every track's loudness (libebur128), choose one album gain, render the
/// files (temp + rename, tagged) with their stems on request, then the playlist, cue sheet and manifest.
/// Every render goes through the one render loop with the sinks it needs.
public struct AlbumExporter: Sendable {
  public var renderer: Renderer
  public var options: AlbumOptions

  public init(renderer: Renderer, options: AlbumOptions) {
    self.renderer = renderer
    self.options = options
  }

  /// A track compiled and measured at its own gain (or why it cannot be).
  struct Measured {
    var compiled: CompiledPattern?
    var meter: LoudnessMeter?
    var sourceSha256: String
    var errors: [String]
    var title: String
    var failure: AlbumTrack.Failure? = nil
  }

  public func export(dir: String, out: String, progress: @escaping @Sendable (String) -> Void) throws -> AlbumManifest {
    let plan = try AlbumPlan.load(dir)
    try AtomicFile.createFolder(out)
    // What an export killed earlier (kill -9, power loss) left behind goes first.
    TemporaryFiles.sweep(folder: out)
    let previous = (try? Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("album.json"))))
      .flatMap { try? JSONDecoder().decode(AlbumManifest.self, from: $0) }
    let total = plan.tracks.count

    // 1. Compile and measure every track (in memory, float, the track's own gain).
    let measured = Parallel.map(count: total, jobs: options.jobs) { i in
      measure(plan.tracks[i], index: i, of: total, progress: progress)
    }
    // Silence has no loudness: a silent track is exported but takes no part in the album's measurement.
    let meters = measured.compactMap(\.meter).filter { $0.integratedLUFS.isFinite }
    let albumLufs = meters.isEmpty ? nil : LoudnessMeter.integratedLUFS(of: meters)
    // 2. One album gain to the target; the true-peak limiter on the tracks whose peaks would pass the ceiling
    // at that gain, measured after the limiter (so the files are on target).
    var albumGain = 0.0
    var limited = [Bool](repeating: false, count: total)
    var planned = [Double?](repeating: nil, count: total)
    var exported: Double? = nil
    if options.normalize, let l = albumLufs, l.isFinite {
      let usable = measured.indices.filter { measured[$0].compiled != nil && measured[$0].meter != nil }
      let songs = usable.map { i in
        (
          measured[i].compiled!,
          RenderSettings(
            format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate), threads: 1,
            masterGainDecibels: plan.tracks[i].gainDecibels + options.gainDb)
        )
      }
      let normalizer = LoudnessNormalizer(
        renderer: renderer, targetLufs: options.targetLufs, ceilingDbtp: options.truePeakCeilingDbtp)
      let p = try normalizer.plan(songs, jobs: options.jobs, ownMeters: usable.map { measured[$0].meter })
      albumGain = p.gainDecibels
      exported = Decibels.finiteHundredths(p.loudnessLufs)
      for (k, i) in usable.enumerated() {
        limited[i] = p.limited[k]
        planned[i] = p.meters[k].flatMap { Decibels.finiteHundredths($0.integratedLUFS) }
      }
    }
    let finalGain = albumGain
    let limitedFlags = limited
    let plannedLufs = planned
    let results = UncheckedShared(measured)

    // 2. Render the files (or keep up-to-date ones).
    let tracks = Parallel.map(count: total, jobs: options.jobs) { i in
      let m = results.value[i]
      var entry = AlbumTrack(
        number: i + 1, title: m.title, source: (plan.tracks[i].source as NSString).lastPathComponent, file: nil,
        status: .failed, sourceSha256: m.sourceSha256)
      guard let compiled = m.compiled else {
        entry.errors = m.errors
        entry.failure = m.failure
        return entry
      }
      let name = AlbumPlan.fileName(number: i + 1, of: total, title: m.title, ext: options.container.rawValue)
      let gain = plan.tracks[i].gainDecibels + options.gainDb + finalGain
      let ceiling = limitedFlags[i] ? options.truePeakCeilingDbtp : nil
      let key = upToDateKey(
        plan: plan, index: i, title: m.title, sha: m.sourceSha256, gain: gain, ceiling: ceiling,
        files: renderer.dependencies(of: compiled))
      let path = (out as NSString).appendingPathComponent(name)
      if !options.force, var kept = previous?.tracks.first(where: { $0.number == i + 1 }), kept.key == key,
        kept.file == name, FileManager.default.fileExists(atPath: path)
      {
        kept.status = .unchanged
        progress("[\(i + 1)/\(total)] \(m.title): unchanged")
        return kept
      }
      do {
        let stems =
          options.stems
          ? (out as NSString).appendingPathComponent("stems/\((name as NSString).deletingPathExtension)") : nil
        entry = try renderTrack(
          compiled, plan: plan, index: i, title: m.title, path: path, stems: stems, gain: gain, ceiling: ceiling)
        entry.sourceSha256 = m.sourceSha256
        // What the plan measured for this track at the album gain (after its limiter, if it has one).
        entry.targetLufs =
          plannedLufs[i] ?? m.meter.flatMap { Decibels.finiteHundredths($0.integratedLUFS + finalGain) }
        entry.file = name
        entry.key = key
        progress("[\(i + 1)/\(total)] \(m.title): \(name), \(String(format: "%.1f", entry.loudnessLufs ?? 0)) LUFS")
      } catch {
        entry.errors = ["\(error)"]
        entry.failure = RenderError.wrapping(error).isSystemFailure ? .io : .input
      }
      return entry
    }
    var manifest = AlbumManifest(
      title: plan.title, artist: plan.artist, year: plan.year, genre: plan.genre, engine: EngineVersion.current,
      targetLufs: options.normalize ? options.targetLufs : nil, albumLufs: albumLufs.map(Decibels.hundredths),
      albumGainDb: Decibels.hundredths(finalGain), truePeakCeilingDbtp: options.truePeakCeilingDbtp, tracks: tracks)
    manifest.exportedLufs = exported
    try AlbumFiles.write(manifest, to: out)
    return manifest
  }

  /// Compiles a track and measures its loudness at its own gain (float, in memory: a `LoudnessSink` only).
  private func measure(
    _ track: AlbumPlan.Track, index i: Int, of total: Int, progress: @Sendable (String) -> Void
  ) -> Measured {
    guard let source = try? SourceLoader.load(track.source) else {
      return Measured(
        sourceSha256: "", errors: ["cannot read \(track.source)"], title: AlbumPlan.title(track, song: nil),
        failure: .io)
    }
    let sha = Hex.sha256(source.bytes)
    let compiled = renderer.compile(source)
    let title = AlbumPlan.title(track, song: compiled.score)
    guard compiled.succeeded else {
      let text = DiagnosticRenderer(source: source).render(compiled.diagnostics)
      progress("[\(i + 1)/\(total)] \(title): failed")
      return Measured(
        sourceSha256: sha, errors: text.split(separator: "\n").map(String.init), title: title, failure: .input)
    }
    let settings = RenderSettings(
      format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate), threads: 1,
      masterGainDecibels: track.gainDecibels + options.gainDb)
    let loudness = LoudnessSink()
    do {
      try renderer.render(compiled, settings: settings, into: [loudness])
    } catch {
      let failure: AlbumTrack.Failure = RenderError.wrapping(error).isSystemFailure ? .io : .input
      return Measured(sourceSha256: sha, errors: ["\(error)"], title: title, failure: failure)
    }
    let meter = loudness.meter!
    let level = meter.integratedLUFS.isFinite ? String(format: "%.1f LUFS", meter.integratedLUFS) : "silent"
    progress("[\(i + 1)/\(total)] \(title): measured \(level)")
    return Measured(compiled: compiled, meter: meter, sourceSha256: sha, errors: [], title: title)
  }

  /// Everything a track's file depends on; an equal key in the previous manifest means it is up to date.
  /// It covers every file the song reads (`files`: module files and samples, by size and modification time).
  private func upToDateKey(
    plan: AlbumPlan, index i: Int, title: String, sha: String, gain: Double, ceiling: Double?, files: [String]
  ) -> String {
    let stamps = files.map { path -> String in
      var info = stat()
      guard stat(path, &info) == 0 else { return "\(path):missing" }
      return "\(path):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
    return [
      Hex.sha256(text: stamps.joined(separator: "\n")),
      sha, "\(options.container.rawValue)-\(options.encoding.rawValue)-\(options.sampleRate)",
      String(format: "%.4f", gain), ceiling.map { "limit \($0)" } ?? "no limiter", "engine \(EngineVersion.current)",
      "gap \(gapFrames(plan: plan, index: i))",
      options.instrumentsSignature,
      plan.title, plan.artist ?? "", plan.year ?? "", plan.genre ?? "", title, "\(i + 1)/\(plan.tracks.count)",
    ].joined(separator: "|")
  }

  /// One file, rendered with `gain`, tagged, hashed and measured as written — and its stems, in the same pass.
  private func renderTrack(
    _ compiled: CompiledPattern, plan: AlbumPlan, index: Int, title: String, path: String, stems: String?,
    gain: Double, ceiling: Double?
  ) throws -> AlbumTrack {
    let tags = AudioTags(
      title: title, artist: plan.artist ?? compiled.score.artist, album: plan.title,
      comment: "source sha256:\(Hex.sha256(compiled.source.bytes))", date: plan.year,
      trackNumber: "\(index + 1)/\(plan.tracks.count)", software: "Pattern Studio", genre: plan.genre)
    var settings = RenderSettings(format: options.format, threads: 1, masterGainDecibels: gain, tags: tags)
    settings.truePeakCeiling = ceiling
    let (file, hash, loudness) = (FileSink(path: path), HashSink(), LoudnessSink())
    var sinks: [any RenderSink] = [file, hash, loudness]
    if let stems { sinks.append(StemSink(folder: stems)) }
    // The gap is silence in the file itself (and so in its hash and length); loudness gates it out.
    let gap = gapFrames(plan: plan, index: index)
    let summary = try renderer.render(compiled, settings: settings, into: [SilencePadding(sinks, frames: gap)])
    let meter = loudness.meter!
    let frames = summary.frames + gap
    var track = AlbumTrack(
      number: index + 1, title: title, source: (plan.tracks[index].source as NSString).lastPathComponent,
      file: nil, status: .rendered, seconds: (Double(frames) / Double(options.sampleRate) * 1000).rounded() / 1000,
      frames: frames, pcm: hash.fingerprint!.label,
      loudnessLufs: Decibels.finiteHundredths(meter.integratedLUFS),
      truePeakDbtp: Decibels.finiteHundredths(meter.truePeakDBTP), gainDb: Decibels.hundredths(gain),
      limiterReductionDb: summary.limiterReductionDecibels.map(Decibels.hundredths), sourceSha256: "", key: nil,
      errors: nil)
    if gap > 0 { track.gapSeconds = Double(gap) / Double(options.sampleRate) }
    return track
  }

  /// Frames of silence after track `index`: its `gap` (seconds) at the export's rate; none after the last.
  private func gapFrames(plan: AlbumPlan, index: Int) -> Int64 {
    guard index < plan.tracks.count - 1 else { return 0 }
    return Int64((max(0, plan.tracks[index].gapSeconds) * Double(options.sampleRate)).rounded())
  }
}
