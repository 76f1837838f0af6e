import Foundation
import PatternAudioIO
import PatternStudio
import Synchronization
import TestSupport
import Testing

/// `pstudio render --watch` and `pstudio play`, as real processes.
@Suite("watch and play", .serialized)
struct WatchAndPlayTests {
  /// A process whose standard error is collected as it arrives.
  final class Running: Sendable {
    let process: Process
    let collected = Mutex(Data())

    init(_ args: [String], environment: [String: String] = [:]) throws {
      process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.binary)
      process.arguments = args
      if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
      let pipe = Pipe()
      process.standardError = pipe
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let handle = pipe.fileHandleForReading
      Thread { [self] in
        while case let chunk = handle.availableData, !chunk.isEmpty { self.collected.withLock { $0.append(chunk) } }
      }.start()
    }

    var stderr: String { collected.withLock { String(decoding: $0, as: UTF8.self) } }

    func count(_ text: String) -> Int { stderr.components(separatedBy: text).count - 1 }

    /// Waits until `text` has been printed `times` times.
    func waitFor(_ text: String, times: Int, seconds: Double = 60) async throws -> Bool {
      try await OffPool.waitUntil(seconds: seconds, whileRunning: process) { self.count(text) >= times }
    }

    func stop() {
      if process.isRunning { process.terminate() }
      process.waitUntilExit()
    }
  }

  /// The PCM of a WAV file, hashed (tags and header aside).
  static func pcmHash(_ path: String) throws -> Int {
    var hasher = Hasher()
    hasher.combine(try AudioFileReader.readInt32(path: path).samples)
    return hasher.finalize()
  }

  /// Whether a process runs (a zombie waiting for a reaper does not).
  static func alive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
  }

  /// Replaces a file the way many editors save: write a new file, rename it over the old one.
  static func saveByRename(_ text: String, to path: String) throws {
    try text.write(toFile: path + ".swp", atomically: false, encoding: .utf8)
    #expect(rename(path + ".swp", path) == 0)
  }

  @Test("--watch renders again when the song (saved by rename) or an instrument file changes", .timeLimit(.minutes(3)))
  func watchRendersEveryChange() async throws {
    let dir = Scratch.folder()
    let instruments = "\(dir)/instruments"
    try FileManager.default.createDirectory(atPath: instruments, withIntermediateDirectories: true)
    let lead = #"{ "kind": "synth", "oscillators": [{"wave": "saw"}], "envelope": {"release": 0.1} }"#
    try lead.write(toFile: "\(instruments)/buzz.json", atomically: true, encoding: .utf8)
    let song = "\(dir)/song.pattern"
    try "import buzz from \"buzz\";\nmelody { buzz C4 0; }\n".write(toFile: song, atomically: true, encoding: .utf8)
    let out = "\(dir)/song.wav"
    let watcher = try Running(["render", song, "-o", out, "--watch", "--instruments", instruments])
    defer { watcher.stop() }
    let rendered = "\(out): "
    #expect(try await watcher.waitFor(rendered, times: 1), "\(watcher.stderr)")
    let first = try Self.pcmHash(out)

    try Self.saveByRename("import buzz from \"buzz\";\nmelody { buzz E4 0; }\n", to: song)
    #expect(try await watcher.waitFor(rendered, times: 2), "\(watcher.stderr)")
    let second = try Self.pcmHash(out)
    #expect(second != first)

    // An error is printed; the last good file stays; watching goes on.
    try "import buzz from \"buzz\";\nmelody { buzzz E4 0; }\n".write(toFile: song, atomically: false, encoding: .utf8)
    #expect(try await watcher.waitFor("unknown instrument 'buzzz'", times: 1), "\(watcher.stderr)")
    #expect(watcher.process.isRunning)
    #expect(try Self.pcmHash(out) == second)

    try "import buzz from \"buzz\";\nmelody { buzz E4 0; }\n".write(toFile: song, atomically: false, encoding: .utf8)
    #expect(try await watcher.waitFor(rendered, times: 3), "\(watcher.stderr)")
    #expect(try Self.pcmHash(out) == second)

    // The instrument's file is a dependency too. A save by rename may be seen as two events (the temporary file
    // appearing in the folder, then the rename), each a render: wait for the one that hears the new file.
    try Self.saveByRename(lead.replacingOccurrences(of: "saw", with: "square"), to: "\(instruments)/buzz.json")
    #expect(try await watcher.waitFor(rendered, times: 4), "\(watcher.stderr)")
    let changed = try await OffPool.waitUntil(seconds: 60, whileRunning: watcher.process) {
      usleep(20_000)  // (hashing the file every 2 ms would load a busy machine)
      return (try? Self.pcmHash(out)).map { $0 != second } ?? false
    }
    #expect(changed, "\(watcher.stderr)")
    #expect(watcher.stderr.contains("buzz.json changed") || watcher.stderr.contains("instruments changed"))
    watcher.stop()
    // Stopped by SIGTERM: no temporary file left beside the output.
    let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") }
    #expect(left.isEmpty)
  }

  @Test("play renders to a temporary WAV, names the player it uses and removes the file after")
  func playUsesTheFirstPlayerFound() async throws {
    let dir = Scratch.folder()
    let bin = "\(dir)/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    // A stand-in for aplay: records its arguments and keeps a copy of what it was given.
    let fake = "#!/bin/sh\necho \"$@\" > \(dir)/args\n/bin/cp \"$2\" \(dir)/played.wav\n"
    try fake.write(toFile: "\(bin)/aplay", atomically: true, encoding: .utf8)
    chmod("\(bin)/aplay", 0o755)
    try demoSource.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let played = try await ProcessRunner.run(
      CLI.binary, ["play", "\(dir)/song.pattern"], environment: ["PATH": bin, "PSTUDIO_PLAYER": ""])
    #expect(played.status == 0, "\(played.stderr)")
    #expect(played.stderr.contains("with aplay"), "\(played.stderr)")
    let args = try String(contentsOfFile: "\(dir)/args", encoding: .utf8).split(separator: " ")
    #expect(args.first == "-q")
    #expect(!FileManager.default.fileExists(atPath: String(args.last ?? "").trimmingCharacters(in: .newlines)))
    let rendered = try await CLI.run(["render", "\(dir)/song.pattern", "-o", "\(dir)/rendered.wav"])
    #expect(rendered.status == 0)
    #expect(try Self.pcmHash("\(dir)/played.wav") == Self.pcmHash("\(dir)/rendered.wav"))
  }

  @Test(
    "play --watch plays each change from the start; SIGTERM stops the player and removes the file",
    .timeLimit(.minutes(2)))
  func playWatchRestartsThePlayer() async throws {
    let dir = Scratch.folder()
    let bin = "\(dir)/bin"
    let temporary = "\(dir)/tmp"
    for folder in [bin, temporary] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    // A player that logs its pid and what it was given, then plays for a long time.
    let fake = "#!/bin/sh\necho \"$$ $(/usr/bin/md5sum < \"$2\")\" >> \(dir)/log\nexec /bin/sleep 60\n"
    try fake.write(toFile: "\(bin)/aplay", atomically: true, encoding: .utf8)
    chmod("\(bin)/aplay", 0o755)
    let song = "\(dir)/song.pattern"
    try "melody { sine C4 0; }\n".write(toFile: song, atomically: true, encoding: .utf8)
    let play = try Running(
      ["play", song, "--watch"], environment: ["PATH": bin, "PSTUDIO_PLAYER": "", "TMPDIR": temporary])
    defer { play.stop() }
    let log: @Sendable () -> [Substring] = {
      (try? String(contentsOfFile: "\(dir)/log", encoding: .utf8))?.split(separator: "\n") ?? []
    }
    #expect(try await OffPool.waitUntil(seconds: 60, whileRunning: play.process) { log().count == 1 }, "\(play.stderr)")
    try Self.saveByRename("melody { sine G4 0; }\n", to: song)
    #expect(try await OffPool.waitUntil(seconds: 60, whileRunning: play.process) { log().count == 2 }, "\(play.stderr)")
    let runs = log().map { $0.split(separator: " ") }
    #expect(runs[0][1] != runs[1][1], "the second run plays the new render")
    let first = try #require(Int32(runs[0][0]))
    let second = try #require(Int32(runs[1][0]))
    #expect(!Self.alive(first), "the first player was stopped")
    #expect(Self.alive(second))
    play.stop()
    #expect(try await OffPool.waitUntil(seconds: 10) { !Self.alive(second) }, "SIGTERM stops the player too")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
  }

  @Test("play says clearly when no player is installed")
  func playWithoutAPlayer() async throws {
    let dir = Scratch.folder()
    try demoSource.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let r = try await ProcessRunner.run(
      CLI.binary, ["play", "\(dir)/song.pattern"], environment: ["PATH": "\(dir)/nothing", "PSTUDIO_PLAYER": ""])
    #expect(r.status == 3)
    #expect(r.stderr.contains("no audio player found"), "\(r.stderr)")
    #expect(r.stderr.contains("paplay, aplay, ffplay, afplay"))
  }
}
