import Foundation
import Glibc
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// The reproducers of the reliability issue: every one ends in a located error or a clean render, never a
/// crash, a hang, an unbounded allocation, a silent render or a damaged file.
@Suite("Reliability: hostile files and edge cases")
struct ReliabilityTests {
  /// A 4,000-frame mono sample written by libsndfile, then its bytes (to be bent).
  func sample(_ container: AudioContainer, at path: String) throws -> [UInt8] {
    let writer = try AudioFileWriter(
      path: path, format: AudioFormat(container: container, encoding: .pcm16, sampleRate: 44_100, channels: 1))
    let samples = (0..<4_000).map { Int16(truncatingIfNeeded: $0 * 97) }
    try samples.withUnsafeBufferPointer { try writer.write(.int16($0)) }
    try writer.finish()
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// A library folder `lib` with module `x` (a sampler on `zone`) and its sample bytes at `lib/s/a.EXT`.
  func library(_ bytes: [UInt8], ext: String, zone: String = "s/a", loop: String = "") throws -> String {
    let root = Scratch.folder()
    try FileManager.default.createDirectory(atPath: root + "/lib/s", withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: root + "/lib/s/a.\(ext)", contents: Data(bytes))
    let module = "{\"kind\": \"sampler\", \"zones\": [{\"sample\": \"\(zone).\(ext)\", \"root\": \"C4\"\(loop)}]}"
    try module.write(toFile: root + "/lib/x.json", atomically: true, encoding: .utf8)
    return root
  }

  /// Loads `root/lib` and plays `x`: the module's problem, or the render's error, or nil when it rendered.
  func play(_ root: String) -> String? {
    let path = InstrumentSearchPath(folders: [root + "/lib"])
    let library = InstrumentLibrary.load(path)
    if let bad = library.catalog.unavailable.first(where: { $0.name == "x" }) { return bad.reason }
    let renderer = Renderer(instruments: path)
    let compiled = renderer.compile(SourceFile(name: "s", text: "import x from \"x\"; melody { x C4 0 dur=1; }"))
    do {
      try renderer.render(compiled, settings: RenderSettings(threads: 1), into: [HashSink()])
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test("sample headers are checked before anything is allocated: 1 Hz, 2^36 frames")
  func lyingHeaders() throws {
    let dir = Scratch.folder()
    var wav = try sample(.wav, at: dir + "/a.wav")
    wav.replaceSubrange(24..<28, with: [1, 0, 0, 0])  // 1 Hz
    #expect(play(try library(wav, ext: "wav"))?.contains("its sample rate 1 Hz is outside 8000 … 384000 Hz") == true)
    var flac = try sample(.flac, at: dir + "/a.flac")
    // STREAMINFO's 36-bit total: 2^36 − 1 frames in a 12 KB file.
    flac[21] |= 0x0F
    flac.replaceSubrange(22..<26, with: [0xFF, 0xFF, 0xFF, 0xFF])
    #expect(play(try library(flac, ext: "flac"))?.contains("frames; the limit is") == true)
  }

  @Test("a FLAC of unknown length (legal) plays; a truncated one is an error naming the file")
  func flacLengths() throws {
    let dir = Scratch.folder()
    var unknown = try sample(.flac, at: dir + "/a.flac")
    unknown[21] &= 0xF0
    unknown.replaceSubrange(22..<26, with: [0, 0, 0, 0])
    #expect(play(try library(unknown, ext: "flac")) == nil)
    let whole = try sample(.flac, at: dir + "/b.flac")
    let problem = play(try library(Array(whole.prefix(whole.count * 2 / 3)), ext: "flac"))
    #expect(
      problem?.contains("truncated") == true || problem?.contains("cannot read") == true, "\(problem ?? "rendered")")
    #expect(problem?.contains("a.flac") == true)
  }

  @Test("sample files decoded side by side report the same failure as one by one: the first broken zone's, in order")
  func parallelDecodingReportsTheFirst() throws {
    let dir = Scratch.folder()
    let good = try sample(.flac, at: dir + "/good.flac")
    let whole = try sample(.flac, at: dir + "/whole.flac")
    let broken = Array(whole.prefix(whole.count * 2 / 3))
    /// A sampler whose second and third zones (of four) are truncated, played on `threads` threads.
    func problem(threads: Int) throws -> String? {
      let root = Scratch.folder()
      try FileManager.default.createDirectory(atPath: root + "/lib/s", withIntermediateDirectories: true)
      for (name, bytes) in [("a", good), ("b", broken), ("c", broken), ("d", good)] {
        FileManager.default.createFile(atPath: root + "/lib/s/\(name).flac", contents: Data(bytes))
      }
      let zones = [("a", "C2", "B2"), ("b", "C3", "B3"), ("c", "C4", "B4"), ("d", "C5", "B5")].map { name, low, high in
        "{\"sample\": \"s/\(name).flac\", \"root\": \"\(low)\", \"keys\": [\"\(low)\", \"\(high)\"]}"
      }
      let module = "{\"kind\": \"sampler\", \"zones\": [\(zones.joined(separator: ", "))]}"
      try module.write(toFile: root + "/lib/x.json", atomically: true, encoding: .utf8)
      let renderer = Renderer(instruments: InstrumentSearchPath(folders: [root + "/lib"]))
      let compiled = renderer.compile(SourceFile(name: "s", text: "import x from \"x\"; melody { x C5 0 dur=1; }"))
      do {
        try renderer.render(compiled, settings: RenderSettings(threads: threads), into: [HashSink()])
        return nil
      } catch {
        // Each library is a folder of its own: compared without it.
        return "\(error)".replacingOccurrences(of: root, with: "ROOT")
      }
    }
    let one = try problem(threads: 1)
    #expect(one?.contains("b.flac") == true, "\(one ?? "rendered")")
    for _ in 0..<4 {
      let two = try problem(threads: 2)
      #expect(two == one)
    }
  }

  @Test(
    "links out of the folder (relative, chains) and FIFOs are refused at once, naming the file",
    .timeLimit(.minutes(3)))
  func links() async throws {
    let dir = Scratch.folder()
    let bytes = try sample(.wav, at: dir + "/a.wav")
    let root = try library(bytes, ext: "wav", zone: "s/chain")
    FileManager.default.createFile(atPath: root + "/outside.wav", contents: Data(bytes))
    symlink("../outside.wav", root + "/lib/hop.wav")
    symlink("../hop.wav", root + "/lib/s/chain.wav")
    #expect(play(root)?.contains("leads outside the instrument folder") == true)
    // A module file that is a relative link out of its folder.
    try "{\"kind\": \"synth\"}".write(toFile: root + "/y.json", atomically: true, encoding: .utf8)
    symlink("../y.json", root + "/lib/y.json")
    let library = InstrumentLibrary.load(InstrumentSearchPath(folders: [root + "/lib"]))
    #expect(
      library.catalog.unavailable.first { $0.name == "y" }?.reason.contains("outside its instrument folder") == true)
    // A FIFO as a sample: an error, not a hang (listing and rendering both finish).
    let fifo = try self.library(bytes, ext: "wav", zone: "s/fifo")
    mkfifo(fifo + "/lib/s/fifo.wav", 0o644)
    // (0.06 s on a quiet machine; a hang would never end: the time limit above catches that.)
    let listed = try await ProcessRunner.run(CLI.binary, ["instruments", "--instruments", fifo + "/lib"])
    #expect(listed.status == 0 && listed.stdout.contains("not a regular file"))
    #expect(play(fifo)?.contains("not a regular file") == true)
  }

  @Test("loop points of the wrong type are errors")
  func loopTypes() throws {
    let dir = Scratch.folder()
    let bytes = try sample(.wav, at: dir + "/a.wav")
    for loop in ["{\"start\": 1.5, \"end\": 10}", "{\"start\": true, \"end\": 10}", "{\"start\": 0, \"end\": 1e30}"] {
      #expect(play(try library(bytes, ext: "wav", loop: ", \"loop\": \(loop)"))?.contains("loop") == true, "\(loop)")
    }
  }

  @Test("check and parse report what render refuses: too long, too many notes at once")
  func checkAgreesWithRender() async throws {
    let dir = Scratch.folder()
    try "melody { sine C4 4000; }".write(toFile: dir + "/long.pattern", atomically: true, encoding: .utf8)
    let notes = (0..<8_200).map { _ in "sine C4 0 dur=4;" }.joined(separator: " ")
    try "melody { \(notes) }".write(toFile: dir + "/wide.pattern", atomically: true, encoding: .utf8)
    for (song, message) in [
      ("long", "the song would be longer than 3600 seconds"), ("wide", "more than 8192 notes sound at once"),
    ] {
      let check = try await CLI.run(["check", dir + "/\(song).pattern"])
      let render = try await CLI.run(["render", dir + "/\(song).pattern", "-o", dir + "/\(song).wav"])
      let parse = try await CLI.run(["parse", dir + "/\(song).pattern"])
      #expect(check.status == 1 && check.stderr.contains(message), "\(check.stderr)")
      #expect(render.status == 1 && render.stderr.contains(message))
      #expect(parse.status == 1 && parse.stdout.contains(message))
    }
  }

  @Test("a song that plays nothing is an error, not a file of silence")
  func playsNothing() async throws {
    let dir = Scratch.folder()
    try "section a { melody { sine C4 0; } }".write(toFile: dir + "/s.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", dir + "/s.pattern", "-o", dir + "/s.wav"])
    #expect(r.status == 1 && r.stderr.contains("error: the song plays no note"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/s.wav"))
  }

  @Test("an output that is an input of the same command is refused; the song is untouched")
  func overwriteSource() async throws {
    let dir = Scratch.folder()
    let song = dir + "/g.pattern"
    try "melody { sine C4 0; }".write(toFile: song, atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", song, "-o", dir + "/g.wav", "--midi", song])
    #expect(r.status == 2 && r.stderr.contains("is the input file"))
    let m = try await CLI.run(["midi", song, "-o", song])
    #expect(m.status == 2)
    let same = try await CLI.run(["render", song, "-o", dir + "/x.wav", "--midi", dir + "/x.wav"])
    #expect(same.status == 2)
    #expect(try String(contentsOfFile: song, encoding: .utf8) == "melody { sine C4 0; }")
  }

  @Test("verify --update that cannot write exits 3 with its own message; leftovers of killed runs are swept")
  func verifyIO() async throws {
    let dir = Scratch.folder()
    try "melody { sine C4 0; }".write(toFile: dir + "/s.pattern", atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: dir + "/s.golden.json", withIntermediateDirectories: true)
    let r = try await CLI.run(["verify", "--update", dir + "/s.pattern"])
    #expect(r.status == 3, "\(r.stdout) \(r.stderr)")
    #expect(r.stdout.contains("cannot move the finished file to"))
    // A killed update's partial (a dead pid) is removed by the next one.
    let other = Scratch.folder()
    try "melody { sine C4 0; }".write(toFile: other + "/t.pattern", atomically: true, encoding: .utf8)
    FileManager.default.createFile(atPath: other + "/.t.golden.json.4194305.1.partial", contents: Data("x".utf8))
    FileManager.default.createFile(atPath: other + "/.old.wav.4194305.7.partial", contents: Data("x".utf8))
    #expect(try await CLI.run(["verify", "--update", other + "/t.pattern"]).status == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: other).sorted() == ["t.golden.json", "t.pattern"])
  }

  @Test("album: a silent track keeps the manifest valid; an unwritable output exits 3; sample edits re-render")
  func album() async throws {
    let dir = Scratch.folder()
    try "title \"Loud\"; melody { sine A4 0 dur=2; }".write(
      toFile: dir + "/a.pattern", atomically: true, encoding: .utf8)
    try "title \"Quiet\"; melody { sine A4 0 vel=0; }".write(
      toFile: dir + "/b.pattern", atomically: true, encoding: .utf8)
    let out = Scratch.folder()
    let r = try await CLI.run(["album", dir, "-o", out, "-q"])
    #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/album.json")))
    let tracks = (manifest as? [String: Any])?["tracks"] as? [[String: Any]] ?? []
    #expect(tracks.count == 2 && tracks[1]["loudnessLufs"] == nil && tracks[0]["loudnessLufs"] != nil)
    let file = Scratch.folder() + "/not-a-folder"
    FileManager.default.createFile(atPath: file, contents: Data())
    #expect(try await CLI.run(["album", dir, "-o", file, "-q"]).status == 3)
    // A sample outside samples/ that changes makes its track stale.
    let lib = Scratch.folder()
    try FileManager.default.createDirectory(atPath: lib + "/mine", withIntermediateDirectories: true)
    _ = try sample(.wav, at: lib + "/mine/a.wav")
    try "{\"kind\": \"sampler\", \"zones\": [{\"sample\": \"mine/a.wav\", \"root\": \"C4\"}]}"
      .write(toFile: lib + "/mine-x.json", atomically: true, encoding: .utf8)
    let songs = Scratch.folder()
    try "import x from \"mine-x\"; melody { x C4 0; }".write(
      toFile: songs + "/a.pattern", atomically: true, encoding: .utf8)
    let exported = Scratch.folder()
    let first = try await CLI.run(["album", songs, "-o", exported, "--instruments", lib])
    #expect(first.status == 0 && first.stdout.contains("RENDERED"), "\(first.stdout) \(first.stderr)")
    #expect(try await CLI.run(["album", songs, "-o", exported, "--instruments", lib]).stdout.contains("SAME"))
    var bytes = try sample(.wav, at: lib + "/mine/b.wav")
    bytes[60] ^= 0x55
    try Data(bytes).write(to: URL(fileURLWithPath: lib + "/mine/a.wav"))
    let again = try await CLI.run(["album", songs, "-o", exported, "--instruments", lib])
    #expect(again.stdout.contains("RENDERED"), "\(again.stdout)")
  }
}
