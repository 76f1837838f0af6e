import Foundation

/// Which shard this process renders: an index (0-based) of a count, and where it came from.
public struct ShardSelection: Sendable, Equatable {
  public var index: Int
  public var count: Int
  /// Where the index and count came from (`--shard`, `SLURM_ARRAY_TASK_ID`, …), for the log.
  public var source: String

  public init(index: Int, count: Int, source: String) {
    self.index = index
    self.count = count
    self.source = source
  }

  /// `i/n`, 1-based (like jest and nextest): `--shard 2/4` is the second of four.
  public static func parse(oneBased text: String) throws -> ShardSelection {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw ShardSelectionError("--shard expects i/n, 1-based (e.g. 2/4), got '\(text)'")
    }
    return try checked(index: i - 1, count: n, source: "--shard \(text)", oneBased: true)
  }

  /// `--shard-index I --shard-count N`, 0-based.
  public static func zeroBased(index: Int, count: Int) throws -> ShardSelection {
    try checked(index: index, count: count, source: "--shard-index \(index) --shard-count \(count)")
  }

  static func checked(index: Int, count: Int, source: String, oneBased: Bool = false) throws -> ShardSelection {
    guard (1...100_000).contains(count) else {
      throw ShardSelectionError("\(source): the shard count must be 1 … 100000, got \(count)")
    }
    guard (0..<count).contains(index) else {
      let range = oneBased ? "1 … \(count)" : "0 … \(count - 1)"
      throw ShardSelectionError("\(source): the shard index must be \(range), got \(oneBased ? index + 1 : index)")
    }
    return ShardSelection(index: index, count: count, source: source)
  }

  /// The shard a scheduler's environment names, tried in this order: `PSTUDIO_SHARD` (`i/n`, 1-based); a Slurm
  /// array (`SLURM_ARRAY_TASK_ID` with `_MIN`, `_STEP` and `_COUNT`: no count needed; a sparse array such as
  /// `--array=1,5,9` is refused); a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`) or AWS Batch array
  /// (`AWS_BATCH_JOB_ARRAY_INDEX`), both with `count` (`--shard-count`); Bazel's `TEST_SHARD_INDEX` and
  /// `TEST_TOTAL_SHARDS`.
  public static func fromEnvironment(_ env: [String: String], count: Int?) throws -> ShardSelection {
    func int(_ key: String) throws -> Int? {
      guard let text = env[key] else { return nil }
      guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw ShardSelectionError("\(key)=\(text) is not a whole number")
      }
      return v
    }
    if let text = env["PSTUDIO_SHARD"] {
      var s = try parse(oneBased: text)
      s.source = "PSTUDIO_SHARD=\(text)"
      return s
    }
    if let id = try int("SLURM_ARRAY_TASK_ID") {
      guard let min = try int("SLURM_ARRAY_TASK_MIN"), let n = try int("SLURM_ARRAY_TASK_COUNT") else {
        throw ShardSelectionError("SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_MIN and _COUNT")
      }
      let step = try int("SLURM_ARRAY_TASK_STEP") ?? 1
      let max = try int("SLURM_ARRAY_TASK_MAX") ?? (min + (n - 1) * step)
      // A dense array (min, min+step, …, max) has exactly count tasks; anything else has holes.
      guard step >= 1, (id - min) % step == 0, max == min + (n - 1) * step else {
        throw ShardSelectionError(
          "the Slurm array is sparse (min \(min), max \(max), step \(step), \(n) tasks): use a range such as --array=0-\(n - 1)"
        )
      }
      if let count, count != n {
        throw ShardSelectionError("--shard-count \(count) disagrees with SLURM_ARRAY_TASK_COUNT=\(n)")
      }
      return try checked(index: (id - min) / step, count: n, source: "SLURM_ARRAY_TASK_ID=\(id) of \(n)")
    }
    for key in ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] {
      guard let index = try int(key) else { continue }
      guard let count else { throw ShardSelectionError("\(key) is set: say how many shards with --shard-count") }
      return try checked(index: index, count: count, source: "\(key)=\(index) of \(count)")
    }
    if let index = try int("TEST_SHARD_INDEX") {
      guard let n = try int("TEST_TOTAL_SHARDS") ?? count else {
        throw ShardSelectionError("TEST_SHARD_INDEX is set without TEST_TOTAL_SHARDS")
      }
      return try checked(index: index, count: n, source: "TEST_SHARD_INDEX=\(index) of \(n)")
    }
    throw ShardSelectionError(
      "--shard-from-env found no shard: set PSTUDIO_SHARD=i/n, run in a Slurm array, or set JOB_COMPLETION_INDEX, "
        + "AWS_BATCH_JOB_ARRAY_INDEX (with --shard-count) or TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")
  }
}

/// A shard that cannot be chosen (a bad `--shard`, a sparse Slurm array, an environment without one).
public struct ShardSelectionError: Error, CustomStringConvertible, Sendable {
  public var description: String
  init(_ description: String) { self.description = description }
}
