import PatternLanguage
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Renders the drum hits a score's kits synthesise into `DrumTableCache.shared` on a thread of its own, while the
/// calling thread schedules the score; the session then finds them there (`DrumTables`).
///
/// Why: the hits were rendered after the schedule, on the rendering thread's critical path (W2's kit: ~1.2 ms of
/// CPU). Which hits play is read from the events here (the kit's recipe for each hit name, as the scheduler picks
/// it); a guess that is too wide renders a table nothing plays, one too narrow leaves a hit to `DrumTables`. Either
/// way every table is the same pure function of its sound, rate and seed, so the audio cannot change.
final class DrumTableWarmer: @unchecked Sendable {
  private let done = Atomic<Bool>(false)

  /// Starts warming the cache for `score`'s synthesised hits; nil when it has none, or runs on one thread.
  static func start(_ score: Score, patches: PatchBank, settings: EngineSettings) -> DrumTableWarmer? {
    guard settings.threads >= 2, !settings.limitsOnly,
      patches.values.contains(where: { if case .drums = $0.kind { true } else { false } })
    else { return nil }
    let warmer = DrumTableWarmer()
    let work: @Sendable () -> Void = {
      let sounds = Self.sounds(score, patches: patches, settings: settings)
      if !sounds.isEmpty {
        _ = DrumTables(sounds: sounds, sampleRate: settings.sampleRate, seed: score.seed, threads: 1)
      }
      warmer.done.store(true, ordering: .releasing)
    }
    if !ThreadPlacement.startOffThisCore(work) { return nil }
    return warmer
  }

  /// The hits `score`'s kits synthesise: each event's hit name through its kit's recipes, as the scheduler reads
  /// them (`Scheduler.synthesizedHit`).
  static func sounds(_ score: Score, patches: PatchBank, settings: EngineSettings) -> Set<DrumSound> {
    var sounds = Set<DrumSound>()
    for e in score.events {
      if let solo = settings.soloTrack, e.track != solo { continue }
      guard case .hit(let name) = e.note, let patch = patches[e.instrument.id], case .drums = patch.kind,
        let sound = Scheduler.synthesizedHit(name, of: patch)
      else { continue }
      sounds.insert(sound)
    }
    return sounds
  }

  /// Waits until the tables are in the cache (yielding: they take about as long as the schedule beside them).
  func wait() {
    while !done.load(ordering: .acquiring) {
      #if canImport(Glibc)
        sched_yield()
      #endif
    }
  }
}
