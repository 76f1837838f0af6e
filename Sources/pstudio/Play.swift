import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternStudio

struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "play",
    abstract: "Render a pattern to a temporary WAV and play it.",
    discussion: """
      The player is --player, else $PSTUDIO_PLAYER, else the first of paplay, aplay, ffplay and afplay on the \
      PATH; it is named before playing. With --watch, every change to the song or its instruments renders and \
      plays it again from the start. The temporary file is removed when playing ends (or on Ctrl-C).
      """)

  @Argument(help: "The pattern file.")
  var input: String

  @OptionGroup var library: InstrumentOptions

  @OptionGroup var audio: AudioOptions

  @Option(help: "The player command, e.g. \"mpv --no-video\" (the file is its last argument).")
  var player: String?

  @Flag(help: "Play again whenever the song or an instrument file it uses changes (Ctrl-C stops).")
  var watch = false

  func validate() throws {
    if input == "-" { throw ValidationError("play needs a song file, not standard input") }
  }

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let chosen: AudioPlayer
    do {
      chosen = try AudioPlayer.find(command: player ?? environment["PSTUDIO_PLAYER"], path: environment["PATH"] ?? "")
    } catch {
      printError("pstudio play: \(error)")
      throw Exit.io
    }
    // In the temporary folder, named after the song and this process; a signal removes both files (and stops
    // the player), and so does the normal end.
    let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("pstudio-play-\(getpid())-\(stem.isEmpty ? "pattern" : stem).wav").path
    let next = file + ".next.wav"
    let slots = [TemporaryFiles.register(file), TemporaryFiles.register(next)]
    defer {
      slots.forEach(TemporaryFiles.unregister)
      unlink(file)
      unlink(next)
    }
    guard watch else {
      let renderer = library.renderer
      let seconds = try render(renderer.compile(try loadSource(input)), renderer: renderer, to: file)
      let process = try start(chosen, file: file, seconds: seconds)
      process.waitUntilExit()
      TemporaryFiles.stopWithUs(nil)
      if process.terminationStatus != 0 {
        printError("pstudio play: \(chosen.name) exited with status \(process.terminationStatus)")
        throw Exit.io
      }
      return
    }
    var playing: Process?
    SongWatcher(input: input, folders: library.folders).run { compiled, renderer in
      // Render first: a song with errors leaves the last good version playing.
      let seconds = try render(compiled, renderer: renderer, to: next)
      if let p = playing, p.isRunning {
        p.terminate()
        p.waitUntilExit()
      }
      _ = rename(next, file)
      playing = try start(chosen, file: file, seconds: seconds)
    }
  }

  /// Renders a compiled song to `path` (WAV, the --rate/--bits/--gain options); returns its length in seconds.
  func render(_ compiled: CompiledPattern, renderer: Renderer, to path: String) throws -> Double {
    let source = compiled.source
    if report(compiled.diagnostics, source: source) { throw Exit.inputError }
    let settings = RenderSettings(format: try audio.format(.wav), masterGainDecibels: audio.gain)
    do {
      return try renderer.render(compiled, settings: settings, into: [FileSink(path: path)]).durationSeconds
    } catch RenderError.invalidInput(let diagnostics) {
      report(diagnostics, source: source)
      throw Exit.inputError
    } catch {
      printError("pstudio play: \(error)")
      throw Exit.io
    }
  }

  func start(_ player: AudioPlayer, file: String, seconds: Double) throws -> Process {
    printError("pstudio play: \(input) (\(format1(seconds)) s) with \(player.name)")
    do {
      let process = try player.start(file)
      TemporaryFiles.stopWithUs(process.processIdentifier)
      return process
    } catch {
      printError("pstudio play: could not start \(player.executable): \(error)")
      throw Exit.io
    }
  }
}
