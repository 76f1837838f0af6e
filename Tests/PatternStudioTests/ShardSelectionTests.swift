import PatternStudio
import Testing

/// Which shard a process renders, from `--shard` and from each scheduler's environment.
@Suite("Shard selection")
struct ShardSelectionTests {
  func pick(_ env: [String: String], count: Int? = nil) throws -> ShardSelection {
    try ShardSelection.fromEnvironment(env, count: count)
  }

  @Test("--shard i/n is 1-based; bad forms and ranges are refused with the range")
  func oneBased() throws {
    #expect(try ShardSelection.parse(oneBased: "2/4") == ShardSelection(index: 1, count: 4, source: "--shard 2/4"))
    for bad in ["0/4", "5/4", "2", "a/b", "1/0", "-1/3"] {
      #expect(throws: ShardSelectionError.self, "\(bad)") { try ShardSelection.parse(oneBased: bad) }
    }
    do {
      _ = try ShardSelection.parse(oneBased: "5/4")
    } catch {
      #expect("\(error)".contains("must be 1 … 4, got 5"))
    }
  }

  @Test("Slurm arrays: dense ranges with a minimum and a step; the count comes from Slurm; sparse arrays are refused")
  func slurm() throws {
    let s = try pick(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"])
    #expect(s.index == 2 && s.count == 4 && s.source.hasPrefix("SLURM_ARRAY_TASK_ID=2"))
    let stepped = try pick([
      "SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "10",
      "SLURM_ARRAY_TASK_STEP": "3", "SLURM_ARRAY_TASK_COUNT": "4",
    ])
    #expect(stepped.index == 2 && stepped.count == 4)
    #expect(throws: ShardSelectionError.self) {
      // --array=1,5,9,20: four tasks, but not one range.
      try pick([
        "SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "20",
        "SLURM_ARRAY_TASK_COUNT": "4",
      ])
    }
    #expect(throws: ShardSelectionError.self) {
      try pick(["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"], count: 3)
    }
    #expect(throws: ShardSelectionError.self) { try pick(["SLURM_ARRAY_TASK_ID": "1"]) }
  }

  @Test("Kubernetes, AWS Batch and Bazel; PSTUDIO_SHARD first; nothing set is an error naming every source")
  func others() throws {
    #expect(
      try pick(["JOB_COMPLETION_INDEX": "3"], count: 5)
        == ShardSelection(index: 3, count: 5, source: "JOB_COMPLETION_INDEX=3 of 5"))
    #expect(throws: ShardSelectionError.self) { try pick(["JOB_COMPLETION_INDEX": "3"]) }
    #expect(throws: ShardSelectionError.self) { try pick(["JOB_COMPLETION_INDEX": "5"], count: 5) }
    #expect(try pick(["AWS_BATCH_JOB_ARRAY_INDEX": "0"], count: 2).index == 0)
    #expect(
      try pick(["TEST_SHARD_INDEX": "1", "TEST_TOTAL_SHARDS": "3"])
        == ShardSelection(index: 1, count: 3, source: "TEST_SHARD_INDEX=1 of 3"))
    let both = try pick(["PSTUDIO_SHARD": "1/2", "SLURM_ARRAY_TASK_ID": "3"])
    #expect(both.index == 0 && both.count == 2 && both.source == "PSTUDIO_SHARD=1/2")
    #expect(throws: ShardSelectionError.self) { try pick(["SLURM_ARRAY_TASK_ID": "x"]) }
    do {
      _ = try pick([:])
      Issue.record("no shard in an empty environment")
    } catch {
      for name in ["PSTUDIO_SHARD", "Slurm", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "TEST_SHARD_INDEX"] {
        #expect("\(error)".contains(name))
      }
    }
  }
}
