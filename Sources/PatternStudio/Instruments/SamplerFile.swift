import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// The `zones` of a `sampler` instrument file: each a sample file (WAV, FLAC or AIFF through libsndfile,
/// mixed to mono), the notes and velocities it covers, its root note, fine tune, gain, loop and release.
enum SamplerFile {
  static let fields = ["sample", "root", "keys", "velocity", "tune", "gain", "loop", "release"]

  static func zones(
    _ value: Any?, folder: String, _ fail: @escaping (String, String) -> InstrumentFileError
  ) throws -> [SampleZone] {
    guard let list = value as? [Any], !list.isEmpty else {
      throw fail("zones", "expected a list of zones, e.g. [{\"sample\": \"keys/C4.flac\", \"root\": \"C4\"}]")
    }
    var buffers: [String: SampleBuffer] = [:]
    var zones: [SampleZone] = []
    for (index, item) in list.enumerated() {
      let name = "zones[\(index)]"
      let sub = { (field: String, message: String) in fail("\(name).\(field)", message) }
      guard let z = item as? [String: Any] else { throw fail(name, "expected an object {\"sample\": …, \"root\": …}") }
      for key in z.keys.sorted() where !fields.contains(key) {
        throw sub(
          key, "unknown field" + InstrumentFile.didYouMean(key, fields) + " (fields: \(fields.joined(separator: ", ")))"
        )
      }
      guard let sample = z["sample"] as? String, !sample.isEmpty else {
        throw sub("sample", "expected the sample file's path, relative to the instrument file")
      }
      let buffer = try readBuffer(sample, folder: folder, cache: &buffers, sub)
      guard let rootText = z["root"] as? String, let root = Pitch.midiNumber(rootText) else {
        throw sub(
          "root",
          "expected the pitch the sample sounds at, e.g. \"C4\", found \(InstrumentFile.json(z["root"] ?? "nothing"))")
      }
      let keys =
        try pair(z["keys"], default: (root, root), sub("keys", "")) { ($0 as? String).flatMap(Pitch.midiNumber) }
        .map { $0.0...$0.1 } ?? root...root
      let velocities =
        try pair(z["velocity"], default: (0.0, 1.0), sub("velocity", "")) { v -> Double? in
          guard let n = v as? NSNumber, (0...127).contains(n.doubleValue) else { return nil }
          return NoteAttribute.velocity(n.doubleValue)
        }.map { $0.0...$0.1 } ?? 0...1
      let tune = try InstrumentFile.number(z, "tune", in: -100...100, default: 0, unit: "cents", sub)
      let gainDB = try InstrumentFile.number(z, "gain", in: -48...24, default: 0, unit: "dB", sub)
      let release = try InstrumentFile.number(z, "release", in: 0...60, default: 0.25, unit: "seconds", sub)
      var loop: Range<Int>?
      var crossfade = 0
      var pingPong = false
      let frames = buffer.count
      if let l = z["loop"] {
        guard let o = l as? [String: Any], let start = InstrumentFile.wholeNumber(o["start"]),
          let end = InstrumentFile.wholeNumber(o["end"])
        else {
          throw sub("loop", "expected {\"start\": frame, \"end\": frame} (optionally \"crossfade\": frames, \"mode\")")
        }
        for key in o.keys.sorted() where !["start", "end", "crossfade", "mode"].contains(key) {
          throw sub(
            "loop.\(key)", "unknown field" + InstrumentFile.didYouMean(key, ["start", "end", "crossfade", "mode"]))
        }
        let mode = o["mode"] as? String ?? "forward"
        guard ["forward", "pingpong"].contains(mode) else {
          throw sub("loop.mode", "expected \"forward\" or \"pingpong\", found \(InstrumentFile.json(o["mode"]!))")
        }
        pingPong = mode == "pingpong"
        guard 0 <= start, start < end, end <= frames else {
          throw sub(
            "loop", "expected 0 ≤ start < end ≤ \(frames) (the sample's length in frames), found \(start)…\(end)")
        }
        guard o["crossfade"] == nil || InstrumentFile.wholeNumber(o["crossfade"]).map({ $0 >= 0 }) == true else {
          throw sub(
            "loop.crossfade", "expected a whole number of frames ≥ 0, found \(InstrumentFile.json(o["crossfade"]!))")
        }
        crossfade = min(InstrumentFile.wholeNumber(o["crossfade"]) ?? 256, start, end - start)
        loop = start..<end
      }
      zones.append(
        SampleZone(
          keys: keys, velocities: velocities, root: root, tuneCents: tune,
          gain: gainDB == 0 ? 1 : DSPMath.gain(decibels: gainDB), buffer: buffer, loop: loop,
          releaseSeconds: release, crossfadeFrames: pingPong ? 0 : crossfade))
      zones[zones.count - 1].pingPong = pingPong
    }
    return zones
  }

  /// A sample file as a mono buffer at its own rate (read once per path and load).
  static func readBuffer(
    _ sample: String, folder: String, cache: inout [String: SampleBuffer],
    _ fail: (String, String) -> InstrumentFileError
  ) throws -> SampleBuffer {
    let path = try samplePath(sample, folder: folder, fail)
    if let cached = cache[path] { return cached }
    return try buffer(path: path, display: sample, cache: &cache, fail).buffer
  }

  /// The file at `path` (already checked) as a mono buffer, with its header (rate, length, `smpl` root and loop).
  static func buffer(
    path: String, display sample: String, cache: inout [String: SampleBuffer],
    _ fail: (String, String) -> InstrumentFileError
  ) throws -> (buffer: SampleBuffer, info: AudioFileInfo) {
    // The header is read now (so a file libsndfile cannot open is an error at load); the samples are decoded
    // on first use.
    let info: AudioFileInfo
    do { info = try AudioFileReader.info(path: path) } catch {
      throw fail("sample", "cannot read \(sample): \(error)")
    }
    // The header is checked before anything is allocated: a lying or hostile header is an error here.
    if let problem = SampleLimits.problem(info) { throw fail("sample", "\(sample): \(problem)") }
    // A known length bounds the read exactly; an unknown one by the limit at the file's own rate.
    let limit =
      info.frames > 0 && info.frames < Int64.max
      ? info.frames : min(SampleLimits.maxFrames, SampleLimits.maxSeconds * Int64(info.sampleRate))
    let decode = { @Sendable () throws -> [Float] in
      // Read in bounded pieces; a file shorter or longer than it claims is an error naming it.
      try AudioFileReader.readMono(path: path, maxFrames: limit).samples
    }
    let buffer: SampleBuffer
    if info.frames > 0 && info.frames < Int64.max {
      buffer = SampleBuffer(sampleRate: info.sampleRate, count: Int(info.frames), origin: path, loader: decode)
    } else {
      // An unknown length (a streamed FLAC): decoded now, so its length is known for loops and limits.
      do { buffer = SampleBuffer(frames: try decode(), sampleRate: info.sampleRate, origin: path) } catch {
        throw fail("sample", "cannot read \(sample): \(error)")
      }
    }
    cache[path] = buffer
    return (buffer, info)
  }

  /// A sample path inside the instrument folder: relative, a regular file, and not leading out of it (`..`,
  /// absolute or relative links, chains of them).
  private static func samplePath(
    _ sample: String, folder: String, _ fail: (String, String) -> InstrumentFileError
  ) throws -> String {
    guard !sample.hasPrefix("/") else {
      throw fail("sample", "expected a path relative to the instrument file, found \"\(sample)\"")
    }
    let path = (folder as NSString).appendingPathComponent(sample)
    let (real, problem) = FileCheck.regularFile(path, inside: folder)
    guard let real else {
      if problem == "no such file" { throw fail("sample", "no such file: \(sample)") }
      throw fail("sample", "\"\(sample)\": \(problem ?? "cannot be read")")
    }
    return real
  }

  /// `[low, high]` of two values converted by `each`, nil when absent.
  private static func pair<T: Comparable>(
    _ value: Any?, default: (T, T), _ error: InstrumentFileError, _ each: (Any) -> T?
  ) throws -> (T, T)? {
    guard let value else { return nil }
    guard let list = value as? [Any], list.count == 2, let a = each(list[0]), let b = each(list[1]), a <= b else {
      var e = error
      e.message = "expected [lowest, highest], found \(InstrumentFile.json(value))"
      throw e
    }
    return (a, b)
  }
}
