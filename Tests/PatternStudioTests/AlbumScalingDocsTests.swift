import Foundation
import TestSupport
import Testing

/// docs/SCALING.md's examples, run as written: every `pstudio album` line of its shell blocks (with a test
/// album as `songs`, the scheduler's variables set as the scheduler would) and its Ray script (against a
/// stand-in `ray` module that runs tasks in process). Each merge must equal a one-machine export.
@Suite("docs/SCALING.md examples", .serialized)
struct AlbumScalingDocsTests {
  static let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../docs/SCALING.md").standardized.path

  /// The doc's fenced blocks of one language, in order.
  static func blocks(_ language: String) throws -> [String] {
    let text = try String(contentsOfFile: doc, encoding: .utf8)
    var result: [String] = []
    var current: [String]? = nil
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil, line.hasPrefix("```\(language)") {
        current = []
      } else if current != nil, line.hasPrefix("```") {
        result.append(current!.joined(separator: "\n"))
        current = nil
      } else if current != nil {
        current!.append(String(line))
      }
    }
    return result
  }

  /// Every line that runs `pstudio album`, continuation lines joined.
  static func commands() throws -> [String] {
    try blocks("sh").flatMap { block in
      block.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
    }.filter { $0.hasPrefix("pstudio album") || $0.contains("&& pstudio album") }
  }

  /// A folder with the test album as `songs`, `pstudio` on the PATH, and the one-machine export in `reference`.
  func workspace() async throws -> (cwd: String, path: String, reference: [String: Data]) {
    let cwd = Scratch.folder()
    try FileManager.default.copyItem(atPath: try ShardAlbum.make(), toPath: "\(cwd)/songs")
    let bin = Scratch.folder()
    try FileManager.default.createSymbolicLink(atPath: "\(bin)/pstudio", withDestinationPath: ProcessRunner.pstudio)
    let r = try await ProcessRunner.run(
      ProcessRunner.pstudio, ["album", "\(cwd)/songs", "-o", "\(cwd)/reference", "-q"])
    #expect(r.status == 0, "\(r.stderr)")
    return (
      cwd, bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      try ShardAlbum.files("\(cwd)/reference")
    )
  }

  func sh(_ line: String, in ws: (cwd: String, path: String, reference: [String: Data]), env: [String: String] = [:])
    async throws
  {
    let r = try await ProcessRunner.run(
      "/bin/sh", ["-c", line], cwd: ws.cwd, environment: env.merging(["PATH": ws.path]) { $1 })
    #expect(r.status == 0, "\(line): \(r.stdout)\(r.stderr)")
  }

  func command(_ fragment: String) throws -> String {
    let found = try Self.commands().filter { $0.contains(fragment) }
    guard let line = found.first else { throw TestFailure("docs/SCALING.md has no command with '\(fragment)'") }
    return line
  }

  @Test("the plan, --shard i/n and --shard-index, then the merge")
  func shardsByHand() async throws {
    let ws = try await workspace()
    try await sh(try command("--plan > plan.json"), in: ws)
    let plan =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(ws.cwd)/plan.json")))
      as! [String: Any]
    #expect((plan["units"] as! [Any]).count == 6)
    // `--shard 2/4` and `--shard-index 1 --shard-count 4` are the same shard, into the same folder.
    try await sh(try command("--shard 2/4"), in: ws)
    try await sh(try command("--shard-index 1 --shard-count 4"), in: ws)
    for i in [1, 3, 4] { try await sh("pstudio album songs --shard \(i)/4 -o shards/\(i)", in: ws) }
    try await sh(try command("--merge shards/* -o album"), in: ws)
    #expect(try ShardAlbum.files("\(ws.cwd)/album") == ws.reference)
  }

  @Test("the Slurm array script's line, per task, and its merge")
  func slurm() async throws {
    let ws = try await workspace()
    let line = try command("$SLURM_ARRAY_TASK_ID")
    for task in 0..<4 {
      let env = [
        "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3",
        "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "4",
      ]
      try await sh(line, in: ws, env: env)
    }
    // The task's log says which shard it rendered and where that came from.
    let log = try await ProcessRunner.run(
      "/bin/sh", ["-c", line], cwd: ws.cwd,
      environment: [
        "PATH": ws.path, "SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4",
      ])
    #expect(log.stdout.hasPrefix("shard 4/4 (from SLURM_ARRAY_TASK_ID=3 of 4, hash)"), "\(log.stdout)")
    let merge = try command("sbatch --wait album.sbatch &&")
    try await sh(String(merge[merge.range(of: "pstudio album")!.lowerBound...]), in: ws)
    #expect(try ShardAlbum.files("\(ws.cwd)/album") == ws.reference)
  }

  @Test("the Kubernetes Indexed Job's command, per index, and its merge")
  func kubernetes() async throws {
    let ws = try await workspace()
    let text = try String(contentsOfFile: Self.doc, encoding: .utf8)
    let args = try #require(
      text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.hasPrefix("- pstudio album /album --shard-from-env") })
    let local = { (s: String) in
      s.replacingOccurrences(of: " /album ", with: " songs ").replacingOccurrences(of: " /out/", with: " out/")
    }
    for index in 0..<4 {
      try await sh(local(String(args.dropFirst(2))), in: ws, env: ["JOB_COMPLETION_INDEX": "\(index)"])
    }
    #expect(text.contains("`pstudio album /album --merge /out/shards/* -o /out/album`"))
    try await sh(local("pstudio album /album --merge /out/shards/* -o /out/album"), in: ws)
    #expect(try ShardAlbum.files("\(ws.cwd)/out/album") == ws.reference)
  }

  @Test("the GNU parallel line's --unit form and the Ray script, with a stand-in ray module")
  func unitsByMap() async throws {
    let ws = try await workspace()
    let parallel = try command("parallel -S")
    #expect(parallel.contains("pstudio album songs --plan | jq -r '.units[].unitId'"))
    let unitForm = String(parallel[parallel.range(of: "pstudio album songs --unit")!.lowerBound...])
    let plan =
      try JSONSerialization.jsonObject(
        with: Data(
          try await ProcessRunner.run(ProcessRunner.pstudio, ["album", "\(ws.cwd)/songs", "--plan"]).stdout.utf8))
      as! [String: Any]
    for unit in plan["units"] as! [[String: Any]] {
      try await sh(unitForm.replacingOccurrences(of: "{}", with: unit["unitId"] as! String), in: ws)
    }
    let merge = try Self.commands().filter { $0.contains("--merge units/*") }
    try await sh(try #require(merge.first), in: ws)
    #expect(try ShardAlbum.files("\(ws.cwd)/album") == ws.reference)
    // Ray: the script as written; `ray` runs each task at once, in process.
    try FileManager.default.removeItem(atPath: "\(ws.cwd)/album")
    try FileManager.default.removeItem(atPath: "\(ws.cwd)/units")
    try """
    def init(*args, **kwargs): pass
    class _Remote:
        def __init__(self, f): self.f = f
        def remote(self, *args): return self.f(*args)
    def remote(f): return _Remote(f)
    def get(refs): return list(refs)
    """.write(toFile: "\(ws.cwd)/ray.py", atomically: true, encoding: .utf8)
    let script = try #require(try Self.blocks("python").first)
    try script.write(toFile: "\(ws.cwd)/album_ray.py", atomically: true, encoding: .utf8)
    try await sh("python3 album_ray.py", in: ws)
    #expect(try ShardAlbum.files("\(ws.cwd)/album") == ws.reference)
  }
}
