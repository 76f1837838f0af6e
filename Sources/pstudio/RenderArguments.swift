import ArgumentParser
import Foundation
import PStudioCLI
import PatternAudioIO
import PatternLanguage
import PatternStudio

/// Everything `pstudio render` takes, as plain values, and the render itself: what `Render` reads from its options
/// through ArgumentParser, and what `QuickStart` reads from the plain forms without it (the same values, so the
/// same render).
struct RenderArguments: Equatable {
  /// The pattern file ('-': standard input).
  var input: String
  /// NAME.wav or NAME.flac.
  var output: String
  /// `--instruments` folders, in order.
  var folders: [String] = []
  /// Hz.
  var rate = 48_000
  var bits = SampleEncoding.pcm16
  /// Master gain, dB.
  var gain = 0.0
  /// Frames per voice-loop dispatch.
  var blockSize = RenderSettings.defaultBlockSize
  var threads = 2
  /// Target integrated loudness, LUFS (nil: no normalisation).
  var loudness: Double? = nil
  /// True-peak ceiling for `loudness`, dBTP.
  var truePeak = -1.0
  var title: String? = nil
  var artist: String? = nil
  var comment: String? = nil
  /// Also write a Standard MIDI File here.
  var midi: String? = nil
  var quiet = false
  var stats = false
  var profile = false
  var watch = false
}

extension RenderArguments {
  /// The output's format: the container from its extension, the rest from the options.
  func outputFormat() throws -> AudioFormat {
    guard let container = AudioContainer.from(path: output) else {
      throw ValidationError("the output must end in .wav or .flac (got '\(output)')")
    }
    return try AudioOptions.format(container, bits: bits, rate: rate)
  }

  /// Throws the usage error ArgumentParser reports for these values (`Render.validate`), if any.
  func validate() throws {
    _ = try outputFormat()
    if let loudness {
      guard (-70...0).contains(loudness) else { throw ValidationError("--loudness must be −70 … 0 LUFS") }
      guard gain == 0 else {
        throw ValidationError("--loudness chooses the gain itself: leave --gain out (or drop --loudness)")
      }
    }
    guard (-24...0).contains(truePeak) else { throw ValidationError("--true-peak must be −24 … 0 dBTP") }
    try refuseOverlap(input: input, outputs: [("-o", output)] + (midi.map { [("--midi", $0)] } ?? []))
    guard (1...65536).contains(blockSize) else { throw ValidationError("--block-size must be 1 … 65536") }
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 … 64") }
    if watch && input == "-" { throw ValidationError("--watch needs a song file, not standard input") }
  }

  /// Renders (or, with `watch`, renders on every change until a signal ends the process).
  func run() throws {
    guard watch else {
      let timing: RenderProfile? = profile ? RenderProfile() : nil
      let source = try timing.measure(.read) { try loadSource(input) }
      // Only the modules the song imports are loaded (the rest of the library when a diagnostic needs it).
      let (renderer, compiled) = Renderer.compiling(source, instruments: .standard(extra: folders), profile: timing)
      // Freed by the exit, not block by block before it.
      KeptUntilExit.keep((renderer, compiled))
      return try render(compiled, renderer: renderer, profile: timing)
    }
    SongWatcher(input: input, folders: folders).run { compiled, renderer in
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
      format: format, blockSize: blockSize, threads: threads, masterGainDecibels: gain,
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
