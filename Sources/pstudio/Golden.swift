import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternStudio

struct Hash: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hash",
    abstract: "Print the PCM hash of a pattern's render (or of an audio file's samples).",
    discussion: """
      The hash is SHA-256 over the interleaved PCM exactly as written (16/24-bit integers little-endian, or \
      float32 bit patterns), labelled with the format: pcm-s16-48000-2:sha256:…  Tags and container do not \
      change it, so a WAV and a FLAC of the same render hash alike.
      """)

  @Argument(help: "The pattern file ('-' reads standard input), or with --audio an audio file.")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Flag(help: "Hash an existing WAV/FLAC file's samples instead of rendering a pattern.")
  var audio = false

  @OptionGroup var settings: AudioOptions
  @Option(help: "text (the hash) or json (hash, frames, seconds, peak and RMS dBFS).") var format: OutputFormat = .text

  func run() throws {
    let print: PCMFingerprint
    var extra: [(String, JSONValue)] = []
    if audio {
      do { print = try AudioHash.fingerprint(path: input) } catch {
        printError("pstudio: \(error)")
        throw Exit.io
      }
    } else {
      let source = try loadSource(input)
      let renderer = library.renderer
      let compiled = renderer.compile(source)
      if report(compiled.diagnostics, source: source) { throw Exit.inputError }
      let settings = GoldenSettings(rate: self.settings.rate, bits: self.settings.bits, gain: self.settings.gain)
      let hash = HashSink()
      do {
        try renderer.render(compiled, settings: settings.renderSettings, into: [hash])
      } catch RenderError.invalidInput(let d) {
        report(d, source: source)
        throw Exit.inputError
      } catch {
        printError("pstudio: \(error)")
        throw Exit.io
      }
      print = hash.fingerprint!
      let events = Renderer.eventsRecord(compiled.score)
      extra = [("events", .integer(Int64(events.count))), ("eventsSha256", .string(events.sha256))]
    }
    switch format {
    case .text: Swift.print(print.label)
    case .json:
      let rateOfLabel = Double(print.label.split(separator: "-")[2]) ?? Double(self.settings.rate)
      let fields: [(String, JSONValue)] = [
        ("pcm", .string(print.label)), ("frames", .integer(print.frames)),
        ("seconds", .number((Double(print.frames) / rateOfLabel * 1000).rounded() / 1000)),
        ("peakDbfs", .number(print.peakDecibels)), ("rmsDbfs", .number(print.rmsDecibels)),
      ]
      Swift.print(JSONValue.object(fields + extra).serialized(pretty: true))
    }
  }
}

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Re-render songs and compare them with their golden files (song.golden.json).",
    discussion: """
      PATH is a .pattern file or a folder searched recursively. Each song's golden file sits beside it (or in \
      a golden/ folder beside it) and holds the render settings, the PCM hash, per-bar, per-section and \
      per-block digests and the event list's hashes. On a mismatch verify says whether the events changed \
      (the first differing event with file:line:col) or only the audio, where the audio first differs (time \
      and bar:beat), which bars and sections differ, the level change and what sounds there. Exit status: 0 \
      when every song passes, 1 otherwise.
      """)

  @Argument(help: "Songs or folders.")
  var paths: [String]

  @OptionGroup var library: InstrumentOptions

  @Flag(help: "Write golden files: create missing ones, rewrite changed ones (and say what changed).")
  var update = false

  @Option(help: "Songs verified in parallel (results never depend on it).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  /// Settings for golden files that --update creates (existing ones keep their own).
  @OptionGroup var audio: AudioOptions

  func validate() throws {
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be 1 … 64") }
  }

  func run() throws {
    let songs: [String]
    do { songs = try GoldenSuite.songs(in: paths) } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
    guard !songs.isEmpty else {
      printError("pstudio: no .pattern files in \(paths.joined(separator: " "))")
      throw Exit.inputError
    }
    let suite = GoldenSuite(
      update: update, defaults: GoldenSettings(rate: audio.rate, bits: audio.bits, gain: audio.gain),
      renderer: library.renderer)
    let clock = ContinuousClock()
    let started = clock.now
    let outcomes = suite.run(songs: songs, jobs: jobs)
    let wall = (clock.now - started) / .seconds(1)
    var counts: [GoldenSuite.Status: Int] = [:]
    for o in outcomes {
      counts[o.status, default: 0] += 1
      let tag: String =
        switch o.status {
        case .passed: "PASS   "
        case .failed: "FAIL   "
        case .created: "CREATED"
        case .updated: "UPDATED"
        case .unchanged: "SAME   "
        case .error: "ERROR  "
        }
      print("\(tag) \(o.song)" + (o.seconds > 0 ? " (\(o.seconds) s)" : ""))
      for line in o.lines { print("        \(line)") }
      switch o.remedy {
      case .createGolden?: print("        (create it with: pstudio verify --update \(o.song))")
      case .rewriteGolden?: print("        (rewrite it with: pstudio verify --update \(o.song))")
      case nil: break
      }
    }
    let audio = outcomes.reduce(0) { $0 + $1.seconds }
    let failed = (counts[.failed] ?? 0) + (counts[.error] ?? 0)
    var summary = "\(outcomes.count - failed) passed, \(failed) failed"
    if update { summary += " (\(counts[.created] ?? 0) created, \(counts[.updated] ?? 0) updated)" }
    print(summary)
    // A throughput only when songs were rendered and compared (no golden files: nothing was verified).
    let rendered = outcomes.filter { $0.seconds > 0 }.count
    if rendered > 0 {
      printError(
        String(
          format: "verified %d songs, %.1f s of audio in %.2f s: %.1f songs/s, %.0f× realtime", rendered, audio,
          wall, Double(rendered) / max(wall, 1e-9), audio / max(wall, 1e-9)))
    } else if outcomes.allSatisfy({ $0.remedy == .createGolden }) {
      printError("nothing was verified: no song has a golden file (create them with pstudio verify --update)")
    }
    if outcomes.contains(where: \.ioFailure) { throw Exit.io }
    if failed > 0 { throw Exit.inputError }
  }
}
