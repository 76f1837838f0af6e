import Foundation
import Glibc
import PatternAudioIO
import PatternFuzzKit
import PatternLanguage
import PatternStudio

/// Hostile instrument folders: module files with odd fields, sample files with lying headers (rate, channels,
/// length), truncated or corrupted WAV and FLAC, links out of the folder (absolute, relative, chains) and
/// FIFOs — loaded, then played. Every one must end in an unavailable module, a diagnostic or a render.
enum InstrumentFuzz {
  /// Makes the folder of case `seed`.
  static func make(seed: UInt64) -> String {
    var rng = SplitMix64(seed: seed)
    func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    let root = NSTemporaryDirectory() + "pstudio-ifuzz-\(getpid())-\(seed)"
    let folder = root + "/lib"
    try? FileManager.default.createDirectory(atPath: folder + "/s", withIntermediateDirectories: true)
    // A good sample to start from, in WAV or FLAC.
    let flac = below(3) == 0
    let sample = folder + "/s/a." + (flac ? "flac" : "wav")
    let frames = [1, 100, 4_000][below(3)]
    if let writer = try? AudioFileWriter(
      path: sample,
      format: AudioFormat(container: flac ? .flac : .wav, encoding: .pcm16, sampleRate: 44_100, channels: 1))
    {
      let samples = (0..<frames).map { Int16(truncatingIfNeeded: $0 * 97) }
      try? samples.withUnsafeBufferPointer { try writer.write(.int16($0)) }
      try? writer.finish()
    }
    var bytes = (try? Data(contentsOf: URL(fileURLWithPath: sample))).map(Array.init) ?? []
    switch below(9) {
    case 0 where !flac && bytes.count > 44: put32(&bytes, 24, [0, 1, 200, 7_999, 500_000, 1 << 31][below(6)])  // rate
    case 1 where !flac && bytes.count > 44: put16(&bytes, 22, [0, 3, 9, 100, 65_535][below(5)])  // channels
    case 2 where !flac && bytes.count > 44: put32(&bytes, 40, [UInt32.max, 1 << 30, 7][below(3)])  // data size
    case 3: bytes = Array(bytes.prefix(below(max(1, bytes.count))))  // truncated
    case 4: for _ in 0..<8 where !bytes.isEmpty { bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
    default: break
    }
    FileManager.default.createFile(atPath: sample, contents: Data(bytes))
    // Sometimes the zone points at a link out of the folder, a chain of links, or a FIFO.
    var name = "s/a." + (flac ? "flac" : "wav")
    switch below(8) {
    case 0:
      FileManager.default.createFile(atPath: root + "/outside.wav", contents: Data(bytes))
      symlink("../../outside.wav", folder + "/s/rel.wav")
      name = "s/rel.wav"
    case 1:
      FileManager.default.createFile(atPath: root + "/outside.wav", contents: Data(bytes))
      symlink("../outside.wav", folder + "/hop.wav")
      symlink("../hop.wav", folder + "/s/chain.wav")
      name = "s/chain.wav"
    case 2:
      mkfifo(folder + "/s/fifo.wav", 0o644)
      name = "s/fifo.wav"
    case 3: name = "../outside.wav"
    default: break
    }
    let loops = [
      "", ", \"loop\": {\"start\": 1.5, \"end\": 10}", ", \"loop\": {\"start\": true, \"end\": 10}",
      ", \"loop\": {\"start\": -1, \"end\": 1e30}", ", \"loop\": {\"start\": 0, \"end\": 50, \"crossfade\": -5}",
      ", \"loop\": {\"start\": 10, \"end\": 60}",
    ]
    let module: String
    switch below(3) {
    case 0: module = "{\"kind\": \"kit\", \"hits\": {\"Hit\": {\"sample\": \"\(name)\", \"gain\": \(below(60) - 30)}}}"
    case 1:
      module =
        "{\"kind\": \"sampler\", \"zones\": [{\"sample\": \"\(name)\", \"root\": \"C4\"\(loops[below(loops.count)])}]}"
    default:
      module =
        "{\"kind\": \"sampler\", \"program\": \(below(300) - 100), \"zones\": [{\"sample\": \"\(name)\", \"root\": \"C4\", \"keys\": [\"C0\", \"G9\"], \"tune\": \(below(400) - 200)}]}"
    }
    FileManager.default.createFile(atPath: folder + "/x.json", contents: Data(module.utf8))
    if below(4) == 0 { symlink("../outside.json", folder + "/y.json") }
    return root
  }

  /// Loads the folder and plays its instrument; what happened.
  static func run(folder root: String, seed: UInt64) -> String {
    let path = InstrumentSearchPath(folders: [root + "/lib"])
    let library = InstrumentLibrary.load(path)
    guard library.catalog.module("x") != nil else { return "unavailable" }
    let renderer = Renderer(instruments: path)
    let isKit = (try? String(contentsOfFile: root + "/lib/x.json", encoding: .utf8))?.contains("\"kit\"") == true
    let song = "import x from \"x\"; melody { x \(isKit ? "Hit" : "C4") 0 dur=1; x \(isKit ? "Hit" : "G6") 1; }"
    let compiled = renderer.compile(SourceFile(name: "ifuzz.pattern", text: song))
    do {
      var settings = RenderSettings(threads: 1)
      settings.maxSeconds = 30
      try renderer.render(compiled, settings: settings, into: [HashSink()])
      return "rendered"
    } catch RenderError.invalidInput {
      return "diagnostics"
    } catch {
      return "refused (\(error is RenderError ? "file" : "other"))"
    }
  }

  private static func put16(_ b: inout [UInt8], _ at: Int, _ v: Int) {
    b[at] = UInt8(v & 0xFF)
    b[at + 1] = UInt8((v >> 8) & 0xFF)
  }

  private static func put32(_ b: inout [UInt8], _ at: Int, _ v: some BinaryInteger) {
    let x = UInt32(truncatingIfNeeded: v)
    for k in 0..<4 { b[at + k] = UInt8((x >> (8 * UInt32(k))) & 0xFF) }
  }
}
