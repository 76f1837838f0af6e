import Foundation
import PatternStudio
import TestSupport
import Testing

/// Albums past one machine, through the CLI: the plan, shards rendered as separate processes, merges that must
/// equal a one-machine export byte for byte, and every way a merge can be handed the wrong folders.
@Suite("Album shards", .serialized)
struct AlbumShardTests {
  func run(_ args: [String], cwd: String? = nil, env: [String: String] = [:]) async throws -> ProcessResult {
    try await ProcessRunner.run(ProcessRunner.pstudio, args, cwd: cwd, environment: env)
  }

  func plan(_ dir: String) async throws -> [String: Any] {
    let r = try await run(["album", dir, "--plan"])
    #expect(r.status == 0, "\(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
  }

  /// Renders shards 1…n of `dir` as n processes at once; returns their folders.
  func shards(_ dir: String, count n: Int, extra: [String] = []) async throws -> [String] {
    let root = Scratch.folder()
    let folders = (1...n).map { "\(root)/shard-\($0)" }
    let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
      for i in 1...n {
        group.addTask {
          try await self.run(["album", dir, "--shard", "\(i)/\(n)", "-o", folders[i - 1], "-q", "--jobs", "1"] + extra)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    for r in results { #expect(r.status == 0, "\(r.stdout)\(r.stderr)") }
    return folders
  }

  @Test("--plan: the same bytes twice; editing one song changes only its unit")
  func planStable() async throws {
    let dir = try ShardAlbum.make()
    let first = try await run(["album", dir, "--plan"])
    let second = try await run(["album", dir, "--plan", "--jobs", "1"])
    #expect(first.status == 0 && first.stdout == second.stdout)
    let before = try await plan(dir)
    let units = before["units"] as! [[String: Any]]
    #expect(units.count == 6)
    #expect((before["planHash"] as! String).count == 64)
    #expect(units.map { $0["output"] as! String }.first == "01 - One.flac")
    #expect(units.allSatisfy { ($0["unitId"] as! String).count == 64 && ($0["frames"] as! Int) > 0 })
    try "title \"Quiet\"; tempo 90; melody { sine A4 0 dur=4 vel=0.3; }"
      .write(toFile: "\(dir)/f.pattern", atomically: true, encoding: .utf8)
    let after = try await plan(dir)
    let ids = { (p: [String: Any]) in (p["units"] as! [[String: Any]]).map { $0["unitId"] as! String } }
    let changed = zip(ids(before), ids(after)).enumerated().filter { $1.0 != $1.1 }.map(\.offset)
    #expect(changed == [5])
    #expect(before["planHash"] as! String != after["planHash"] as! String)
  }

  @Test(
    "1, 2, 3 and 7 shards as parallel processes merge to the one-machine album, byte for byte", .timeLimit(.minutes(8)))
  func shardsMergeIdentical() async throws {
    let dir = try ShardAlbum.make()
    let one = Scratch.folder()
    let r = try await run(["album", dir, "-o", one, "-q", "--stems"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let reference = try ShardAlbum.files(one)
    #expect(reference.keys.contains("album.json") && reference.keys.contains("01 - One.flac"))
    #expect(reference.keys.contains { $0.hasPrefix("stems/03 - Keyed master/") })
    let manifest = try JSONSerialization.jsonObject(with: reference["album.json"]!) as! [String: Any]
    #expect((manifest["tracks"] as! [[String: Any]]).allSatisfy { $0["status"] as? String == "rendered" })
    for n in [1, 2, 3, 7] {
      let folders = try await shards(dir, count: n, extra: ["--stems"])
      let out = Scratch.folder() + "/album"
      let merged = try await run(["album", dir, "--merge"] + folders + ["-o", out, "-q", "--stems"])
      #expect(merged.status == 0, "\(n) shards: \(merged.stdout)\(merged.stderr)")
      let files = try ShardAlbum.files(out)
      #expect(files.keys.sorted() == reference.keys.sorted(), "\(n) shards")
      for (name, bytes) in reference where files[name] != bytes { Issue.record("\(n) shards: \(name) differs") }
    }
    // lpt deals by cost and still merges to the same album.
    let lpt = try await shards(dir, count: 3, extra: ["--stems", "--shard-strategy", "lpt"])
    let out = Scratch.folder() + "/album"
    #expect(try await run(["album", dir, "--merge"] + lpt + ["-o", out, "-q", "--stems"]).status == 0)
    #expect(try ShardAlbum.files(out) == reference)
  }

  @Test("every unit lands in exactly one shard for n = 1 … 50; a new song moves no other unit (hash)")
  func everyUnitOnce() throws {
    let units = (0..<60).map { (i: Int) -> AlbumUnit in
      let byte: Int = (i * 37 + 11) % 256
      let id: String = String(repeating: String(format: "%02x", byte), count: 32)
      let frames: Int64 = Int64((i * 7919) % 1000 + 1)
      return AlbumUnit(unitId: id, number: i + 1, song: "s\(i).pattern", title: "S\(i)", output: "x", frames: frames)
    }
    for n in 1...50 {
      for strategy in ShardStrategy.allCases {
        let shard = strategy.assign(units, count: n)
        #expect(shard.count == units.count && shard.allSatisfy { (0..<n).contains($0) })
        // Each unit in exactly one shard: the shards' lists partition the units.
        let lists = (0..<n).map { s in units.indices.filter { shard[$0] == s } }
        #expect(lists.joined().sorted() == Array(units.indices))
        if strategy == .lpt && n <= units.count { #expect(lists.allSatisfy { !$0.isEmpty }) }
      }
      let before = ShardStrategy.hash.assign(Array(units.dropLast()), count: n)
      #expect(Array(ShardStrategy.hash.assign(units, count: n).dropLast()) == before)
    }
  }

  @Test("a shard killed with SIGKILL, then run again: no temporary file is left and the album is the same")
  func killedShard() async throws {
    let dir = try ShardAlbum.make()
    // A longer song, so the kill lands while a unit is being written.
    try "title \"Long\"; tempo 120; melody { saw C3 0 dur=120; saw E3 0 dur=120; saw G3 0 dur=120; }"
      .write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    let one = Scratch.folder()
    #expect(try await run(["album", dir, "-o", one, "-q"]).status == 0)
    let shard = Scratch.folder()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ProcessRunner.pstudio)
    p.arguments = ["album", dir, "--shard", "1/1", "-o", shard, "-q", "--jobs", "1"]
    try p.run()
    let sawPartial = try await OffPool.waitUntil(seconds: 120, whileRunning: p) {
      (try? FileManager.default.contentsOfDirectory(atPath: "\(shard)/units"))?.contains { $0.hasSuffix(".partial") }
        == true
    }
    kill(p.processIdentifier, SIGKILL)
    try await OffPool.run { p.waitUntilExit() }
    #expect(sawPartial)
    #expect(!FileManager.default.fileExists(atPath: "\(shard)/shard.json"))
    let again = try await run(["album", dir, "--shard", "1/1", "-o", shard, "-q"])
    #expect(again.status == 0, "\(again.stderr)")
    let left = try FileManager.default.subpathsOfDirectory(atPath: shard).filter { $0.hasSuffix(".partial") }
    #expect(left.isEmpty, "\(left)")
    let out = Scratch.folder() + "/album"
    #expect(try await run(["album", dir, "--merge", shard, "-o", out, "-q"]).status == 0)
    #expect(try ShardAlbum.files(out) == ShardAlbum.files(one))
  }

  @Test(
    "hostile merges: missing, duplicated, stale and tampered shards each fail with their own message and write nothing")
  func hostileMerges() async throws {
    let dir = try ShardAlbum.make()
    let folders = try await shards(dir, count: 3)
    func refused(_ folders: [String], album: String? = nil, _ message: String) async throws {
      let out = Scratch.folder() + "/album"
      let r = try await run(["album", album ?? dir, "--merge"] + folders + ["-o", out, "-q"])
      #expect(r.status == 1, "\(message): \(r.stdout)\(r.stderr)")
      #expect(r.stderr.contains(message), "expected '\(message)' in: \(r.stderr)")
      #expect(r.stderr.contains("nothing was written"))
      #expect(!FileManager.default.fileExists(atPath: out), "\(message): the merge wrote \(out)")
    }
    try await refused(Array(folders.prefix(2)), "shard 3/3 is missing")
    let copy = Scratch.folder() + "/copy"
    try FileManager.default.copyItem(atPath: folders[0], toPath: copy)
    try await refused(folders + [copy], "shard 1/3 is given twice")
    // Stale: a song edited after the shards were rendered.
    let edited = Scratch.folder() + "/edited"
    try FileManager.default.copyItem(atPath: dir, toPath: edited)
    try "title \"One\"; tempo 120; melody { saw C4 0 dur=2; }".write(
      toFile: "\(edited)/a.pattern", atomically: true, encoding: .utf8)
    try await refused(folders, album: edited, "is stale: a.pattern changed since it was rendered")
    // Tampered: one byte of a unit's audio flipped.
    let tampered = Scratch.folder() + "/tampered"
    try FileManager.default.copyItem(atPath: folders[1], toPath: tampered)
    let units = try FileManager.default.contentsOfDirectory(atPath: "\(tampered)/units").filter { $0.hasSuffix(".wav") }
      .sorted()
    let victim = try #require(units.first)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(tampered)/units/\(victim)"))
    bytes[bytes.count - 3] ^= 0x40
    try bytes.write(to: URL(fileURLWithPath: "\(tampered)/units/\(victim)"))
    try await refused([folders[0], tampered, folders[2]], "is damaged or was changed")
    // Not a shard at all.
    try await refused([Scratch.folder()], "not the output of --shard or --unit")
    // --allow-partial: reported, the rest merged, the missing tracks failed (exit 1).
    let out = Scratch.folder() + "/partial"
    let r = try await run(["album", dir, "--merge", folders[0], folders[1], "--allow-partial", "-o", out, "-q"])
    #expect(r.status == 1 && r.stderr.contains("warning: shard 3/3 is missing"), "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("FAILED") && r.stdout.contains("was not among the merged folders"))
    #expect(FileManager.default.fileExists(atPath: "\(out)/album.json"))
  }

  @Test("a unit renders the same bytes under another TZ, LANG, TMPDIR and working directory")
  func environmentIndependent() async throws {
    let dir = try ShardAlbum.make()
    let units = try await plan(dir)["units"] as! [[String: Any]]
    let id = units[1]["unitId"] as! String
    let plain = Scratch.folder()
    #expect(try await run(["album", dir, "--unit", id, "-o", plain, "-q"]).status == 0)
    let other = Scratch.folder()
    let tmp = Scratch.folder()
    let cwd = Scratch.folder()
    let moved = try await run(
      ["album", dir, "--unit", String(id.prefix(10)), "-o", other, "-q"], cwd: cwd,
      env: ["TZ": "Pacific/Chatham", "LANG": "de_DE.UTF-8", "LC_ALL": "tr_TR.UTF-8", "TMPDIR": tmp])
    #expect(moved.status == 0, "\(moved.stderr)")
    for name in ["units/\(id).wav", "units/\(id).json"] {
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: "\(plain)/\(name)"))
          == Data(contentsOf: URL(fileURLWithPath: "\(other)/\(name)")), "\(name)")
    }
    // The plan too (from another folder, by a relative path).
    let relative = try await run(
      ["album", "../" + (dir as NSString).lastPathComponent, "--plan"], cwd: cwd, env: ["TZ": "Asia/Kolkata"])
    #expect(relative.stdout == (try await run(["album", dir, "--plan"])).stdout)
  }

  @Test("a song listed twice is one unit: hash and lpt shards still merge to the one-machine album")
  func songTwice() async throws {
    let dir = try ShardAlbum.make()
    let json =
      #"{"title": "Twice", "tracks": [{"file": "a.pattern"}, {"file": "e.pattern"}, {"file": "a.pattern", "title": "Again"}]}"#
    try json.write(toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    let units = try await plan(dir)["units"] as! [[String: Any]]
    #expect(units[0]["unitId"] as! String == units[2]["unitId"] as! String)
    let one = Scratch.folder()
    #expect(try await run(["album", dir, "-o", one, "-q"]).status == 0)
    for strategy in ["hash", "lpt"] {
      let folders = try await shards(dir, count: 2, extra: ["--shard-strategy", strategy])
      let out = Scratch.folder() + "/album"
      let r = try await run(["album", dir, "--merge"] + folders + ["-o", out, "-q"])
      #expect(r.status == 0, "\(strategy): \(r.stderr)")
      #expect(try ShardAlbum.files(out) == ShardAlbum.files(one), "\(strategy)")
    }
  }

  @Test("two copies of one shard at once both finish and agree; a re-run renders nothing again")
  func concurrentCopies() async throws {
    let dir = try ShardAlbum.make()
    let one = Scratch.folder()
    #expect(try await run(["album", dir, "-o", one, "-q"]).status == 0)
    let root = Scratch.folder()
    async let first = run(["album", dir, "--shard", "1/2", "-o", "\(root)/s1", "-q", "--jobs", "1"])
    async let second = run(["album", dir, "--shard", "1/2", "-o", "\(root)/s1", "-q", "--jobs", "1"])
    let (a, b) = try await (first, second)
    #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
    #expect(try await run(["album", dir, "--shard", "2/2", "-o", "\(root)/s2", "-q"]).status == 0)
    let again = try await run(["album", dir, "--shard", "2/2", "-o", "\(root)/s2"])
    #expect(again.status == 0 && !again.stderr.contains("unit rendered") && again.stderr.contains("unit up to date"))
    let out = Scratch.folder() + "/album"
    #expect(try await run(["album", dir, "--merge", "\(root)/s1", "\(root)/s2", "-o", out, "-q"]).status == 0)
    #expect(try ShardAlbum.files(out) == ShardAlbum.files(one))
  }
}
