import ArgumentParser
import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
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

  @Option(help: "Sample rate in Hz (44100, 48000, 88200, 96000 …).")
  var rate: Int = 48_000

  @Option(help: "Sample format: 16, 24 or 32f (32-bit float, WAV only).")
  var bits: String = "16"

  @Option(help: "Frames per voice-loop dispatch, 1 … 65536 (never changes the audio).")
  var blockSize: Int = 512

  @Option(help: "Worker threads (never change the audio).")
  var threads: Int = 2

  @Option(parsing: .unconditional, help: "Master gain in dB before the limiter (e.g. -3).")
  var gain: Double = 0

  @Option(help: "Title tag (default: the file's `title`).") var title: String?
  @Option(help: "Artist tag (default: the file's `artist`).") var artist: String?
  @Option(help: "Comment tag.") var comment: String?

  @Option(help: "Also write a Standard MIDI File of the same events to this path.")
  var midi: String?

  @Flag(name: .shortAndLong, help: "Print nothing on success.")
  var quiet = false

  @Flag(help: "Print render statistics as one JSON line on stdout (for benchmarks).")
  var stats = false

  func validate() throws {
    guard AudioContainer.from(path: output) != nil else {
      throw ValidationError("the output must end in .wav or .flac (got '\(output)')")
    }
    guard SampleEncoding(rawValue: bits) != nil else { throw ValidationError("--bits must be 16, 24 or 32f") }
    guard (1...65536).contains(blockSize) else { throw ValidationError("--block-size must be 1 … 65536") }
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 … 64") }
    let format = AudioFormat(
      container: AudioContainer.from(path: output)!, encoding: SampleEncoding(rawValue: bits)!, sampleRate: rate)
    if let reason = format.unsupportedReason { throw ValidationError(reason) }
  }

  func run() throws {
    let source = try loadSource(input)
    let renderer = library.renderer
    let compiled = renderer.compile(source)
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    let format = AudioFormat(
      container: AudioContainer.from(path: output)!, encoding: SampleEncoding(rawValue: bits)!, sampleRate: rate)
    let options = RenderOptions(
      format: format, blockSize: blockSize, threads: threads, masterGainDecibels: gain,
      tags: AudioTags(
        title: title ?? compiled.score.title, artist: artist ?? compiled.score.artist, album: compiled.score.album,
        comment: comment, software: "Pattern Studio"))
    do {
      let display = ProgressDisplay(label: output, enabled: !quiet && isatty(STDERR_FILENO) != 0)
      let s = try renderer.render(compiled, to: output, options: options, progress: display.update)
      display.clear()
      if stats {
        let fields: [(String, JSONValue)] = [
          ("frames", .integer(s.frames)), ("seconds", .number(s.durationSeconds)),
          ("notes", .integer(Int64(s.voiceCount))),
          ("voice_samples", .integer(s.voiceFrames)), ("wall_seconds", .number(s.wallSeconds)),
          ("synthesis_seconds", .number(s.synthesisSeconds)), ("realtime", .number(s.realtimeFactor)),
          ("peak_dbfs", .number(s.peakDecibels)), ("rms_dbfs", .number(s.rmsDecibels)),
        ]
        print(JSONValue.object(fields).serialized())
      }
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
