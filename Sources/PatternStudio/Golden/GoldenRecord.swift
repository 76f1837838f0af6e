import Crypto
import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// The version of the sound: bump it whenever a deliberate change alters rendered audio, so golden
/// mismatches can say "the engine changed" rather than leave users guessing.
public enum EngineVersion {
  public static let current = 1
}

/// A song's golden file (`song.golden.json`): how it was rendered and what came out, in enough detail for
/// `verify` to say where and why audio changed.
public struct GoldenRecord: Codable, Equatable, Sendable {
  public var format = "pattern-studio-golden/1"
  public var engine: Int
  public var source: String
  public var settings: GoldenSettings
  /// `pcm-s16-48000-2:sha256:…` of the PCM exactly as written (not the file: tags and container don't count).
  public var pcm: String
  public var frames: Int64
  public var seconds: Double
  public var peakDbfs: Double
  public var rmsDbfs: Double
  public var events: GoldenEvents
  /// Bars of the song's meter (the last one named `tail` holds everything after the last bar's end).
  public var bars: [GoldenSegment]
  public var sections: [GoldenSegment]
  public var blocks: GoldenBlocks
}

/// The render settings that change audio.
public struct GoldenSettings: Codable, Equatable, Sendable {
  public var rate: Int
  /// `16`, `24` or `32f`.
  public var bits: String
  /// Master gain, dB.
  public var gain: Double

  public init(rate: Int = 48_000, bits: String = "16", gain: Double = 0) {
    self.rate = rate
    self.bits = bits
    self.gain = gain
  }

  public var options: RenderOptions {
    RenderOptions(
      format: AudioFormat(container: .wav, encoding: SampleEncoding(rawValue: bits) ?? .pcm16, sampleRate: rate),
      masterGainDecibels: gain)
  }
}

public struct GoldenEvents: Codable, Equatable, Sendable {
  public var count: Int
  /// SHA-256 of every event's sound-relevant text (no source locations), one per line.
  public var sha256: String
  /// 8 hex digits per event, in order: finds the first event that differs.
  public var each: String
}

public struct GoldenSegment: Codable, Equatable, Sendable {
  public var name: String
  public var start: Int64
  public var frames: Int64
  public var digest: String
  public var peakDbfs: Double
  public var rmsDbfs: Double
}

public struct GoldenBlocks: Codable, Equatable, Sendable {
  public var frames: Int64
  /// 8 hex digits per block.
  public var digests: String
}

extension Renderer {
  /// Renders `compiled` with `settings` and records its golden fingerprint.
  public func golden(_ compiled: CompiledPattern, source: String, settings: GoldenSettings) throws -> GoldenRecord {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    let score = compiled.score
    let (bars, barNames) = Self.barRanges(score, rate: settings.rate)
    let map = TempoMap(score.tempo, sampleRate: settings.rate)
    let sections = score.sections.map { (map.frame($0.start), map.frame($0.start + $0.length)) }
    let options = settings.options
    var hasher = PCMHasher(encoding: options.format.encoding, sampleRate: settings.rate, segments: [bars, sections])
    _ = try render(compiled, options: options) { hasher.add($0) }
    let print = hasher.finish()
    func segments(_ digests: [SegmentDigest], _ names: [String]) -> [GoldenSegment] {
      zip(digests, names).map {
        GoldenSegment(
          name: $1, start: $0.start, frames: $0.frames, digest: Self.hex($0.digest, digits: 16),
          peakDbfs: $0.peakDecibels, rmsDbfs: $0.rmsDecibels)
      }
    }
    return GoldenRecord(
      engine: EngineVersion.current, source: source, settings: settings, pcm: print.label, frames: print.frames,
      seconds: (Double(print.frames) / Double(settings.rate) * 1000).rounded() / 1000,
      peakDbfs: print.peakDecibels, rmsDbfs: print.rmsDecibels, events: Self.eventsRecord(score),
      bars: segments(print.segments[0], barNames),
      sections: segments(print.segments[1], Self.uniqueNames(score.sections.map(\.name))),
      blocks: GoldenBlocks(
        frames: PCMHasher.blockFrames, digests: print.blocks.map { Self.hex($0, digits: 8) }.joined()))
  }

  /// Bars from 0 to the end of the bar holding the last note's end, then a `tail` to the end of the render.
  static func barRanges(_ score: Score, rate: Int) -> ([(Int64, Int64)], [String]) {
    let map = TempoMap(score.tempo, sampleRate: rate)
    let perBar = score.meter.beatsPerBar
    let end = score.events.map { $0.start + $0.duration }.max() ?? .zero
    let count = Int((end / perBar).ceiling.numerator)
    var ranges: [(Int64, Int64)] = []
    var names: [String] = []
    for k in 0..<count {
      ranges.append((map.frame(BeatTime(Int64(k)) * perBar), map.frame(BeatTime(Int64(k + 1)) * perBar)))
      names.append("bar \(k + 1)")
    }
    ranges.append((count == 0 ? 0 : ranges[count - 1].1, .max))
    names.append("tail")
    return (ranges, names)
  }

  /// `verse #1`, `verse #2` when a section is arranged more than once; others keep their name.
  static func uniqueNames(_ names: [String]) -> [String] {
    var seen: [String: Int] = [:]
    return names.map { name in
      guard names.filter({ $0 == name }).count > 1 else { return name }
      seen[name, default: 0] += 1
      return "\(name) #\(seen[name]!)"
    }
  }

  static func eventsRecord(_ score: Score) -> GoldenEvents {
    var all = SHA256()
    var each = ""
    for e in score.events {
      let line = score.eventFingerprintText(e) + "\n"
      all.update(data: Data(line.utf8))
      each += SHA256.hash(data: Data(line.utf8)).prefix(4).map { String($0, radix: 16).leftPadded(2) }.joined()
    }
    return GoldenEvents(
      count: score.events.count, sha256: all.finalize().map { String($0, radix: 16).leftPadded(2) }.joined(),
      each: each)
  }

  static func hex(_ x: UInt64, digits: Int) -> String {
    String(x >> UInt64(64 - 4 * digits), radix: 16).leftPadded(digits)
  }
}

extension GoldenRecord {
  /// Stable JSON text: sorted keys, pretty-printed, ending in a newline.
  public func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }

  public static func read(path: String) throws -> GoldenRecord {
    try JSONDecoder().decode(GoldenRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }
}
