import ArgumentParser
import Foundation
import PatternLanguage
import PatternStudio

struct MIDI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "midi",
    abstract: "Write a Standard MIDI File (type 1, 960 ticks per quarter) of a pattern file.",
    discussion: """
      A conductor track (title, meter, tempo changes; ramps as 1/16-beat tempo steps), then one track per \
      block. Each instrument has its own channel and General MIDI program; drum kits play on channel 10. The \
      file is written to a temporary name and renamed when complete.
      """)

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(name: .shortAndLong, help: "Output file (NAME.mid).")
  var output: String

  @Flag(name: .shortAndLong, help: "Print nothing on success.")
  var quiet = false

  func validate() throws { try refuseOverlap(input: input, outputs: [("-o", output)]) }

  func run() throws {
    let source = try loadSource(input)
    let renderer = library.renderer
    let compiled = renderer.compile(source)
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    do {
      let warnings = try renderer.writeMIDI(compiled, to: output)
      if !quiet {
        warnings.forEach { printError("\(output): warning: \($0)") }
        printError("\(output): \(compiled.score.events.count) notes, \(compiled.score.tracks.count + 1) tracks")
      }
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
  }
}
