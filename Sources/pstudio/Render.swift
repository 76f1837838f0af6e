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

  /// The options' values.
  var arguments: RenderArguments {
    RenderArguments(
      input: input, output: output, folders: library.folders, rate: audio.rate, bits: audio.bits, gain: audio.gain,
      blockSize: blockSize, threads: threads, loudness: loudness, truePeak: truePeak, title: title, artist: artist,
      comment: comment, midi: midi, quiet: quiet, stats: stats, profile: profile, watch: watch)
  }

  func validate() throws { try arguments.validate() }

  func run() throws { try arguments.run() }
}

func format1(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", x) : "-inf" }
