import Foundation
import Glibc
import PatternAudioIO
import PatternFuzzKit
import PatternLanguage
import PatternStudio
import Synchronization

// pstudio-fuzz: grammar-aware fuzzing of Pattern Studio (driven by Scripts/fuzz).
//
//   pstudio-fuzz check|render|mini|instruments|sf2|sfz|midi --from SEED --count N [--case FILE]
//   pstudio-fuzz server --port PORT --from SEED --count N [--case FILE]
//   pstudio-fuzz emit SEED
//   pstudio-fuzz emit-midi SEED|hand-made
//
// Each case is written to FILE (default .build-fuzz/current.case) before it runs, so a crash leaves its
// input behind. A case running longer than 10 s aborts the process with "hang"; the process's address space is
// limited to 4 GiB, so a runaway allocation aborts too. The summary goes to stdout.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
  guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
  return arguments[i + 1]
}
let mode = arguments.first ?? "check"
if mode == "emit-midi" {
  // The bytes of MIDI case SEED (or `hand-made`, the seed file), to reproduce a failure or grow the corpus.
  let which = arguments.dropFirst().first ?? "0"
  let bytes =
    which == "hand-made"
    ? MIDIMutator.handMade : MIDIMutator.file(seed: UInt64(which) ?? 0, bases: MIDIFuzz.bases)
  FileHandle.standardOutput.write(Data(bytes))
  exit(0)
}
if mode == "emit" {
  var generator = SongGenerator(seed: UInt64(arguments.dropFirst().first ?? "0") ?? 0)
  FileHandle.standardOutput.write(Data(generator.song()))
  exit(0)
}
let from = UInt64(option("--from", "0")) ?? 0
let count = Int(option("--count", "1000")) ?? 1000
let casePath = option("--case", ".build-fuzz/current.case")

var limit = rlimit(rlim_cur: 4 << 30, rlim_max: 4 << 30)
setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
let caseFile = CaseFile(path: casePath)
let watchdog = Watchdog(seconds: 10, caseFile: caseFile)

let renderer = Renderer(instruments: .standard())
let clock = ContinuousClock()
let started = clock.now
var slowest = (seconds: 0.0, seed: UInt64(0))
var outcomes: [String: Int] = [:]
let server = mode == "server" ? HTTPClient(port: Int32(option("--port", "8080")) ?? 8080) : nil

for seed in from..<(from + UInt64(count)) {
  let t0 = clock.now
  watchdog.begin(seed)
  switch mode {
  case "sf2", "sfz":
    // The case bytes are written before the reader runs, so a crash leaves them behind.
    caseFile.write(seed: seed, bytes: Array("\(mode) seed \(seed)".utf8))
    let (_, outcome) = mode == "sf2" ? SamplerFormatFuzz.sf2(seed: seed) : SamplerFormatFuzz.sfz(seed: seed)
    outcomes[outcome, default: 0] += 1
  case "midi":
    outcomes[MIDIFuzz.run(seed: seed, caseFile: caseFile), default: 0] += 1
  case "instruments":
    let folder = InstrumentFuzz.make(seed: seed)
    caseFile.write(seed: seed, bytes: Array(folder.utf8))
    outcomes[InstrumentFuzz.run(folder: folder, seed: seed), default: 0] += 1
    try? FileManager.default.removeItem(atPath: folder)
  default:
    var generator = SongGenerator(seed: seed)
    var strings = MiniGenerator(seed: seed)
    // `mini` checks songs of mini-notation strings (random, mutated, extreme) like `check` does songs.
    let song = mode == "mini" ? strings.song() : generator.song()
    caseFile.write(seed: seed, bytes: song)
    let source = SourceFile(name: "fuzz-\(seed).pattern", bytes: song)
    switch mode {
    case "render":
      let compiled = renderer.compile(source)
      var settings = RenderSettings(threads: 1)
      settings.maxSeconds = 8
      do {
        try renderer.render(compiled, settings: settings, into: [HashSink()])
        outcomes["rendered", default: 0] += 1
      } catch RenderError.invalidInput {
        outcomes["diagnostics", default: 0] += 1
      } catch {
        outcomes["error: \(error)", default: 0] += 1
      }
    case "server":
      let path = seed % 3 == 0 ? "/api/render" : seed % 3 == 1 ? "/api/parse" : "/api/midi"
      let status = server!.post(
        path, json: JSONValue.object([("pattern_code", .string(String(decoding: song, as: UTF8.self)))]).serialized())
      outcomes["\(path) \(status)", default: 0] += 1
      if status >= 500 || status == 0 {
        FileHandle.standardError.write(Data("server answered \(status) to case \(seed)\n".utf8))
        exit(4)
      }
    default:
      let compiled = renderer.check(source)
      // The attributes the parser read from the bytes, against reading every one token by token.
      let parsed = PatternCompiler.parse(source)
      let tokens = PatternCompiler.parse(source, plainAttributes: false)
      if parsed.file != tokens.file || parsed.diagnostics != tokens.diagnostics {
        FileHandle.standardError.write(Data("case \(seed): plain attributes read differently token by token\n".utf8))
        exit(6)
      }
      for d in compiled.diagnostics where d.range.start.offset > song.count || d.range.start.line < 1 {
        FileHandle.standardError.write(Data("case \(seed): diagnostic outside the file\n".utf8))
        exit(5)
      }
      _ = DiagnosticRenderer(source: source).render(compiled.diagnostics)
      _ = compiled.parseJSON.serialized()
      outcomes[compiled.succeeded ? "valid" : "diagnostics", default: 0] += 1
    }
  }
  let seconds = (clock.now - t0).inSeconds
  if seconds > slowest.seconds { slowest = (seconds, seed) }
}
watchdog.end()
var usage = rusage()
getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
let wall = (clock.now - started).inSeconds
let summary = outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
print(
  String(
    format: "%@ %d cases (seeds %llu…%llu) in %.1f s, %.0f/s; slowest %.2f s (seed %llu); peak RSS %ld MiB; %@", mode,
    count, from, from + UInt64(count) - 1, wall, Double(count) / max(wall, 1e-9), slowest.seconds, slowest.seed,
    usage.ru_maxrss / 1024, summary))
