import Crypto
import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

extension Renderer {
  /// Renders `compiled` with `settings` and records its golden fingerprint.
  public func golden(_ compiled: CompiledPattern, source: String, settings: GoldenSettings) throws -> GoldenRecord {
    guard compiled.succeeded else { throw RenderError.invalidInput(compiled.diagnostics) }
    let score = compiled.score
    let (bars, barNames) = Self.barRanges(score, rate: settings.rate)
    let map = TempoMap(score.tempo, sampleRate: settings.rate)
    let sections = score.sections.map { (map.frame($0.start), map.frame($0.start + $0.length)) }
    let hash = HashSink(segments: [bars, sections])
    try render(compiled, settings: settings.renderSettings, into: [hash])
    let print = hash.fingerprint!
    func segments(_ digests: [SegmentDigest], _ names: [String]) -> [GoldenSegment] {
      zip(digests, names).map {
        GoldenSegment(
          name: $1, start: $0.start, frames: $0.frames, digest: Hex.string($0.digest, digits: 16),
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
        frames: PCMHasher.blockFrames, digests: print.blocks.map { Hex.string($0, digits: 8) }.joined()))
  }

  /// The bars of the song's meter map (`bar N`, each as long as its meter's bar, or shorter where a change cuts
  /// it) up to the end of the bar holding the last note's end, then a `tail` to the end of the render.
  static func barRanges(_ score: Score, rate: Int) -> ([(Int64, Int64)], [String]) {
    let map = TempoMap(score.tempo, sampleRate: rate)
    let end = score.events.map { $0.start + $0.duration }.max() ?? .zero
    let bars = score.meterMap.bars(before: end)
    var ranges = bars.map { (map.frame($0.start), map.frame($0.end)) }
    var names = bars.indices.map { "bar \($0 + 1)" }
    ranges.append((ranges.last?.1 ?? 0, .max))
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

  /// The golden record of a score's events (their count, SHA-256, and a short digest per event).
  public static func eventsRecord(_ score: Score) -> GoldenEvents {
    var all = SHA256()
    var each = ""
    for e in score.events {
      let line = score.eventFingerprintText(e) + "\n"
      all.update(data: Data(line.utf8))
      each += Hex.string(SHA256.hash(data: Data(line.utf8)).prefix(4))
    }
    return GoldenEvents(count: score.events.count, sha256: Hex.string(all.finalize()), each: each)
  }
}
