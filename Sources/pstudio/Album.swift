import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternStudio

struct Album: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "album",
    abstract: "Export an album folder of pattern files: tagged, loudness-normalised files, playlist, cue, manifest.",
    discussion: """
      Track order and tags come from DIR/album.json (title, artist, year, genre, tracks: [{file, title, gain, \
      gap}]) or from the sorted .pattern files and each song's title. Every track's integrated loudness and \
      true peak are measured (EBU R128, libebur128); one album gain brings the album to --loudness without \
      exceeding --true-peak. Files are written to temporary names and renamed; a re-run skips tracks whose \
      source, settings and instruments are unchanged (--force renders all). A failing track is reported and \
      the others finish; the exit status is then 1.
      """)

  @Argument(help: "The album folder.") var dir: String
  @OptionGroup var library: InstrumentOptions
  @Option(name: .shortAndLong, help: "Output folder (the album, or with --shard/--unit the shard's folder).")
  var output: String?
  @Option(help: "flac or wav.") var format: AudioContainer = .flac
  @OptionGroup var audio: AudioOptions
  @Option(help: "Tracks rendered at once (results never depend on it).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
  @Option(parsing: .unconditional, help: "Album loudness target, LUFS.") var loudness: Double = -14
  @Option(name: .customLong("true-peak"), parsing: .unconditional, help: "True-peak ceiling, dBTP, −24 … 0.")
  var truePeak: Double = -1
  @Flag(help: "Keep the songs' own levels (no album gain).") var noNormalize = false
  @Flag(help: "Also write one float WAV per track (block) of each song, before the master stage.") var stems = false
  @Flag(help: "Render every track, even those that are up to date.") var force = false
  @Flag(name: .shortAndLong, help: "No progress on stderr.") var quiet = false
  @OptionGroup(title: "Past one machine (docs/SCALING.md)") var scaling: AlbumScalingOptions

  func validate() throws {
    _ = try audio.format(format)
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be 1 … 64") }
    guard (-24...0).contains(truePeak) else { throw ValidationError("--true-peak must be −24 … 0 dBTP") }
    try scaling.validate(hasOutput: output != nil)
  }

  func run() throws {
    var options = AlbumOptions()
    options.container = format
    options.encoding = audio.bits
    options.sampleRate = audio.rate
    options.gainDb = audio.gain
    options.jobs = jobs
    options.targetLufs = loudness
    options.truePeakCeilingDbtp = truePeak
    options.normalize = !noNormalize
    options.stems = stems
    options.force = force
    let path = InstrumentSearchPath.standard(extra: library.folders)
    let exporter = AlbumExporter(renderer: Renderer(instruments: path), options: options)
    let progress = AlbumProgress(enabled: !quiet, terminal: isatty(STDERR_FILENO) != 0, steps: 0)
    if try scaling.run(exporter, dir: dir, output: output, progress: progress) { return }
    let clock = ContinuousClock()
    let started = clock.now
    let manifest: AlbumManifest
    do {
      manifest = try exporter.export(dir: dir, out: output!) { line in progress.report(line) }
      progress.finish()
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
    try Self.report(manifest, quiet: quiet, wall: (clock.now - started) / .seconds(1))
  }

  /// The per-track lines, the album line and the exit status of a finished export or merge.
  static func report(_ manifest: AlbumManifest, quiet: Bool, wall: Double) throws {
    var failed = 0
    for t in manifest.tracks {
      if t.status == .failed {
        failed += 1
        print("FAILED  \(String(format: "%02d", t.number)) \(t.title) (\(t.source))")
        for line in t.errors ?? [] { print("        \(line)") }
        continue
      }
      print(
        String(
          format: "%@  %@  %6.1f s  %6.2f LUFS  %6.2f dBTP  %@", t.status == .rendered ? "RENDERED" : "SAME    ",
          t.file ?? "", t.seconds ?? 0, t.loudnessLufs ?? 0, t.truePeakDbtp ?? 0, t.pcm ?? ""))
    }
    let audio = manifest.tracks.reduce(0) { $0 + ($1.seconds ?? 0) }
    print(
      String(
        format: "album %@: %.2f LUFS measured, gain %+.2f dB; %d tracks, %d failed", manifest.title,
        manifest.albumLufs ?? -.infinity, manifest.albumGainDb, manifest.tracks.count, failed))
    if manifest.targetLufs != nil { print(manifest.summary) }
    if !quiet {
      printError(
        String(format: "exported %.1f s of audio in %.2f s (%.0f× realtime)", audio, wall, audio / max(wall, 1e-9)))
    }
    if manifest.tracks.contains(where: { $0.failure == .io }) { throw Exit.io }
    if failed > 0 { throw Exit.inputError }
  }
}

/// Progress on stderr: on a terminal one updating line with a bar, the latest track and an ETA; otherwise one
/// plain line per event. Called from the export's worker threads.
final class AlbumProgress: @unchecked Sendable {
  let enabled: Bool
  let terminal: Bool
  private let lock = NSLock()
  private var done = 0
  private var total = 0
  private let started = ContinuousClock.now

  /// Lines each track reports: an export three (unit, measured, written), a shard one (its unit).
  var perTrack = 3

  init(enabled: Bool, terminal: Bool, steps: Int) {
    self.enabled = enabled
    self.terminal = terminal
  }

  /// `line` is "[i/n] Title: what happened"; each track reports `perTrack` times.
  func report(_ line: String) {
    guard enabled else { return }
    lock.withLock {
      if total == 0, let slash = line.firstIndex(of: "/"), let close = line.firstIndex(of: "]"),
        let n = Int(line[line.index(after: slash)..<close])
      {
        total = perTrack * n
      }
      done += 1
      guard terminal, total > 0 else {
        printError(line)
        return
      }
      let fraction = Double(done) / Double(total)
      let elapsed = (ContinuousClock.now - started) / .seconds(1)
      let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
      let width = 24
      let filled = Int((fraction * Double(width)).rounded())
      let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      let text = "[\(bar)] \(Int(fraction * 100))% ETA \(String(format: "%.0f", eta)) s  \(line)"
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(text.prefix(120))).utf8))
    }
  }

  func finish() {
    if enabled && terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
