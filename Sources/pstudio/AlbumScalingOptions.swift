import ArgumentParser
import Foundation
import PStudioCLI
import PatternStudio

extension ShardStrategy: ExpressibleByArgument {}

/// `pstudio album`'s options for albums past one machine: print the plan, render a shard or a unit, merge.
struct AlbumScalingOptions: ParsableArguments {
  @Flag(help: "Print the album's units as JSON (planHash, unit ids, songs, outputs, costs) and exit; no -o.")
  var plan = false
  @Option(help: "Render shard i of n (1-based: 1/4 … 4/4) into -o: its units and shard.json.")
  var shard: String?
  @Option(name: .customLong("shard-index"), help: "The shard to render, 0-based (with --shard-count).")
  var shardIndex: Int?
  @Option(name: .customLong("shard-count"), help: "How many shards (with --shard-index or --shard-from-env).")
  var shardCount: Int?
  @Option(name: .customLong("shard-strategy"), help: "hash (stable: a new song moves no other) or lpt (even).")
  var shardStrategy: ShardStrategy = .hash
  @Flag(
    name: .customLong("shard-from-env"),
    help:
      "Take the shard from PSTUDIO_SHARD, a Slurm array, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or TEST_SHARD_INDEX."
  )
  var shardFromEnv = false
  @Option(help: "Render one unit (its id from --plan, or a unique prefix) into -o.")
  var unit: String?
  @Option(parsing: .upToNextOption, help: "Merge these shard (or unit) folders into the album at -o.")
  var merge: [String] = []
  @Flag(name: .customLong("allow-partial"), help: "With --merge: report missing or bad shards, merge what is there.")
  var allowPartial = false

  func validate(hasOutput: Bool) throws {
    let sharded = shard != nil || shardIndex != nil || shardFromEnv
    let modes = [plan, sharded, unit != nil, !merge.isEmpty].filter { $0 }.count
    guard modes <= 1 else { throw ValidationError("use one of --plan, --shard, --unit and --merge at a time") }
    guard plan || hasOutput else { throw ValidationError("missing -o OUT (only --plan prints without one)") }
    if shard != nil && (shardIndex != nil || shardFromEnv) {
      throw ValidationError("--shard i/n already names the shard: drop --shard-index/--shard-from-env")
    }
    if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
    if shardCount != nil && !sharded {
      throw ValidationError("--shard-count goes with --shard-index or --shard-from-env")
    }
    if allowPartial && merge.isEmpty { throw ValidationError("--allow-partial goes with --merge") }
  }

  /// Runs the mode asked for; false when none was (a plain one-machine export).
  func run(_ exporter: AlbumExporter, dir: String, output: String?, progress: AlbumProgress) throws -> Bool {
    let report: @Sendable (String) -> Void = { progress.report($0) }
    do {
      if plan {
        print(try exporter.plan(dir: dir).json(), terminator: "")
        return true
      }
      // A shard or a unit reports each of its units once (the bar's total would be the album's).
      progress.perTrack = 1
      if let selection = try selection() {
        let (manifest, records) = try exporter.renderShard(
          dir: dir, shard: selection, strategy: shardStrategy, out: output!, progress: report)
        progress.finish()
        // Which shard, and where that came from, even with -q: a scheduler's log should say.
        print(
          "shard \(manifest.shardIndex + 1)/\(manifest.shardCount) (from \(selection.source), \(shardStrategy)): "
            + "\(records.count) units, plan \(manifest.planHash)")
        return try finishUnits(records)
      }
      if let unit {
        let record = try exporter.renderUnit(dir: dir, unitId: unit, out: output!, progress: report)
        progress.finish()
        return try finishUnits([record])
      }
      if !merge.isEmpty {
        progress.perTrack = 2
        let started = ContinuousClock.now
        let (manifest, problems) = try exporter.merge(
          dir: dir, folders: merge, out: output!, allowPartial: allowPartial, progress: report)
        progress.finish()
        for p in problems { printError("pstudio: warning: \(p)") }
        try Album.report(
          manifest, quiet: progress.enabled == false, wall: (ContinuousClock.now - started) / .seconds(1))
        return true
      }
    } catch let error as ExitCode {
      throw error
    } catch let error as ShardSelectionError {
      printError("pstudio: \(error)")
      throw Exit.usage
    } catch let error as AlbumMergeError {
      printError("pstudio: \(error)")
      throw Exit.inputError
    } catch {
      printError("pstudio: \(error)")
      throw Exit.io
    }
    return false
  }

  /// The shard asked for (`--shard`, `--shard-index`, `--shard-from-env`), or nil.
  private func selection() throws -> ShardSelection? {
    if let shard { return try ShardSelection.parse(oneBased: shard) }
    if let shardIndex, let shardCount { return try ShardSelection.zeroBased(index: shardIndex, count: shardCount) }
    if shardFromEnv {
      return try ShardSelection.fromEnvironment(ProcessInfo.processInfo.environment, count: shardCount)
    }
    return nil
  }

  /// One line per unit; the exit status says whether every unit rendered.
  private func finishUnits(_ records: [AlbumUnitRecord]) throws -> Bool {
    for r in records {
      let state = r.failure != nil ? "FAILED" : r.wholeSong == true ? "WHOLE " : "UNIT  "
      print("\(state)  \(r.unitId.prefix(12))  \(r.song)  \(r.frames) frames")
      for line in r.errors ?? [] { print("        \(line)") }
    }
    if records.contains(where: { $0.failure == .io }) { throw Exit.io }
    if records.contains(where: { $0.failure != nil }) { throw Exit.inputError }
    return true
  }
}
