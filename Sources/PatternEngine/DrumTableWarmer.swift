import PatternLanguage

/// Renders the drum hits a score's kits synthesise into `DrumTableCache.shared` on a thread of its own, while the
/// calling thread schedules the score; the session then finds them there (`DrumTables`).
///
/// Why: the hits were rendered after the schedule, on the rendering thread's critical path (W2's kit: ~1.2 ms of
/// CPU). Nobody waits for the warmer: a hit the session needs before the warmer has stored it is rendered by the
/// session too (the cache keeps one copy). Every table is the same pure function of its sound, rate and seed,
/// whoever renders it, so the audio cannot change; a guess that is too wide renders a table nothing plays.
enum DrumTableWarmer {
  /// Starts rendering the synthesised hits of `score` that `cache` does not hold yet; false when there are none (no
  /// thread is started), when the render has one thread, or for a limits-only schedule.
  @discardableResult
  static func start(
    _ score: Score, patches: PatchBank, settings: EngineSettings, cache: DrumTableCache = .shared
  ) -> Bool {
    guard settings.threads >= 2, !settings.limitsOnly else { return false }
    let missing = sounds(score, patches: patches, settings: settings).filter {
      !cache.contains(DrumTableCache.Key(sound: $0, sampleRate: settings.sampleRate, seed: score.seed))
    }
    guard !missing.isEmpty else { return false }
    return ThreadPlacement.startOffThisCore {
      warm(missing, sampleRate: settings.sampleRate, seed: score.seed, cache: cache)
    }
  }

  /// Renders `sounds` into `cache` on this thread (one variant after another), as a session's `DrumTables` would.
  static func warm(_ sounds: Set<DrumSound>, sampleRate: Int, seed: UInt64, cache: DrumTableCache) {
    _ = DrumTables(sounds: sounds, sampleRate: sampleRate, seed: seed, cache: cache)
  }

  /// The hits `score`'s kits synthesise: each event's hit name through its kit's recipes, as the scheduler reads
  /// them (`Scheduler.synthesizedHit`). One look at each hit event (the kit's patch found again only when the
  /// instrument changes): a song without hits costs a pass over its events.
  static func sounds(_ score: Score, patches: PatchBank, settings: EngineSettings) -> Set<DrumSound> {
    var sounds = Set<DrumSound>()
    var last: (id: InstrumentID, patch: Patch?)? = nil
    for e in score.events {
      guard case .hit(let name) = e.note else { continue }
      if let solo = settings.soloTrack, e.track != solo { continue }
      if last?.id != e.instrument.id { last = (e.instrument.id, patches[e.instrument.id]) }
      guard let patch = last?.patch, case .drums = patch.kind, let sound = Scheduler.synthesizedHit(name, of: patch)
      else { continue }
      sounds.insert(sound)
    }
    return sounds
  }
}
