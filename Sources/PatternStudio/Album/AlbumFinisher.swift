import Foundation
import PatternAudioIO
import PatternLanguage

/// The second half of every album export, on one machine or as `--merge`: from each unit's pre-master sum,
/// measure every track's loudness (libebur128), choose one album gain, and write the files (temp + rename,
/// tagged), the stems, the playlist, the cue sheet and the manifest. Nothing here synthesises a note (but for
/// a song whose master chain is keyed to a track, rendered whole), so where the units were rendered never
/// changes a bit.
struct AlbumFinisher {
  var renderer: Renderer
  var options: AlbumOptions

  /// Per unit: its record and the folder it is in (nil: missing, which only `--allow-partial` lets through).
  struct Input {
    var record: AlbumUnitRecord?
    var folder: String?
  }

  /// - Parameters:
  ///   - ownMeters: each unit already measured at its own gain (`measureOwn`, right after its unit was
  ///     rendered); nil measures them here.
  ///   - sealer: the export's units still to hash: a job that finished its tracks of a plan round while another
  ///     has not hashes them, and what is left starts on threads of its own when the rounds end (the files are
  ///     then committed and the album's files written, waiting mostly on the disk).
  func finish(
    _ plan: AlbumUnitPlan, inputs: [Input], out: String, ownMeters: [LoudnessMeter?]? = nil,
    sealer: UnitSealer? = nil, progress: @escaping @Sendable (String) -> Void
  ) throws -> AlbumManifest {
    try AtomicFile.createFolder(out)
    // What an export killed earlier (kill -9, power loss) left behind goes first.
    TemporaryFiles.sweep(folder: out)
    let previous = FileManager.default.contents(atPath: (out as NSString).appendingPathComponent("album.json"))
      .flatMap { try? JSONDecoder().decode(AlbumManifest.self, from: $0) }
    let total = plan.units.count
    let shared = UncheckedShared((plan, inputs))
    let options = self.options
    let held = AlbumHeldFiles(count: total)
    defer { held.discardAll() }
    // A plan round's render of a track also writes its file (held), where the file is to be written anyway.
    let measure: @Sendable (Int, Double, Double?) -> LoudnessMeter? = { i, gain, ceiling in
      let (plan, inputs) = shared.value
      let fileGain = plan.folder.tracks[i].gainDecibels + options.gainDb + gain
      let path = (out as NSString).appendingPathComponent(plan.units[i].output)
      if self.upToDate(previous, plan, index: i, gain: fileGain, ceiling: ceiling, path: path) == nil,
        let (track, sink, meter) = try? self.write(
          plan, inputs, index: i, path: path, gain: fileGain, ceiling: ceiling, holding: true)
      {
        held.hold(.init(gain: fileGain, ceiling: ceiling, sink: sink, track: track), track: i)
        return meter
      }
      return self.measure(plan, inputs[i], index: i, gain: gain, ceiling: ceiling)
    }
    // 1. Every track at its own gain.
    let own =
      ownMeters
      ?? Parallel.map(count: total, jobs: options.jobs) { i -> LoudnessMeter? in
        measureOwn(shared.value.0, shared.value.1[i], index: i, progress: progress)
      }
    // Silence has no loudness: a silent track is exported but takes no part in the album's measurement.
    let meters = own.compactMap { $0 }.filter { $0.integratedLUFS.isFinite }
    let albumLufs = meters.isEmpty ? nil : LoudnessMeter.integratedLUFS(of: meters)
    // 2. One album gain to the target; the true-peak limiter on the tracks whose peaks would pass the ceiling
    // at that gain, measured after the limiter (so the files are on target).
    var albumGain = 0.0
    var limited = [Bool](repeating: false, count: total)
    var planned = [Double?](repeating: nil, count: total)
    var exported: Double? = nil
    if options.normalize, let l = albumLufs, l.isFinite {
      let usableIndices = own.indices.filter { own[$0] != nil }
      let normalizer = LoudnessNormalizer(
        renderer: renderer, targetLufs: options.targetLufs, ceilingDbtp: options.truePeakCeilingDbtp)
      let p = normalizer.plan(
        count: usableIndices.count, jobs: options.jobs, ownMeters: usableIndices.map { own[$0] },
        masterChains: usableIndices.contains { !plan.compiled[$0].score.master.isEmpty },
        whenIdle: sealer.map { sealer in { @Sendable in sealer.hash(while: $0) } }
      ) { k, gain, ceiling in measure(usableIndices[k], gain, ceiling) }
      albumGain = p.gainDecibels
      exported = Decibels.finiteHundredths(p.loudnessLufs)
      for (k, i) in usableIndices.enumerated() {
        limited[i] = p.limited[k]
        planned[i] = p.meters[k].flatMap { Decibels.finiteHundredths($0.integratedLUFS) }
      }
    }
    sealer?.start(jobs: options.jobs)
    let (finalGain, limitedFlags, plannedLufs) = (albumGain, limited, planned)
    let ownMeters = UncheckedShared(own)
    // 3. The files (or keep up-to-date ones).
    let tracks = Parallel.map(count: total, jobs: options.jobs) { i -> AlbumTrack in
      let (plan, inputs) = shared.value
      let unit = plan.units[i]
      var entry = AlbumTrack(
        number: i + 1, title: unit.title, source: unit.song, file: nil, status: .failed,
        sourceSha256: plan.sourceSha256[i])
      guard let record = inputs[i].record else {
        entry.errors = ["its unit \(unit.unitId.prefix(12)) was not among the merged folders"]
        entry.failure = .missing
        return entry
      }
      guard record.failure == nil, ownMeters.value[i] != nil else {
        entry.errors = record.errors ?? ["the unit could not be measured"]
        entry.failure = record.failure ?? .input
        return entry
      }
      let gain = plan.folder.tracks[i].gainDecibels + options.gainDb + finalGain
      let ceiling = limitedFlags[i] ? options.truePeakCeilingDbtp : nil
      let key = upToDateKey(plan, index: i, gain: gain, ceiling: ceiling)
      let path = (out as NSString).appendingPathComponent(unit.output)
      if var kept = upToDate(previous, plan, index: i, gain: gain, ceiling: ceiling, path: path) {
        kept.status = .unchanged
        progress("[\(i + 1)/\(total)] \(unit.title): unchanged")
        return kept
      }
      do {
        if let file = held.take(track: i, gain: gain, ceiling: ceiling) {
          try file.sink.commit()
          entry = file.track
        } else {
          entry = try write(plan, inputs, index: i, path: path, gain: gain, ceiling: ceiling).track
        }
        if options.stems, let folder = inputs[i].folder {
          try copyStems(
            record.stems ?? [], from: folder, to: "\(out)/stems/\((unit.output as NSString).deletingPathExtension)")
        }
        entry.sourceSha256 = plan.sourceSha256[i]
        // What the plan measured for this track at the album gain (after its limiter, if it has one).
        entry.targetLufs =
          plannedLufs[i] ?? ownMeters.value[i].flatMap { Decibels.finiteHundredths($0.integratedLUFS + finalGain) }
        entry.file = unit.output
        entry.key = key
        progress(
          "[\(i + 1)/\(total)] \(unit.title): \(unit.output), \(String(format: "%.1f", entry.loudnessLufs ?? 0)) LUFS")
      } catch {
        entry.errors = ["\(error)"]
        entry.failure = RenderError.wrapping(error).isSystemFailure ? .io : .input
      }
      return entry
    }
    let folder = plan.folder
    var manifest = AlbumManifest(
      title: folder.title, artist: folder.artist, year: folder.year, genre: folder.genre,
      engine: EngineVersion.current, targetLufs: options.normalize ? options.targetLufs : nil,
      albumLufs: albumLufs.map(Decibels.hundredths), albumGainDb: Decibels.hundredths(finalGain),
      truePeakCeilingDbtp: options.truePeakCeilingDbtp, tracks: tracks)
    manifest.exportedLufs = exported
    manifest.planHash = plan.planHash
    try AlbumFiles.write(manifest, to: out)
    return manifest
  }

  /// Unit `i` (its `input`) at its own gain, with no limiter (nil when it failed or cannot be measured), and its
  /// progress line. What the album's gain is planned from.
  func measureOwn(
    _ plan: AlbumUnitPlan, _ input: Input, index i: Int, progress: @Sendable (String) -> Void
  ) -> LoudnessMeter? {
    guard input.record != nil && input.record?.failure == nil else { return nil }
    let meter = measure(plan, input, index: i, gain: 0, ceiling: nil)
    let level = meter.map { $0.integratedLUFS.isFinite ? String(format: "%.1f LUFS", $0.integratedLUFS) : "silent" }
    progress("[\(i + 1)/\(plan.units.count)] \(plan.units[i].title): measured \(level ?? "failed")")
    return meter
  }

  /// Unit `i`'s loudness at `gain` dB on top of its own and the limiter at `ceiling` (nil: none), measured in
  /// memory (float); nil when it cannot be rendered.
  private func measure(
    _ plan: AlbumUnitPlan, _ input: Input, index i: Int, gain: Double, ceiling: Double?
  ) -> LoudnessMeter? {
    var settings = RenderSettings(
      format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate), threads: 1,
      masterGainDecibels: plan.folder.tracks[i].gainDecibels + options.gainDb + gain)
    settings.truePeakCeiling = ceiling
    // With the limiter on, the plan reads only loudness (the limiter holds the peaks).
    let sink = LoudnessSink(truePeak: ceiling == nil)
    guard (try? render(plan, input, i, settings: settings, into: [sink])) != nil else { return nil }
    return sink.meter
  }

  /// Finishes unit `i` (`input`; or renders its song whole) with `settings` into `sinks`.
  private func render(
    _ plan: AlbumUnitPlan, _ input: Input, _ i: Int, settings: RenderSettings, into sinks: [any RenderSink]
  ) throws -> RenderSummary {
    guard let record = input.record, let folder = input.folder else {
      throw RenderError.io(AudioIOError(.open, path: plan.units[i].unitId, errno: ENOENT))
    }
    let compiled = plan.compiled[i]
    guard let file = record.file, record.wholeSong != true else {
      return try renderer.render(compiled, settings: settings, into: sinks)
    }
    let path = (folder as NSString).appendingPathComponent(file)
    let frames = settings.truePeakCeiling == nil ? record.frames : record.limitedFrames ?? record.frames
    // Our units are plain float WAVs: mapped, not read (no copy, the same floats).
    if let mapped = MappedFloatWAV(path: path), mapped.channels == 2 {
      return try withExtendedLifetime(mapped) {
        try renderer.finish(mapped.samples, frames: frames, of: compiled, settings: settings, into: sinks)
      }
    }
    return try AudioFileReader.readFloat(path: path).samples.withUnsafeBufferPointer {
      try renderer.finish($0, frames: frames, of: compiled, settings: settings, into: sinks)
    }
  }

  /// Track `i`'s entry in the previous manifest if its file at `path` is up to date for `gain` and `ceiling`.
  private func upToDate(
    _ previous: AlbumManifest?, _ plan: AlbumUnitPlan, index i: Int, gain: Double, ceiling: Double?, path: String
  ) -> AlbumTrack? {
    guard !options.force, let kept = previous?.tracks.first(where: { $0.number == i + 1 }),
      kept.key == upToDateKey(plan, index: i, gain: gain, ceiling: ceiling), kept.file == plan.units[i].output,
      FileManager.default.fileExists(atPath: path)
    else { return nil }
    return kept
  }

  /// One file, finished with `gain` (and the limiter at `ceiling`), tagged, hashed and measured as written.
  /// `holding`: keep it under its temporary name (the sink commits or discards it) and also measure the track
  /// as the gain plan does (its float master output without the gap), for the meter returned.
  private func write(
    _ plan: AlbumUnitPlan, _ inputs: [Input], index: Int, path: String, gain: Double, ceiling: Double?,
    holding: Bool = false
  ) throws -> (track: AlbumTrack, sink: FileSink, planMeter: LoudnessMeter?) {
    let unit = plan.units[index]
    let compiled = plan.compiled[index]
    let folder = plan.folder
    let tags = AudioTags(
      title: unit.title, artist: folder.artist ?? compiled.score.artist, album: folder.title,
      comment: "source sha256:\(plan.sourceSha256[index])", date: folder.year,
      trackNumber: "\(index + 1)/\(plan.units.count)", software: "Pattern Studio", genre: folder.genre)
    var settings = RenderSettings(format: options.format, threads: 1, masterGainDecibels: gain, tags: tags)
    settings.truePeakCeiling = ceiling
    // The manifest keeps only the PCM's SHA-256 label: no block or segment digests.
    let (file, hash) = (FileSink(path: path, holds: holding), HashSink(labelOnly: true))
    // The gap is silence in the file itself (and so in its hash and length); loudness gates it out. Holding, the
    // file's meter and the plan's are measured together.
    let gap = gapFrames(folder, index: index)
    let paired = holding ? PairedLoudnessSink(planTruePeak: ceiling == nil, gapFrames: gap) : nil
    let loudness = holding ? nil : LoudnessSink()
    let summary = try render(
      plan, inputs[index], index, settings: settings,
      into: (paired.map { [$0] } ?? []) + [SilencePadding([file, hash] + (loudness.map { [$0] } ?? []), frames: gap)])
    let meter = (paired?.file ?? loudness?.meter)!
    let frames = summary.frames + gap
    var track = AlbumTrack(
      number: index + 1, title: unit.title, source: unit.song, file: nil, status: .rendered,
      seconds: (Double(frames) / Double(options.sampleRate) * 1000).rounded() / 1000, frames: frames,
      pcm: hash.label!, loudnessLufs: Decibels.finiteHundredths(meter.integratedLUFS),
      truePeakDbtp: Decibels.finiteHundredths(meter.truePeakDBTP), gainDb: Decibels.hundredths(gain),
      limiterReductionDb: summary.limiterReductionDecibels.map(Decibels.hundredths), sourceSha256: "", key: nil,
      errors: nil)
    if gap > 0 { track.gapSeconds = Double(gap) / Double(options.sampleRate) }
    return (track, file, paired?.plan)
  }

  /// Copies a unit's stems into the export (each to a temporary name, then renamed).
  private func copyStems(_ stems: [String], from folder: String, to destination: String) throws {
    try AtomicFile.createFolder(destination)
    for stem in stems {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(stem)))
      try AtomicFile.write(
        bytes, to: (destination as NSString).appendingPathComponent((stem as NSString).lastPathComponent))
    }
  }

  /// Everything a track's file depends on; an equal key in the previous manifest means it is up to date. The
  /// unit id covers the song and every file it reads, by content.
  private func upToDateKey(_ plan: AlbumUnitPlan, index i: Int, gain: Double, ceiling: Double?) -> String {
    let folder = plan.folder
    return [
      plan.units[i].unitId, "\(options.container.rawValue)-\(options.encoding.rawValue)-\(options.sampleRate)",
      String(format: "%.4f", gain), ceiling.map { "limit \($0)" } ?? "no limiter", "engine \(EngineVersion.current)",
      "gap \(gapFrames(folder, index: i))", "stems \(options.stems)", folder.title, folder.artist ?? "",
      folder.year ?? "", folder.genre ?? "", plan.units[i].title, "\(i + 1)/\(plan.units.count)",
    ].joined(separator: "|")
  }

  /// Frames of silence after track `index`: its `gap` (seconds) at the export's rate; none after the last.
  private func gapFrames(_ folder: AlbumPlan, index: Int) -> Int64 {
    guard index < folder.tracks.count - 1 else { return 0 }
    return Int64((max(0, folder.tracks[index].gapSeconds) * Double(options.sampleRate)).rounded())
  }
}
