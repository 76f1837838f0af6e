import Foundation
import PatternAudioIO
import PatternStudio
import TestSupport
import Testing

/// Runs the built `pstudio` binary (it sits beside the test bundle) and captures everything.
enum CLI {
  static let binary = ProcessRunner.builtProduct("pstudio")

  static func run(_ args: [String], stdin: String? = nil, cwd: String? = nil) throws -> ProcessResult {
    try ProcessRunner.run(binary, args, stdin: stdin, cwd: cwd)
  }
}

/// Every test folder of this process lives under one root that is removed when the process exits.
let scratchFolderRoot: String = {
  let path = NSTemporaryDirectory() + "pstudio-cli-\(getpid())"
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "pstudio-cli-\(getpid())") }
  return path
}()

/// A fresh folder per test (removed with its root at exit).
func scratchFolder() -> String {
  let path = scratchFolderRoot + "/" + UUID().uuidString
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
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
  func renderWAV() throws {
    let dir = scratchFolder()
    try demoSource.write(toFile: "\(dir)/song.pattern", atomically: true, encoding: .utf8)
    let r = try CLI.run(["render", "\(dir)/song.pattern", "-o", "\(dir)/song.wav"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("× realtime"))
    #expect(r.stderr.contains("peak"))
    #expect(FileManager.default.fileExists(atPath: "\(dir)/song.wav"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["song.pattern", "song.wav"])
  }

  @Test("render FLAC 24-bit at 96 kHz from stdin; flac -t accepts it", .timeLimit(.minutes(2)))
  func renderFLACFromStdin() throws {
    let dir = scratchFolder()
    let r = try CLI.run(
      ["render", "-", "-o", "\(dir)/out.flac", "--bits", "24", "--rate", "96000", "--title", "Demo"], stdin: demoSource)
    #expect(r.status == 0, "\(r.stderr)")
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/flac") {
      let t = Process()
      t.executableURL = URL(fileURLWithPath: "/usr/bin/flac")
      t.arguments = ["-t", "-s", "\(dir)/out.flac"]
      try t.run()
      t.waitUntilExit()
      #expect(t.terminationStatus == 0)
    }
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/sndfile-info") {
      let p = Process()
      let pipe = Pipe()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/sndfile-info")
      p.arguments = ["\(dir)/out.flac"]
      p.standardOutput = pipe
      try p.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      #expect(text.contains("Sample Rate : 96000"))
      #expect(text.contains("Format      : 0x00170003"))  // FLAC, PCM 24
    }
  }

  @Test("bad input: exit 1, caret diagnostics, no file, an existing file untouched")
  func badInput() throws {
    let dir = scratchFolder()
    try "melody { pinao C4 0; }\n".write(toFile: "\(dir)/bad.pattern", atomically: true, encoding: .utf8)
    try "keep me".write(toFile: "\(dir)/out.wav", atomically: true, encoding: .utf8)
    let r = try CLI.run(["render", "\(dir)/bad.pattern", "-o", "\(dir)/out.wav"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("bad.pattern:1:10: error: unknown instrument 'pinao'"))
    #expect(r.stderr.contains("  1 | melody { pinao C4 0; }"))
    #expect(r.stderr.contains("^~~~~"))
    #expect(r.stderr.contains("hint: did you mean 'piano'?"))
    #expect(try String(contentsOfFile: "\(dir)/out.wav", encoding: .utf8) == "keep me")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bad.pattern", "out.wav"])
  }

  @Test("an unwritable output is an I/O failure (exit 3) and leaves nothing")
  func unwritable() throws {
    let r = try CLI.run(["render", "-", "-o", "/nonexistent-dir/x.wav"], stdin: demoSource)
    #expect(r.status == 3)
    #expect(r.stderr.contains("cannot write"))
    let missing = try CLI.run(["render", "/nonexistent.pattern", "-o", "/tmp/x.wav"])
    #expect(missing.status == 3)
    #expect(missing.stderr.contains("no such file"))
  }

  @Test(
    "usage errors exit 2",
    arguments: [
      ["render", "x.pattern", "-o", "x.mp4"], ["render", "x.pattern", "-o", "x.flac", "--bits", "32f"],
      ["render", "x.pattern", "-o", "x.wav", "--rate", "12345"], ["render", "x.pattern"], ["frobnicate"],
      ["check", "x", "--format", "yaml"],
    ])
  func usage(args: [String]) throws {
    let r = try CLI.run(args)
    #expect(r.status == 2, "\(args): \(r.stderr)")
  }

  @Test("parse prints the original JSON shape; errors give success false and exit 1")
  func parse() throws {
    let ok = try CLI.run(["parse", "-"], stdin: "import piano from \"grand\";\nmelody { piano C4 0; }")
    #expect(ok.status == 0)
    #expect(
      ok.stdout == """
        {"success":true,"pattern":{"imports":[{"instrument":"piano","module":"grand"}],"patterns":{"melody":[{"instrument":"piano","note":"C4","time":0,"velocity":1,"duration":0.5,"line":2,"column":10}]}},"error":null}

        """)
    let bad = try CLI.run(["parse", "-"], stdin: "melody { piano C4 0 }")
    #expect(bad.status == 1)
    #expect(
      bad.stdout.hasPrefix(
        #"{"success":false,"pattern":null,"error":"<stdin>:1:20: error: expected ';' after the time","diagnostics":[{"#)
    )
  }

  @Test("parse keeps the original shape for the original grammar and describes every new construct")
  func parseNewConstructs() throws {
    let song = """
      title "P"; tempo 100; tempo 100 -> 120 over 4 at 8; meter 3/4; seed 2; swing 1/3 per 1/2;
      let m = { piano C4 0; };
      melody(gain=-3) { piano C4'maj7 0 dur=2; repeat 2 every 1 { piano choose(E4, ~) 0 prob=0.5; } play m at 2:1 transpose=2; }
      rhythm { synth Kick euclid(3,8) step 1/2 at 0; }
      section v { melody { piano [C4 E4] 0; } }
      arrange { v x2; }
      """
    let r = try CLI.run(["parse", "-"], stdin: song)
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
  func examples() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples")
      .standardized.path
    let songs = try GoldenSuite.songs(in: [folder])
    #expect(songs.count >= 2)
    for song in songs {
      let r = try CLI.run(["check", song])
      #expect(r.status == 0 && r.stdout.hasSuffix("0 errors, 0 warnings\n"), "\(song): \(r.stdout)\(r.stderr)")
    }
  }

  @Test("check: text and JSON diagnostics, exit codes")
  func check() throws {
    let ok = try CLI.run(["check", "-"], stdin: demoSource)
    #expect(ok.status == 0)
    #expect(ok.stdout == "<stdin>: 0 errors, 0 warnings\n")
    let bad = try CLI.run(["check", "-", "--format", "json"], stdin: "rhythm { synth Kik 0; }")
    #expect(bad.status == 1)
    let json = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as! [String: Any]
    #expect(json["errors"] as? Int == 1)
    let d = (json["diagnostics"] as! [[String: Any]])[0]
    #expect(d["line"] as? Int == 1)
    #expect(d["column"] as? Int == 16)
    #expect(d["hint"] as? String == "did you mean 'Kick'?")
  }

  @Test("events and instruments list what they should")
  func eventsAndInstruments() throws {
    let e = try CLI.run(["events", "-"], stdin: "tempo 90;\nmelody { sine A4 1/3 dur=2; }")
    #expect(e.stdout == "1/3 → 7/3 | melody | sine A4 vel:1 pan:0 @2:10\n")
    let i = try CLI.run(["instruments", "--json"])
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
  func eventsJSON() throws {
    let song = """
      meter 3/4; seed 5; title "J";
      section a { melody(gain=-6) { sine A4 1/3 dur=2; } }
      arrange { a x2; }
      """
    let r = try CLI.run(["events", "-", "--format", "json"], stdin: song)
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
  func tagsFromSong() throws {
    let dir = scratchFolder()
    let song = "title \"Night\"; artist \"Ada\"; album \"Tests\"; melody { sine A4 0; }"
    #expect(try CLI.run(["render", "-", "-o", "\(dir)/a.flac", "--quiet"], stdin: song).status == 0)
    let a = try AudioFileReader.info(path: "\(dir)/a.flac")
    #expect(a.tags.title == "Night")
    #expect(a.tags.artist == "Ada")
    #expect(a.tags.album == "Tests")
    #expect(try CLI.run(["render", "-", "-o", "\(dir)/b.wav", "--title", "Day", "--quiet"], stdin: song).status == 0)
    #expect(try AudioFileReader.info(path: "\(dir)/b.wav").tags.title == "Day")
  }

  @Test("midi: a type-1 file, also from render --midi; bad input gives render's diagnostics and no file")
  func midi() throws {
    let dir = scratchFolder()
    let song = "tempo 100; melody { piano C4 0; } rhythm { synth Kick 1; }"
    let m = try CLI.run(["midi", "-", "-o", "\(dir)/a.mid"], stdin: song)
    #expect(m.status == 0)
    let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.mid"))
    #expect(a.prefix(4) == Data("MThd".utf8))
    let r = try CLI.run(["render", "-", "-o", "\(dir)/a.wav", "--midi", "\(dir)/b.mid", "--quiet"], stdin: song)
    #expect(r.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.mid")) == a)
    let bad = "melody { pinao C4 0; }"
    let viaMIDI = try CLI.run(["midi", "-", "-o", "\(dir)/bad.mid"], stdin: bad)
    let viaRender = try CLI.run(["render", "-", "-o", "\(dir)/bad.wav"], stdin: bad)
    #expect(viaMIDI.status == 1)
    #expect(viaMIDI.stderr == viaRender.stderr)
    #expect(viaMIDI.stderr.contains("did you mean 'piano'?"))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/bad.mid"))
  }

  @Test("SIGTERM mid-render: the process dies by the signal and leaves no file, temporary or final")
  func interrupted() throws {
    let dir = scratchFolder()
    try "old".write(toFile: "\(dir)/out.wav", atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["render", "-", "-o", "\(dir)/out.wav", "-q"]
    let input = Pipe()
    p.standardInput = input
    try p.run()
    input.fileHandleForWriting.write(Data("tempo 60; melody { repeat 3000 every 1 { saw C3 0 dur=1; } }".utf8))
    try input.fileHandleForWriting.close()
    // Wait until the temporary file exists, then interrupt.
    var sawPartial = false
    for _ in 0..<800 where !sawPartial {
      usleep(25_000)
      sawPartial =
        (try? FileManager.default.contentsOfDirectory(atPath: dir))?.contains { $0.hasSuffix(".partial") } == true
    }
    try #require(sawPartial)
    p.terminate()
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.wav"])
    #expect(try String(contentsOfFile: "\(dir)/out.wav", encoding: .utf8) == "old")
  }

  @Test("the same input renders to byte-identical files in two processes")
  func reproducibleAcrossProcesses() throws {
    let dir = scratchFolder()
    for name in ["a", "b"] {
      let r = try CLI.run(
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
