import ArgumentParser
import Foundation
import PStudioCLI
import PatternLanguage
import PatternMIDI
import PatternStudio

struct MIDI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "midi",
    abstract: "Write a Standard MIDI File (type 1) of a pattern file.",
    discussion: """
      A conductor track (title, meter, tempo changes; ramps as 1/16-beat tempo steps), then one track per \
      block. Each instrument has its own channel (or the one its import's channel= pins) and General MIDI \
      program; drum kits play on channel 10. 960 ticks per quarter note, or the smallest multiple of 960 that \
      places every note, tempo and meter change exactly (--ppq sets it). The file is written to a temporary \
      name and renamed when complete.
      """)

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(name: .shortAndLong, help: "Output file (NAME.mid).")
  var output: String

  @Option(
    help: ArgumentHelp(
      "Ticks per quarter note, 1 … 32767, or 'exact': 960, or the smallest multiple of 960 (up to 32767) at "
        + "which every time of the song is a whole tick.", valueName: "N|exact"))
  var ppq = "exact"

  @Flag(name: .shortAndLong, help: "Print nothing on success.")
  var quiet = false

  func validate() throws {
    try refuseOverlap(input: input, outputs: [("-o", output)])
    if resolution == nil { throw ValidationError("--ppq \(ppq): expected 'exact' or a whole number 1 … 32767") }
  }

  /// `--ppq` as a resolution (nil when it is neither 'exact' nor 1 … 32767).
  var resolution: MIDITickResolution? {
    if ppq == "exact" { return .exact }
    guard let n = UInt16(ppq), n >= 1, n <= 32_767 else { return nil }
    return .fixed(n)
  }

  func run() throws {
    let source = try loadSource(input)
    let renderer = library.renderer
    let compiled = renderer.compile(source)
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    do {
      let resolution = resolution ?? .exact
      let warnings = try renderer.writeMIDI(compiled, to: output, resolution: resolution)
      if !quiet {
        warnings.forEach { printError("\(output): warning: \($0)") }
        let ticks = resolution.ticksPerQuarter(for: compiled.score).ticksPerQuarter
        printError(
          "\(output): \(compiled.score.events.count) notes, \(compiled.score.tracks.count + 1) tracks, \(ticks) ticks "
            + "per quarter note")
      }
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
  }
}
