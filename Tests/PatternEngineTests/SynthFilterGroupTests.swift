import PatternLanguage
import Synchronization
import Testing

@testable import PatternEngine

/// Filtered synth notes render eight side by side (`SynthFilterGroup`); every note's samples must be those of
/// the one-voice-at-a-time path, so the mix is bit for bit the same.
@Suite("Synth filters side by side", .serialized)
struct SynthFilterGroupTests {
  /// Sixteen overlapping filtered notes (more than a group) starting and ending mid-block, on oscillators that
  /// take a note filter; a gliding note (which keeps the one-voice path) and plain notes between them.
  static let song: String = {
    var lines = ["tempo 120;", "melody {"]
    let waves = ["saw", "square", "triangle", "sine"]
    for i in 0..<16 {
      let wave = waves[i % 4]
      let start = "\(i * 37)/100"
      let res = ["0.2", "0.5", "0.8"][i % 3]
      lines.append(
        "  \(wave) \(40 + i * 2) \(start) dur=\(100 + (i % 5) * 61)/100 cutoff=\(300 + i * 250) -> \(6000 - i * 200) res=\(res);"
      )
      if i % 5 == 2 { lines.append("  saw \(60 + i) \(i * 37 + 10)/100 dur=1 glide=0.2 cutoff=900;") }
      if i % 4 == 1 { lines.append("  sine \(72 + i) \(i * 37 + 5)/100 dur=0.5;") }
    }
    lines.append("}")
    return lines.joined(separator: "\n")
  }()

  @Test("grouped and one at a time give identical samples at every block size and thread count")
  func identical() {
    let s = score(Self.song)
    defer { LaneRenderer.groupsSynthFilters.store(true, ordering: .relaxed) }
    LaneRenderer.groupsSynthFilters.store(false, ordering: .relaxed)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1))
    #expect(reference.contains { abs($0) > 0.01 })
    LaneRenderer.groupsSynthFilters.store(true, ordering: .relaxed)
    for (block, threads) in [(512, 1), (37, 2), (4096, 2), (8192, 1)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      // The first differing sample, not the arrays (a failure would print millions of samples).
      let first = out.indices.first { $0 >= reference.count || out[$0].bitPattern != reference[$0].bitPattern }
      #expect(out.count == reference.count && first == nil, "block \(block), threads \(threads): sample \(first ?? -1)")
    }
  }
}
