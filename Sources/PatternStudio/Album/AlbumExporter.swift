import Foundation
import PatternAudioIO
import PatternLanguage

/// Exports an album folder, on one machine or many. Every export is the same two steps: render each song's
/// unit (its pre-master sum, `AlbumUnitRenderer`), then finish the album from the units (`AlbumFinisher`:
/// album loudness, files, playlist, cue sheet, manifest). One machine does both (`export`, its units kept in
/// `OUT/.pstudio-units` so a re-run renders only what changed); a cluster splits the first step (`renderShard`,
/// `renderUnit`) and `merge` does the second — with the same code, so the files are byte-identical.
public struct AlbumExporter: Sendable {
  public var renderer: Renderer
  public var options: AlbumOptions

  /// The folder inside an export that keeps its units between runs.
  public static let unitCache = ".pstudio-units"

  public init(renderer: Renderer, options: AlbumOptions) {
    self.renderer = renderer
    self.options = options
  }

  /// The album's units (`--plan`).
  public func plan(dir: String) throws -> AlbumUnitPlan {
    try AlbumUnitPlan.make(dir: dir, options: options, renderer: renderer)
  }

  /// Exports the album on this machine.
  public func export(dir: String, out: String, progress: @escaping @Sendable (String) -> Void) throws -> AlbumManifest {
    let plan = try plan(dir: dir)
    try AtomicFile.createFolder(out)
    let cache = (out as NSString).appendingPathComponent(Self.unitCache)
    // `--force`: the old units moved aside now, deleted while the album is finished (`StaleUnitCache`).
    let stale = StaleUnitCache(cache: cache, replacing: options.force)
    defer { stale.finish() }
    // The units' SHA-256 and records, in the time a job would idle (`UnitSealer`); the rest at the end.
    let sealer = UnitSealer(progress: progress)
    defer { sealer.finish(jobs: options.jobs) }
    let units = AlbumUnitRenderer(renderer: renderer, options: options)
    let finisher = AlbumFinisher(renderer: renderer, options: options)
    try units.prepare(cache)
    // Each unit is measured at its own gain right after it is rendered, in the same job: no job waits at a
    // barrier between the two passes for the longest song of the other.
    let shared = UncheckedShared(plan)
    // Costliest first, each job taking the next unit when it is free: the jobs end together (in index order
    // the example album's longest song came last and one core idled ~0.3 s).
    let order = plan.units.indices.sorted { (plan.costs[$0], $1) > (plan.costs[$1], $0) }
    let rendered = Parallel.map(order: order, jobs: options.jobs, whenIdle: { sealer.hash(while: $0) }) { i in
      let input = AlbumFinisher.Input(
        record: units.render(shared.value, index: i, folder: cache, sealer: sealer, progress: progress),
        folder: cache)
      return (input, finisher.measureOwn(shared.value, input, index: i, progress: progress))
    }
    removeOtherUnits(in: cache, keeping: Set(plan.units.map(\.unitId)))
    stale.startDeleting()
    return try finisher.finish(
      plan, inputs: rendered.map(\.0), out: out, ownMeters: rendered.map(\.1),
      sealer: sealer, progress: progress)
  }

  /// Renders the units of one shard into `out` and writes its `shard.json` last.
  public func renderShard(
    dir: String, shard: ShardSelection, strategy: ShardStrategy, out: String,
    progress: @escaping @Sendable (String) -> Void
  ) throws -> (manifest: AlbumShardManifest, records: [AlbumUnitRecord]) {
    let plan = try plan(dir: dir)
    let assigned = strategy.assign(plan.units, count: shard.count)
    let mine = plan.units.indices.filter { assigned[$0] == shard.index }
    try AtomicFile.createFolder(out)
    let records = try AlbumUnitRenderer(renderer: renderer, options: options)
      .render(plan, indices: mine, into: out, progress: progress)
    let manifest = AlbumShardManifest(
      planHash: plan.planHash, shardIndex: shard.index, shardCount: shard.count, strategy: strategy,
      units: mine.map { plan.units[$0].unitId })
    // Written only when every unit is (so a shard folder with a manifest is complete), even if a song failed:
    // a failing song is a failed track in the album, not a missing shard.
    if !records.contains(where: { $0.failure == .io }) {
      try AtomicFile.write(
        text: try StableJSON.text(manifest), to: (out as NSString).appendingPathComponent(AlbumShardManifest.fileName))
    }
    return (manifest, records)
  }

  /// Renders one unit (by its id in the plan) into `out` (for Ray, Beam, Spark: anything that maps over the plan).
  public func renderUnit(
    dir: String, unitId: String, out: String, progress: @escaping @Sendable (String) -> Void
  ) throws -> AlbumUnitRecord {
    let plan = try plan(dir: dir)
    let matches = plan.units.indices.filter { plan.units[$0].unitId.hasPrefix(unitId) }
    guard matches.count == 1 else {
      throw AlbumMergeError(
        matches.isEmpty
          ? "no unit \(unitId) in the plan of \(dir) (pstudio album \(dir) --plan lists them)"
          : "\(unitId) names \(matches.count) units: give more of the id")
    }
    try AtomicFile.createFolder(out)
    return try AlbumUnitRenderer(renderer: renderer, options: options)
      .render(plan, indices: matches, into: out, progress: progress)[0]
  }

  /// Merges shard (and unit) folders into the album at `out`. Unless `allowPartial`, any problem (a missing,
  /// duplicated, stale or damaged shard) throws, naming every one, and nothing is written; with it, the
  /// problems are returned and the album is finished from the units that are there.
  public func merge(
    dir: String, folders: [String], out: String, allowPartial: Bool, progress: @escaping @Sendable (String) -> Void
  ) throws -> (manifest: AlbumManifest, problems: [String]) {
    let plan = try plan(dir: dir)
    let (inputs, problems) = AlbumMerge(plan: plan).collect(folders)
    if !problems.isEmpty && !allowPartial {
      throw AlbumMergeError(
        "cannot merge: " + problems.joined(separator: "\n  ")
          + "\n(nothing was written; --allow-partial merges what is there)")
    }
    let manifest = try AlbumFinisher(renderer: renderer, options: options).finish(
      plan, inputs: inputs, out: out, progress: progress)
    return (manifest, problems)
  }

  /// Deletes the cached units of songs that are no longer in the album (or changed), so the cache holds one
  /// album's worth.
  private func removeOtherUnits(in cache: String, keeping ids: Set<String>) {
    let units = (cache as NSString).appendingPathComponent("units")
    for name in (try? FileManager.default.contentsOfDirectory(atPath: units)) ?? [] {
      guard !name.hasPrefix(".") else { continue }
      let id = String(name.prefix { $0 != "." })
      if !ids.contains(id) {
        try? FileManager.default.removeItem(atPath: (units as NSString).appendingPathComponent(name))
      }
    }
  }
}
