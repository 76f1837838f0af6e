import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Drum tables kept between renders")
struct DrumTableCacheTests {
  @Test(
    "a session's kit, kept or not, rendered on one thread or three, is the kit rendered fresh, for every sound, two rates and three seeds"
  )
  func keptEqualsFresh() {
    for seed in [UInt64(1), 2, 0xFFFF_FFFF_0000_0001] {
      for rate in [44_100, 48_000] {
        // The first session may render the kits or find them kept (another test may have rendered them); the
        // second finds them kept. Either way they are the samples a fresh render gives.
        let first = DrumTables(sounds: Set(DrumSound.allCases), sampleRate: rate, seed: seed)
        let second = DrumTables(sounds: Set(DrumSound.allCases), sampleRate: rate, seed: seed)
        for sound in DrumSound.allCases {
          let fresh = DrumTables.render(
            sound, length: DrumTables.length(of: sound, sampleRate: rate), sampleRate: rate, seed: seed)
          #expect(first.variants(of: sound)?.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
          #expect(second.variants(of: sound)?.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
          // Variants rendered side by side are the same samples, in the same order.
          let sideBySide = DrumTables.render(
            sound, length: DrumTables.length(of: sound, sampleRate: rate), sampleRate: rate, seed: seed, threads: 3)
          #expect(sideBySide.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
          #expect(sideBySide.allSatisfy { $0.count == DrumTables.length(of: sound, sampleRate: rate) })
        }
      }
    }
    // The key is not ignored: different seeds give different kits.
    let a = DrumTables.render(.snare, length: 9_600, sampleRate: 48_000, seed: 1)
    let b = DrumTables.render(.snare, length: 9_600, sampleRate: 48_000, seed: 2)
    #expect(a != b)
  }

  @Test("the hits warmed beside the schedule are the synthesised hits the schedule plays, a soloed track's alone")
  func warmedHits() {
    let song = score(
      """
      rhythm { synth Kick 0; synth Snare 1; synth HiHat 1/2; synth HiHat 3/2; }
      contrast { synth Crash 0; sine C4 1; }
      melody { sine E4 0; }
      """)
    // The built-in kit, and one whose names play other recipes (Kick the snare's, Crash the tom's).
    var remapped = Patch.builtIn
    let synth = InstrumentID.builtIn("synth")
    remapped[synth]!.hits["Kick"] = .snare
    remapped[synth]!.hits["Crash"] = .tom
    for patches in [Patch.builtIn, remapped] {
      for solo in [nil, 0, 1, 2] as [Int?] {
        var settings = EngineSettings()
        settings.soloTrack = solo
        let (schedule, _) = Scheduler.schedule(song, patches: patches, settings: settings)
        var played = Set<DrumSound>()
        for voice in schedule!.lanes.joined().joined() {
          if case .drum(let d) = voice.kind { played.insert(d) }
        }
        #expect(!played.isEmpty || solo == 2)
        #expect(
          DrumTableWarmer.sounds(song, patches: patches, settings: settings) == played,
          "solo \(String(describing: solo))")
      }
    }
    // A hit the kit plays from a sample is not synthesised.
    var sampled = Patch.builtIn[synth]!
    sampled.hitZones = ["Snare": 0]
    sampled.hitSamples = SamplerBank(layered: false) { [] }
    #expect(Scheduler.synthesizedHit("Snare", of: sampled) == nil)
    #expect(Scheduler.synthesizedHit("Kick", of: sampled) == .kick)
  }

  @Test("warming stores what a fresh render gives, and starts nothing when every hit is kept")
  func warmedTables() {
    let cache = DrumTableCache(capacity: 8 << 20)
    DrumTableWarmer.warm([.kick, .hiHat], sampleRate: 48_000, seed: 7, cache: cache)
    for sound in [DrumSound.kick, .hiHat] {
      var renderedAgain = false
      let kept = cache.variants(DrumTableCache.Key(sound: sound, sampleRate: 48_000, seed: 7)) {
        renderedAgain = true
        return []
      }
      let fresh = DrumTables.render(
        sound, length: DrumTables.length(of: sound, sampleRate: 48_000), sampleRate: 48_000, seed: 7)
      #expect(!renderedAgain && kept.map { $0.map(\.bitPattern) } == fresh.map { $0.map(\.bitPattern) })
    }
    #expect(!cache.contains(DrumTableCache.Key(sound: .snare, sampleRate: 48_000, seed: 7)))
    let song = score("seed 7; rhythm { synth Kick 0; synth HiHat 1; }")
    #expect(!DrumTableWarmer.start(song, patches: Patch.builtIn, settings: EngineSettings(), cache: cache))
    var one = EngineSettings()
    one.threads = 1
    #expect(!DrumTableWarmer.start(score("rhythm { synth Snare 0; }"), patches: Patch.builtIn, settings: one))
    #expect(!DrumTableWarmer.start(score("melody { sine C4 0; }"), patches: Patch.builtIn, settings: EngineSettings()))
    // Warmed or not, on one thread or two, a render with drums is the same samples.
    let drums = score("seed 11; rhythm { synth Kick 0; synth Snare 1/2; synth Tom 1; }")
    #expect(renderFloat(drums).map(\Float.bitPattern) == renderFloat(drums, settings: one).map(\Float.bitPattern))
  }

  @Test("a kept kit is not rendered again; past its capacity the cache drops its oldest kits first")
  func bounded() {
    // A cache of its own (the process's holds real kits other tests render meanwhile).
    let cache = DrumTableCache(capacity: 1_000)
    let kit = [[Float]](repeating: [Float](repeating: 0.5, count: 100), count: 4)  // 400 samples
    let keys = (0..<4).map { DrumTableCache.Key(sound: .kick, sampleRate: 48_000, seed: UInt64($0)) }
    var renders = 0
    func fetch(_ key: DrumTableCache.Key) -> [[Float]] {
      cache.variants(key) {
        renders += 1
        return kit
      }
    }
    _ = fetch(keys[0])
    _ = fetch(keys[0])
    #expect(renders == 1, "kept")
    _ = fetch(keys[1])
    #expect(cache.keptSamples == 800)
    _ = fetch(keys[2])  // 1,200 > 1,000: keys[0] goes
    #expect(cache.keptSamples == 800)
    _ = fetch(keys[2])
    _ = fetch(keys[1])
    #expect(renders == 3, "keys[1] and keys[2] kept")
    _ = fetch(keys[0])
    #expect(renders == 4, "keys[0] was dropped")
    #expect(cache.keptSamples <= cache.capacity)
    // A kit larger than the whole cache is returned and not kept.
    let huge = [[Float]](repeating: [Float](repeating: 0, count: 600), count: 2)
    #expect(cache.variants(keys[3]) { huge } == huge)
    #expect(cache.keptSamples <= cache.capacity)
    var again = false
    _ = cache.variants(keys[3]) {
      again = true
      return huge
    }
    #expect(again, "not kept")
  }

  @Test("a song with drums renders the same samples twice in one process")
  func songUnchanged() {
    let song = "tempo 120; melody { synth Kick 0; synth Snare 1/2; synth HiHat 1/4; synth Crash 1; synth Tom 3/2; }"
    let s = score(song)
    let first = renderFloat(s)
    let second = renderFloat(s)
    #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    #expect(first.contains { $0 != 0 })
  }
}
