import Foundation
import PatternSamplerFormats
import Testing

/// Fonts installed on this machine (missing ones are skipped).
let realFontPaths = [
  "/usr/share/sounds/sf2/TimGM6mb.sf2", "/usr/share/sounds/sf2/sf_GMbank.sf2",
  "/usr/share/sounds/sf2/FluidR3_GM.sf2",
]

func readFile(_ path: String) -> [UInt8]? {
  FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

@Suite struct RealFontTests {
  @Test(arguments: realFontPaths) func everyPresetResolves(path: String) throws {
    guard let bytes = readFile(path) else { return }
    let clock = ContinuousClock()
    var font: SoundFont? = nil
    let parse = try clock.measure { font = try SoundFont(bytes: bytes) }
    let sf = try #require(font)
    var regionCount = 0, warningCount = 0
    var sampleWarnings: Set<String> = []
    let resolve = try clock.measure {
      for p in sf.presets {
        let (regions, warnings) = try sf.regions(for: p)
        #expect(!regions.isEmpty, "\(p.name) has no regions")
        regionCount += regions.count
        warningCount += warnings.count
        for w in warnings where !w.contains("modulators") { sampleWarnings.insert(w) }
        for r in regions {
          guard case .fontData(let start, let end) = r.sample else { Issue.record("not font data"); continue }
          #expect(start < end && end <= sf.sampleData.count)
          #expect(r.offset >= 0 && r.offset < (r.end ?? end - start) && (r.end ?? 0) <= end - start)
          #expect(r.loopStart >= 0 && r.loopStart <= r.loopEnd && r.loopEnd <= end - start)
          #expect(r.keyLow <= r.keyHigh && r.velLow <= r.velHigh)
        }
      }
    }
    // Decode every sample once, checking values stay in range.
    var frames = 0
    let decode = try clock.measure {
      for s in sf.samples where s.start < s.end && s.end <= sf.sampleData.count {
        let f = try sf.frames(for: .fontData(start: s.start, end: s.end), in: bytes)
        frames += f.count
        #expect(f.allSatisfy { $0 >= -1 && $0 < 1 })
      }
    }
    print(
      """
      \(path): '\(sf.name)' v\(sf.version.major).\(sf.version.minor), \(sf.presets.count) presets, \
      \(sf.samples.count) samples; parse \(parse), resolve all presets \(resolve) → \(regionCount) regions, \
      \(warningCount) warnings (\(sampleWarnings.count) distinct non-modulator); decode \(frames) frames \(decode)
      """)
    for w in sampleWarnings.sorted().prefix(8) { print("  warning: \(w)") }
  }
}
