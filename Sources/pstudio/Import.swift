import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternMIDI
import PatternStudio

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Turn a Standard MIDI File into readable pattern source.",
    discussion: """
      Writes the title, the tempo map (tempo N at BEAT; a ramp in the file is many steps) and the meters, one \
      import per General MIDI program and channel (the nearest shipped module, pinned with channel=N), and one \
      block per MIDI track (per channel for a format-0 file) with every note at its exact time in beats, its \
      dur= and its MIDI velocity. `pstudio midi` of the result gives back the same notes. The output is written \
      to a temporary name and renamed when complete; without -o (or with -o -) it goes to standard output. A \
      file that is not a valid MIDI file is an error naming the byte where it goes wrong (exit status 1).
      """)

  @Argument(help: "The MIDI file (.mid; '-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(name: .shortAndLong, help: "Output file (NAME.pattern); '-' or none writes to standard output.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Quantize onsets and durations to a note value: 1/16 is a sixteenth note (1/4 beat), 1/12 an eighth-note "
        + "triplet. Notes keep at least one step.", valueName: "N/D"))
  var grid: String?

  @Flag(name: .shortAndLong, help: "Print no summary or warnings.")
  var quiet = false

  /// The largest MIDI file read (64 MiB: far beyond the 1,000,000 events an import takes).
  static let maxBytes = 64 << 20

  func validate() throws {
    if let output, output != "-" { try refuseOverlap(input: input, outputs: [("-o", output)]) }
    if let grid, Self.gridBeats(grid) == nil {
      throw ValidationError("--grid \(grid): expected a note value N/D from 1/1024 to 1/1 (e.g. 1/16)")
    }
  }

  /// A note value `N/D` (a fraction of a whole note) in beats (quarter notes); nil when it is not one.
  static func gridBeats(_ text: String) -> BeatTime? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let n = Int64(parts[0]), n > 0, n <= 1024 else { return nil }
    let d = parts.count == 2 ? Int64(parts[1]) : 1
    guard let d, d > 0, d <= 1024 else { return nil }
    let whole = BeatTime(n, d)
    guard whole <= .one, whole >= BeatTime(1, 1024) else { return nil }
    return whole * BeatTime(4)
  }

  func run() throws {
    let clock = ContinuousClock()
    let started = clock.now
    let bytes = try readInput()
    let name = input == "-" ? "<stdin>" : input
    let outputName = output.flatMap { $0 == "-" ? nil : $0 } ?? "<stdout>"
    let options = MIDIImport.Options(sourceName: name, gridBeats: grid.flatMap(Self.gridBeats))
    let imported: (result: MIDIImport.Result, checked: CompiledPattern)
    do {
      imported = try library.renderer.importMIDI(bytes, options: options, sourceName: outputName)
    } catch let failure as MIDIReader.Failure {
      printError("\(name): \(failure)")
      throw Exit.inputError
    }
    let (result, checked) = imported
    if checked.diagnostics.hasErrors {
      // The importer writes only what the language reads; what is left is a render limit (an hour, a file
      // over 4 MiB, too many notes at once).
      report(checked.diagnostics, source: SourceFile(name: outputName, text: result.source))
      printError("\(name): the imported song breaks a limit of the pattern language; nothing was written")
      throw Exit.inputError
    }
    do {
      if let output, output != "-" {
        try AtomicFile.write(text: result.source, to: output)
      } else {
        FileHandle.standardOutput.write(Data(result.source.utf8))
      }
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
    guard !quiet else { return }
    result.warnings.forEach { printError("\(name): warning: \($0)") }
    // What check would warn about the source (a file without notes plays nothing).
    report(checked.diagnostics, source: SourceFile(name: outputName, text: result.source))
    let s = result.summary
    let seconds = (clock.now - started).components
    let wall = Double(seconds.seconds) + Double(seconds.attoseconds) * 1e-18
    printError(
      "\(name): format \(s.format), \(s.ticksPerQuarter) ticks per quarter, \(s.tracks) track\(s.tracks == 1 ? "" : "s")"
        + " → \(s.blocks) block\(s.blocks == 1 ? "" : "s"), \(s.notes) note\(s.notes == 1 ? "" : "s"), "
        + "\(s.instruments) instrument\(s.instruments == 1 ? "" : "s"), \(s.tempos) tempo\(s.tempos == 1 ? "" : "s"), "
        + "\(s.meters) meter\(s.meters == 1 ? "" : "s")"
        + (options.gridBeats.map { ", quantized to \($0) beat" } ?? "")
        + " → \(outputName) (\(String(format: "%.3f", wall)) s)")
  }

  /// The file's bytes; exit 3 when it cannot be read, 1 when it is too large to be a song.
  private func readInput() throws -> [UInt8] {
    if input == "-" {
      let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
      guard bytes.count <= Self.maxBytes else {
        printError("<stdin>: \(bytes.count) bytes is larger than a MIDI file an import reads (64 MiB)")
        throw Exit.inputError
      }
      return bytes
    }
    var info = stat()
    guard stat(input, &info) == 0 else {
      printError("pstudio: \(AudioIOError(.read, path: input, errno: errno))")
      throw Exit.io
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      printError("pstudio: \(AudioIOError(.read, path: input, detail: "it is a folder, not a MIDI file"))")
      throw Exit.io
    }
    if info.st_size > Self.maxBytes {
      printError("\(input): \(info.st_size) bytes is larger than a MIDI file an import reads (64 MiB)")
      throw Exit.inputError
    }
    errno = 0
    guard let data = FileManager.default.contents(atPath: input) else {
      printError("pstudio: \(AudioIOError(.read, path: input, errno: errno == 0 ? EIO : errno))")
      throw Exit.io
    }
    return Array(data)
  }
}
