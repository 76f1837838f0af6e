import ArgumentParser
import Foundation
import PStudioCLI
import PatternLanguage
import PatternStudio

struct Parse: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Print the parse result as JSON: {\"success\", \"pattern\", \"error\"}.",
    discussion: "Exits 1 when the pattern has errors (the JSON then has success: false and the diagnostics).")

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Flag(help: "Indent the JSON.")
  var pretty = false

  func run() throws {
    let source = try loadSource(input)
    let compiled = library.renderer.check(source)
    print(compiled.parseJSON.serialized(pretty: pretty))
    if !compiled.succeeded { throw Exit.inputError }
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a pattern file and print its diagnostics (exit 1 when there are errors).")

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(help: "text (with source snippets, on stderr) or json (on stdout).")
  var format: OutputFormat = .text

  @Flag(help: "Print where the time went (read, library, compile = the front end, schedule = the limits) on stderr.")
  var profile = false

  func run() throws { try Check.run(input: input, folders: library.folders, format: format, profile: profile) }

  /// The command's work, also run by `QuickStart` without parsing.
  static func run(input: String, folders: [String], format: OutputFormat, profile: Bool = false) throws {
    let timing: RenderProfile? = profile ? RenderProfile() : nil
    let source = try timing.measure(.read) { try loadSource(input) }
    let (renderer, compiled) = Renderer.compiling(
      source, instruments: .standard(extra: folders), check: RenderSettings(), profile: timing)
    // Freed by the exit, not block by block before it.
    KeptUntilExit.keep((renderer, compiled))
    if let timing { printError(timing.table(inProcessSeconds: ProcessClock.elapsedSeconds)) }
    switch format {
    case .json: print(compiled.checkJSON.serialized(pretty: true))
    case .text:
      report(compiled.diagnostics, source: source)
      let errors = compiled.diagnostics.filter { $0.severity == .error }.count
      let warnings = compiled.diagnostics.filter { $0.severity == .warning }.count
      print("\(source.name): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    }
    if !compiled.succeeded { throw Exit.inputError }
  }
}

struct Events: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "events",
    abstract: "Print the resolved event list: beats | bar:beat | seconds | track | note vel pan @line:col [via play].")

  @Argument(help: "The pattern file ('-' reads standard input).")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @Option(help: "text (one line per note, what event snapshots compare) or json.")
  var format: OutputFormat = .text

  func run() throws {
    let source = try loadSource(input)
    let renderer = library.renderer
    let compiled = renderer.compile(source)
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    switch format {
    case .text: if !compiled.score.events.isEmpty { print(renderer.eventsText(compiled.score)) }
    case .json: print(renderer.eventsJSON(compiled.score).serialized(pretty: true))
    }
  }
}

struct Instruments: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "instruments", abstract: "List the instruments and import modules.")

  @Flag(help: "Print JSON instead of text: {\"piano\": [\"C1\", …], \"synth\": [\"Kick\", …], …}.")
  var json = false

  @OptionGroup var library: InstrumentOptions

  func run() {
    let path = InstrumentSearchPath.standard(extra: library.folders)
    let instruments = InstrumentLibrary.load(path)
    if json {
      print(instruments.listingJSON.serialized(pretty: true))
      return
    }
    let entries = instruments.listing
    // Columns as wide as their longest entry (font presets have long names); nothing is cut.
    func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
    let nameWidth = max(12, (entries.map { $0.name.count + 3 } + [0]).max()!)
    for e in entries {
      let range: String
      switch e.instrument.playable {
      case .pitches(let r): range = "\(Pitch.name(ofMIDI: r.lowerBound))–\(Pitch.name(ofMIDI: r.upperBound))"
      case .hits(let h): range = h.joined(separator: " ")
      }
      let name = e.source == "built-in" ? e.name : "\"\(e.name)\""
      print(
        "\(pad(name, nameWidth))\(pad(range, 29))\(e.instrument.summary) [\(e.source)]"
      )
    }
    for bad in instruments.catalog.unavailable {
      print("\(pad("\"\(bad.name)\"", nameWidth))unavailable: \(bad.reason)")
    }
    // Where the modules came from (first match wins), and whether the shipped library was found.
    print("")
    print("instrument folders: " + (path.folders.isEmpty ? "none" : path.folders.joined(separator: ", ")))
    if let searched = path.missingLibrary {
      print("the shipped library was not found (looked in \(searched.joined(separator: ", "))): install it with")
      print("Scripts/install, or name a folder with --instruments or PSTUDIO_INSTRUMENTS")
    }
    print(
      "SoundFont folders: "
        + path.fontFolders.filter { FileManager.default.fileExists(atPath: $0) }.joined(separator: ", "))
  }
}
