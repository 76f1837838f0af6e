import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternStudio

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Render a pattern file to WAV or FLAC.",
    discussion: """
      The format comes from the output's extension (.wav or .flac). The file is written to a temporary name \
      and renamed when complete, so a failed render leaves nothing behind and never damages an existing file.
      """)

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(name: .shortAndLong, help: "Output file: NAME.wav or NAME.flac.")
  var output: String

  @OptionGroup var audio: AudioOptions

  @Option(help: "Frames per voice-loop dispatch, 1 … 65536 (never changes the audio).")
  var blockSize: Int = RenderSettings.defaultBlockSize

  @Option(help: "Worker threads (never change the audio).")
  var threads: Int = 2

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Normalise the file to this integrated loudness, LUFS (EBU R128), −70 … 0.",
      discussion: "The gain is found by measuring the render itself; where the true peak would pass --true-peak, "
        + "a look-ahead true-peak limiter holds it and the loudness is measured after the limiter."))
  var loudness: Double?

  @Option(
    name: .customLong("true-peak"), parsing: .unconditional, help: "True-peak ceiling for --loudness, dBTP, −24 … 0.")
  var truePeak: Double = -1

  @Option(help: "Title tag (default: the file's `title`).") var title: String?
  @Option(help: "Artist tag (default: the file's `artist`).") var artist: String?
  @Option(help: "Comment tag.") var comment: String?

  @Option(help: "Also write a Standard MIDI File of the same events to this path.")
  var midi: String?

  @Flag(name: .shortAndLong, help: "Print nothing on success.")
  var quiet = false

  @Flag(help: "Print render statistics as one JSON line on stdout (for benchmarks).")
  var stats = false

  @Flag(
    help: ArgumentHelp(
      "Print where the wall time went, phase by phase, on stderr (with --stats: also in the JSON line).",
      discussion: "Phases: read, library (the instrument modules the song imports), compile, schedule, synthesis, "
        + "mix, master, writer wait, drain, sync (fsync), rename on the rendering thread; quantize and encode on "
        + "the writer thread, overlapping them."))
  var profile = false

  @Flag(
    help: ArgumentHelp(
      "Render again whenever the song or an instrument file it uses changes (Ctrl-C stops).",
      discussion: "Errors are printed and watching goes on; the output is replaced only by a complete render."))
  var watch = false

  /// The output's format: the container from its extension, the rest from the options.
  func outputFormat() throws -> AudioFormat {
    guard let container = AudioContainer.from(path: output) else {
      throw ValidationError("the output must end in .wav or .flac (got '\(output)')")
    }
    return try audio.format(container)
  }

  func validate() throws {
    _ = try outputFormat()
    if let loudness {
      guard (-70...0).contains(loudness) else { throw ValidationError("--loudness must be −70 … 0 LUFS") }
      guard audio.gain == 0 else {
        throw ValidationError("--loudness chooses the gain itself: leave --gain out (or drop --loudness)")
      }
    }
    guard (-24...0).contains(truePeak) else { throw ValidationError("--true-peak must be −24 … 0 dBTP") }
    try refuseOverlap(input: input, outputs: [("-o", output)] + (midi.map { [("--midi", $0)] } ?? []))
    guard (1...65536).contains(blockSize) else { throw ValidationError("--block-size must be 1 … 65536") }
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 … 64") }
    if watch && input == "-" { throw ValidationError("--watch needs a song file, not standard input") }
  }

  func run() throws {
    guard watch else {
      let timing: RenderProfile? = profile ? RenderProfile() : nil
      let source = try timing.measure(.read) { try loadSource(input) }
      // Only the modules the song imports are loaded (the rest of the library when a diagnostic needs it).
      let (renderer, compiled) = library.compiling(source, profile: timing)
      return try render(compiled, renderer: renderer, profile: timing)
    }
    SongWatcher(input: input, folders: library.folders).run { compiled, renderer in
      try render(compiled, renderer: renderer)
    }
  }

  /// One render of a compiled song with every option; diagnostics and failures are printed, then thrown as an
  /// exit code.
  func render(_ compiled: CompiledPattern, renderer: Renderer, profile timing: RenderProfile? = nil) throws {
    let source = compiled.source
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    let format = try outputFormat()
    var settings = RenderSettings(
      format: format, blockSize: blockSize, threads: threads, masterGainDecibels: audio.gain,
      tags: AudioTags(
        title: title ?? compiled.score.title, artist: artist ?? compiled.score.artist, album: compiled.score.album,
        comment: comment, software: "Pattern Studio"))
    do {
      var plan: LoudnessNormalizer.Plan?
      if let loudness {
        let p = try LoudnessNormalizer(renderer: renderer, targetLufs: loudness, ceilingDbtp: truePeak).plan([
          (compiled, settings)
        ])
        settings.masterGainDecibels += p.gainDecibels
        settings.truePeakCeiling = p.limited[0] ? truePeak : nil
        plan = p
      }
      let display = ProgressDisplay(label: output, enabled: !quiet && isatty(STDERR_FILENO) != 0)
      // Metering the file costs about as much as rendering it (libebur128's true peak): only when asked.
      let meter = LoudnessSink()
      let s = try renderer.render(
        compiled, settings: settings, into: [FileSink(path: output)] + (plan == nil ? [] : [meter]),
        control: RenderControl(progress: display.update, profile: timing))
      display.clear()
      if let plan, !quiet, let m = meter.meter {
        let limiter =
          plan.limited[0]
          ? "limiter max reduction \(String(format: "%.1f", s.limiterReductionDecibels ?? 0)) dB" : "no limiting needed"
        printError(
          "\(output): \(format1(m.integratedLUFS)) LUFS, \(format1(m.truePeakDBTP)) dBTP "
            + "(gain \(String(format: "%+.1f", plan.gainDecibels)) dB, \(limiter))")
      }
      if stats {
        let fields: [(String, JSONValue)] =
          [
            ("frames", .integer(s.frames)), ("seconds", .number(s.durationSeconds)),
            ("notes", .integer(Int64(s.voiceCount))),
            ("voiceSamples", .integer(s.voiceFrames)), ("wallSeconds", .number(s.wallSeconds)),
            ("synthesisSeconds", .number(s.synthesisSeconds)), ("realtime", .number(s.realtimeFactor)),
            ("peakDbfs", .number(s.peakDecibels)), ("rmsDbfs", .number(s.rmsDecibels)),
          ] + (timing.map { [("profile", $0.json(inProcessSeconds: ProcessClock.elapsedSeconds))] } ?? [])
        print(JSONValue.object(fields).serialized())
      }
      if let timing { printError(timing.table(inProcessSeconds: ProcessClock.elapsedSeconds)) }
      if let midi {
        let warnings = try renderer.writeMIDI(compiled, to: midi)
        if !quiet { warnings.forEach { printError("\(midi): warning: \($0)") } }
      }
      if !quiet {
        printError(
          "\(output): \(format1(s.durationSeconds)) s, \(format), peak \(format1(s.peakDecibels)) dBFS, "
            + "\(s.voiceCount) notes, \(Int(s.realtimeFactor.rounded()))× realtime (\(String(format: "%.3f", s.wallSeconds)) s)"
        )
      }
    } catch RenderError.invalidInput(let diagnostics) {
      ProgressDisplay.clearLine()
      report(diagnostics, source: source)
      throw Exit.inputError
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
  }
}

func format1(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", x) : "-inf" }
