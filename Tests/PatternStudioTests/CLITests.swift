import Foundation
import PatternAudioIO
import PatternStudio
import TestSupport
import Testing

/// Runs `pstudio` (the one `Scripts/test` names in PSTUDIO_BIN, else the debug one beside the tests) and captures
/// everything, off the cooperative pool.
enum CLI {
  static let binary = ProcessRunner.pstudio

  static func run(_ args: [String], stdin: String? = nil, cwd: String? = nil) async throws -> ProcessResult {
    try await ProcessRunner.run(binary, args, stdin: stdin, cwd: cwd)
  }
}

let demoSource = """
  import piano from "grand";
  tempo 120;
  melody { piano C4 0 dur=1; piano E4 0.5; piano G4 1 vel=0.8; }
  rhythm { synth Kick 0; synth Snare 1; synth HiHat 0.5; }
  harmony { guitar E2 0 dur=2; }
  """

@Suite("pstudio command line")
struct CLITests {
  @Test("render writes a valid WAV and reports a summary on stderr")
  func renderWAV() async throws {
    let dir = Scratch.folder()
    try demoSource.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/song.pattern", "-o", "\(dir)/song.wav"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("× realtime"))
    #expect(r.stderr.contains("peak"))
    #expect(FileManager.default.fileExists(atPath: "\(dir)/song.wav"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["song.pattern", "song.wav"])
  }

  @Test("render FLAC 24-bit at 96 kHz from stdin; flac -t accepts it", .timeLimit(.minutes(2)))
  func renderFLACFromStdin() async throws {
    let dir = Scratch.folder()
    let r = try await CLI.run(
      ["render", "-", "-o", "\(dir)/out.flac", "--bits", "24", "--rate", "96000", "--title", "Demo"], stdin: demoSource)
    #expect(r.status == 0, "\(r.stderr)")
    if let flac = ProcessRunner.which("flac") {
      #expect(try await ProcessRunner.run(flac, ["-t", "-s", "\(dir)/out.flac"]).status == 0)
    }
    if let info = ProcessRunner.which("sndfile-info") {
      let text = try await ProcessRunner.run(info, ["\(dir)/out.flac"]).stdout
      #expect(text.contains("Sample Rate : 96000"))
      #expect(text.contains("Format      : 0x00170003"))  // FLAC, PCM 24
    }
  }

  @Test("bad input: exit 1, caret diagnostics, no file, an existing file untouched")
  func badInput() async throws {
    let dir = Scratch.folder()
    try "melody { pinao C4 0; }\n".write(toFile: "\(dir)/bad.pattern", atomically: true, encoding: .utf8)
    try "keep me".write(toFile: "\(dir)/out.wav", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/bad.pattern", "-o", "\(dir)/out.wav"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("bad.pattern:1:10: error: unknown instrument 'pinao'"))
    #expect(r.stderr.contains("  1 | melody { pinao C4 0; }"))
    #expect(r.stderr.contains("^~~~~"))
    #expect(r.stderr.contains("hint: did you mean 'piano'?"))
    #expect(try String(contentsOfFile: "\(dir)/out.wav", encoding: .utf8) == "keep me")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bad.pattern", "out.wav"])
  }

  @Test("an unwritable output is an I/O failure (exit 3) and leaves nothing")
  func unwritable() async throws {
    let r = try await CLI.run(["render", "-", "-o", "/nonexistent-dir/x.wav"], stdin: demoSource)
    #expect(r.status == 3)
    #expect(r.stderr.contains("cannot create '/nonexistent-dir/x.wav': No such file or directory (errno 2)"))
    let missing = try await CLI.run(["render", "/nonexistent.pattern", "-o", "/tmp/x.wav"])
    #expect(missing.status == 3)
    #expect(missing.stderr.contains("cannot read '/nonexistent.pattern': No such file or directory (errno 2)"))
  }

  @Test(
    "usage errors exit 2",
    arguments: [
      ["render", "x.pattern", "-o", "x.mp4"], ["render", "x.pattern", "-o", "x.flac", "--bits", "32f"],
      ["render", "x.pattern", "-o", "x.wav", "--rate", "12345"], ["render", "x.pattern"], ["frobnicate"],
      ["check", "x", "--format", "yaml"],
    ])
  func usage(args: [String]) async throws {
    let r = try await CLI.run(args)
    #expect(r.status == 2, "\(args): \(r.stderr)")
  }

  @Test("parse prints the original JSON shape; errors give success false and exit 1")
  func parse() async throws {
    let ok = try await CLI.run(["parse", "-"], stdin: "import piano from \"grand\";\nmelody { piano C4 0; }")
    #expect(ok.status == 0)
    #expect(
      ok.stdout == """
        {"success":true,"pattern":{"imports":[{"instrument":"piano","module":"grand"}],"patterns":{"melody":[{"instrument":"piano","note":"C4","time":0,"velocity":1,"duration":0.5,"line":2,"column":10}]}},"error":null}

        """)
    let bad = try await CLI.run(["parse", "-"], stdin: "melody { piano C4 0 }")
    #expect(bad.status == 1)
    #expect(
      bad.stdout.hasPrefix(
        #"{"success":false,"pattern":null,"error":"<stdin>:1:20: error: expected ';' after the time","diagnostics":[{"#)
    )
  }

  @Test("parse keeps the original shape for the original grammar and describes every new construct")
  func parseNewConstructs() async throws {
    let song = """
      title "P"; tempo 100; tempo 100 -> 120 over 4 at 8; meter 3/4; seed 2; swing 1/3 per 1/2;
      let m = { piano C4 0; };
      melody(gain=-3) { piano C4'maj7 0 dur=2; repeat 2 every 1 { piano choose(E4, ~) 0 prob=0.5; } play m at 2:1 transpose=2; }
      rhythm { synth Kick euclid(3,8) step 1/2 at 0; }
      section v { melody { piano [C4 E4] 0; } }
      arrange { v x2; }
      """
    let r = try await CLI.run(["parse", "-"], stdin: song)
    #expect(r.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let pattern = json["pattern"] as! [String: Any]
    #expect(pattern["tempo"] as? Double == 100)
    #expect((pattern["tempo_changes"] as! [[String: Any]]).count == 2)  // 100, then the ramp (to 120 over 4)
    #expect(pattern["meter"] as? String == "3/4")
    #expect(pattern["seed"] as? Int == 2)
    #expect(pattern["title"] as? String == "P")
    let melody = (pattern["patterns"] as! [String: Any])["melody"] as! [[String: Any]]
    #expect(melody[0]["note"] as? String == "C4'maj7")
    #expect(melody[0]["notes"] as? [String] == ["C4", "E4", "G4", "B4"])
    #expect(melody[1]["repeat"] as? Int == 2)
    #expect(melody[2]["play"] as? String == "m")
    #expect(melody[2]["time"] as? Double == 3)  // bar 2 of 3/4
    let rhythm = (pattern["patterns"] as! [String: Any])["rhythm"] as! [[String: Any]]
    #expect((rhythm[0]["euclid"] as! [String: Any])["steps"] as? Int == 8)
    #expect((pattern["block_attributes"] as! [[String: Any]])[0]["gain"] as? Double == -3)
    #expect(((pattern["sections"] as! [String: Any])["v"] as! [String: Any])["length"] as? Double == 3)
    #expect((pattern["arrange"] as! [[String: Any]])[0]["count"] as? Int == 2)
    #expect((pattern["motifs"] as! [String: Any])["m"] != nil)
  }

  @Test("every example song compiles without errors or warnings")
  func examples() async throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples")
      .standardized.path
    let songs = try GoldenSuite.songs(in: [folder])
    #expect(songs.count >= 2)
    for song in songs {
      let r = try await CLI.run(["check", song])
      #expect(r.status == 0 && r.stdout.hasSuffix("0 errors, 0 warnings\n"), "\(song): \(r.stdout)\(r.stderr)")
    }
  }

  @Test("check: text and JSON diagnostics, exit codes")
  func check() async throws {
    let ok = try await CLI.run(["check", "-"], stdin: demoSource)
    #expect(ok.status == 0)
    #expect(ok.stdout == "<stdin>: 0 errors, 0 warnings\n")
    let bad = try await CLI.run(["check", "-", "--format", "json"], stdin: "rhythm { synth Kik 0; }")
    #expect(bad.status == 1)
    let json = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as! [String: Any]
    #expect(json["errors"] as? Int == 1)
    let d = (json["diagnostics"] as! [[String: Any]])[0]
    #expect(d["line"] as? Int == 1)
    #expect(d["column"] as? Int == 16)
    #expect(d["hint"] as? String == "did you mean 'Kick'?")
  }

  @Test("check's quick start (no ArgumentParser) takes the plain forms, and only those")
  func quickStart() async throws {
    let version = try await CLI.run(["--version"])
    #expect(version.status == 0 && version.stdout == "0.1.0\n")
    let dir = Scratch.folder()
    let song = dir + "/song.pattern"
    try "import piano from \"grand\";\nmelody { piano C4 0; }\n".write(toFile: song, atomically: true, encoding: .utf8)
    // Options in any order, `--name=value` too: what ArgumentParser accepts, with the same output.
    let json = try await CLI.run(["check", "--format=json", song, "--instruments", dir])
    #expect(json.status == 0 && json.stdout.contains("\"errors\": 0"), "\(json.stdout)\(json.stderr)")
    let text = try await CLI.run(["check", "--instruments=\(dir)", song, "--format", "text"])
    #expect(text.stdout == "\(song): 0 errors, 0 warnings\n")
    // Anything else is ArgumentParser's: usage errors exit 2 with its message.
    for args in [
      ["check", song, song], ["check", "--format", "json"], ["check", song, "--verbose"], ["check", "-x"],
    ] {
      let r = try await CLI.run(args)
      #expect(r.status == 2 && r.stderr.contains("Usage: pstudio check"), "\(args): \(r.stderr)")
    }
  }

  @Test("check and --version load no audio library; a render loads libsndfile when it writes")
  func lazyLibraries() async throws {
    let dir = Scratch.folder()
    let song = dir + "/song.pattern"
    try "import piano from \"grand\";\nmelody { piano C4 0; }\n".write(toFile: song, atomically: true, encoding: .utf8)
    // glibc's loader names every library it loads, at start-up or by dlopen, under LD_DEBUG=libs.
    func loaded(_ args: [String]) async throws -> String {
      let r = try await ProcessRunner.run(CLI.binary, args, environment: ["LD_DEBUG": "libs"])
      #expect(r.status == 0, "\(args): \(r.stderr)")
      return r.stderr
    }
    for args in [["check", song], ["--version"]] {
      let libraries = try await loaded(args)
      for name in ["libsndfile", "libFLAC", "libsamplerate", "libebur128"] {
        #expect(!libraries.contains("find library=\(name)"), "\(args) loaded \(name)")
      }
    }
    #expect(try await loaded(["render", song, "-o", dir + "/song.flac", "-q"]).contains("find library=libsndfile"))
  }

  @Test("events and instruments list what they should")
  func eventsAndInstruments() async throws {
    let e = try await CLI.run(["events", "-"], stdin: "tempo 90;\nmelody { sine A4 1/3 dur=2; }")
    #expect(e.stdout == "1/3 → 7/3 | 1:4/3 | 0.222 → 1.556 s | melody | sine A4 vel:1 pan:0 @2:10\n")
    let i = try await CLI.run(["instruments", "--json"])
    #expect(i.status == 0)
    // The original API's shape: name → what it plays.
    let json = try JSONSerialization.jsonObject(with: Data(i.stdout.utf8)) as! [String: Any]
    for name in ["piano", "synth", "guitar", "sine", "triangle", "saw", "square", "noise", "grand", "drums"] {
      #expect(json[name] != nil, "\(name)")
    }
    let piano = json["piano"] as! [String]
    #expect(piano.first == "C1" && piano.last == "C7" && piano.count == 73)
    #expect(json["synth"] as? [String] == ["Kick", "Snare", "HiHat", "Crash", "Tom"])
  }

  @Test("events --format json lists the song, tracks, sections and events with exact times")
  func eventsJSON() async throws {
    let song = """
      meter 3/4; seed 5; title "J";
      section a { melody(gain=-6) { sine A4 1/3 dur=2; } }
      arrange { a x2; }
      """
    let r = try await CLI.run(["events", "-", "--format", "json"], stdin: song)
    #expect(r.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    #expect(json["meter"] as? String == "3/4")
    #expect(json["seed"] as? Int == 5)
    #expect(json["title"] as? String == "J")
    let events = json["events"] as! [[String: Any]]
    #expect(events.map { $0["start"] as! String } == ["1/3", "10/3"])
    #expect(events.map { $0["midi"] as! Int } == [69, 69])
    #expect(events[0]["line"] as? Int == 2)
    let sections = json["sections"] as! [[String: Any]]
    #expect(sections.map { $0["start"] as! String } == ["0", "3"])
    let tracks = json["tracks"] as! [[String: Any]]
    #expect(tracks.first?["gainDb"] as? Double == -6)
  }

  @Test("render tags the file with the song's title, artist and album unless options override them")
  func tagsFromSong() async throws {
    let dir = Scratch.folder()
    let song = "title \"Night\"; artist \"Ada\"; album \"Tests\"; melody { sine A4 0; }"
    #expect(try await CLI.run(["render", "-", "-o", "\(dir)/a.flac", "--quiet"], stdin: song).status == 0)
    let a = try AudioFileReader.info(path: "\(dir)/a.flac")
    #expect(a.tags.title == "Night")
    #expect(a.tags.artist == "Ada")
    #expect(a.tags.album == "Tests")
    #expect(
      try await CLI.run(["render", "-", "-o", "\(dir)/b.wav", "--title", "Day", "--quiet"], stdin: song).status == 0)
    #expect(try AudioFileReader.info(path: "\(dir)/b.wav").tags.title == "Day")
  }

  @Test("midi: a type-1 file, also from render --midi; bad input gives render's diagnostics and no file")
  func midi() async throws {
    let dir = Scratch.folder()
    let song = "tempo 100; melody { piano C4 0; } rhythm { synth Kick 1; }"
    let m = try await CLI.run(["midi", "-", "-o", "\(dir)/a.mid"], stdin: song)
    #expect(m.status == 0)
    let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.mid"))
    #expect(a.prefix(4) == Data("MThd".utf8))
    let r = try await CLI.run(["render", "-", "-o", "\(dir)/a.wav", "--midi", "\(dir)/b.mid", "--quiet"], stdin: song)
    #expect(r.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.mid")) == a)
    let bad = "melody { pinao C4 0; }"
    let viaMIDI = try await CLI.run(["midi", "-", "-o", "\(dir)/bad.mid"], stdin: bad)
    let viaRender = try await CLI.run(["render", "-", "-o", "\(dir)/bad.wav"], stdin: bad)
    #expect(viaMIDI.status == 1)
    #expect(viaMIDI.stderr == viaRender.stderr)
    #expect(viaMIDI.stderr.contains("did you mean 'piano'?"))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/bad.mid"))
  }

  @Test(
    "SIGTERM mid-render: the process dies by the signal and leaves no file, temporary or final",
    .timeLimit(.minutes(3)))
  func interrupted() async throws {
    let dir = Scratch.folder()
    try "old".write(toFile: "\(dir)/out.wav", atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    // One frame per dispatch on one thread: minutes of work, so a loaded machine still catches it mid-render
    // (at the default block size a release build finished before a starved test thread sent the signal).
    p.arguments = ["render", "-", "-o", "\(dir)/out.wav", "-q", "--block-size", "1", "--threads", "1"]
    let input = Pipe()
    p.standardInput = input
    try p.run()
    // 3,400 s of sixteen saws (about 5 s for a release build): long enough to be caught mid-render.
    let chord = ["C3", "E3", "G3", "B3", "C4", "E4", "G4", "B4", "D5", "F5", "A5", "C6", "E6", "G6", "B6", "D7"]
      .map { "saw \($0) 0 dur=1;" }.joined(separator: " ")
    input.fileHandleForWriting.write(Data("tempo 60; melody { repeat 3400 every 1 { \(chord) } }".utf8))
    try input.fileHandleForWriting.close()
    // Wait (off the cooperative pool) until the temporary file exists, then interrupt.
    let sawPartial = try await OffPool.waitUntil(seconds: 60, whileRunning: p) {
      (try? FileManager.default.contentsOfDirectory(atPath: dir))?.contains { $0.hasSuffix(".partial") } == true
    }
    try #require(sawPartial)
    p.terminate()
    try await OffPool.run { p.waitUntilExit() }
    #expect(p.terminationReason == .uncaughtSignal)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.wav"])
    #expect(try String(contentsOfFile: "\(dir)/out.wav", encoding: .utf8) == "old")
  }

  @Test("the same input renders to byte-identical files in two processes")
  func reproducibleAcrossProcesses() async throws {
    let dir = Scratch.folder()
    for name in ["a", "b"] {
      let r = try await CLI.run(
        ["render", "-", "-o", "\(dir)/\(name).wav", "--bits", "32f", "--threads", name == "a" ? "1" : "2"],
        stdin: demoSource)
      #expect(r.status == 0)
    }
    let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.wav"))
    let b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.wav"))
    #expect(a == b)
    #expect(a.count > 100_000)
  }
}

@Suite("render --loudness")
struct LoudnessCLITests {
  @Test(
    "the demo rendered with --loudness -14 measures −14 ± 0.5 LUFS and ≤ −1.0 dBTP by ffmpeg", .timeLimit(.minutes(5)))
  func demoOnTarget() async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").path
    let out = Scratch.folder() + "/demo.wav"
    let r = try await CLI.run(["render", root + "/Examples/demo.pattern", "-o", out, "--loudness", "-14"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("LUFS") && r.stderr.contains("dBTP"))
    guard FFmpegMeter.available else { return }
    let (lufs, tp) = try await FFmpegMeter.measure([out])
    #expect(abs(lufs - -14) <= 0.5, "\(lufs) LUFS")
    #expect(tp <= -1.0, "\(tp) dBTP")
    // A quiet target needs no limiter, and says so.
    let quiet = try await CLI.run(["render", root + "/Examples/demo.pattern", "-o", out, "--loudness", "-30"])
    #expect(quiet.stderr.contains("no limiting needed"), "\(quiet.stderr)")
    let (q, _) = try await FFmpegMeter.measure([out])
    #expect(abs(q - -30) <= 0.5)
    // --gain and --loudness together are a usage error.
    let both = try await CLI.run([
      "render", root + "/Examples/demo.pattern", "-o", out, "--loudness", "-14", "--gain", "3",
    ])
    #expect(both.status == 2)
  }
}
