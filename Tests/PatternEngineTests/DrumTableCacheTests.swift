import Testing

@testable import PatternEngine

@Suite("Drum tables kept between renders", .serialized)
struct DrumTableCacheTests {
  @Test("a kept kit is the kit rendered fresh; sounds, rates and seeds are kept apart; the cache stays bounded")
  func keptEqualsFresh() {
    let length = 9_600
    for seed in [UInt64(1), 2, 0xFFFF_FFFF_0000_0001] {
      for rate in [44_100, 48_000] {
        for sound in DrumSound.allCases {
          let key = DrumTableCache.Key(sound: sound, sampleRate: rate, seed: seed)
          let fresh = DrumTables.render(sound, length: length, sampleRate: rate, seed: seed)
          var calls = 0
          let first = DrumTableCache.variants(key) {
            calls += 1
            return fresh
          }
          let second = DrumTableCache.variants(key) {
            calls += 1
            return []
          }
          // Rendered at most once (an earlier test may have kept it already), and always these samples.
          #expect(calls <= 1)
          #expect(first.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
          #expect(second.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
          #expect(DrumTableCache.keptSamples <= DrumTableCache.capacity)
        }
      }
    }
    // Different seeds give different kits (the key is not ignored).
    let a = DrumTables.render(.snare, length: length, sampleRate: 48_000, seed: 1)
    let b = DrumTables.render(.snare, length: length, sampleRate: 48_000, seed: 2)
    #expect(a != b)
  }

  @Test("past its capacity the cache drops its oldest kits first")
  func bounded() {
    // Stand-in kits under a sample rate no render uses (1 Hz), so no other test can be handed them.
    let big = [[Float]](repeating: [Float](repeating: 0, count: DrumTableCache.capacity / 8), count: 4)
    let keys = (0..<5).map { DrumTableCache.Key(sound: .kick, sampleRate: 1, seed: 0xDEAD_0000 + UInt64($0)) }
    for key in keys { _ = DrumTableCache.variants(key) { big } }
    #expect(DrumTableCache.keptSamples <= DrumTableCache.capacity)
    var renderedAgain = 0
    _ = DrumTableCache.variants(keys[4]) {
      renderedAgain += 1
      return big
    }
    #expect(renderedAgain == 0, "the newest kit is kept")
    _ = DrumTableCache.variants(keys[0]) {
      renderedAgain += 1
      return big
    }
    #expect(renderedAgain == 1, "the oldest kit was dropped")
    // A kit larger than the whole cache is returned and not kept.
    let huge = [[Float]](repeating: [Float](repeating: 0, count: DrumTableCache.capacity), count: 2)
    let hugeKey = DrumTableCache.Key(sound: .tom, sampleRate: 1, seed: 0xDEAD_FFFF)
    #expect(DrumTableCache.variants(hugeKey) { huge }.count == 2)
    #expect(DrumTableCache.keptSamples <= DrumTableCache.capacity)
  }

  @Test("a song with drums renders the same samples with its kit kept or rendered fresh")
  func songUnchanged() {
    let song = "tempo 120; melody { synth Kick 0; synth Snare 1/2; synth HiHat 1/4; synth Crash 1; synth Tom 3/2; }"
    let s = score(song)
    let first = renderFloat(s)
    let second = renderFloat(s)
    #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    #expect(first.contains { $0 != 0 })
  }
}
