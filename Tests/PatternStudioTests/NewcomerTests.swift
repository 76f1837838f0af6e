import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// What a newcomer trips over, fixed: album.json that tells the truth, files every tool reads cleanly, kit
/// sounds that exist elsewhere, one guitar range, the parse of a song made of sections.
@Suite("newcomer stumbles")
struct NewcomerTests {
  @Test("album.json: a misspelt key is an error with did-you-mean, at the top and in a track")
  func unknownAlbumKeys() throws {
    let dir = Scratch.folder()
    try "melody { sine C4 0; }".write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    try #"{"titel": "X", "tracks": [{"file": "a.pattern"}]}"#.write(
      toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    #expect { try AlbumPlan.load(dir) } throws: { "\($0)".hasSuffix("titel: unknown key (did you mean 'title'?)") }
    try #"{"title": "X", "tracks": [{"file": "a.pattern", "gian": 2}]}"#.write(
      toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    #expect { try AlbumPlan.load(dir) } throws: {
      "\($0)".hasSuffix("tracks[0].gian: unknown key (did you mean 'gain'?)")
    }
  }

  @Test("album.json's genre is in every file's tags (WAV and FLAC), read back with libsndfile")
  func albumGenre() async throws {
    let dir = Scratch.folder()
    try "tempo 120; melody { sine C4 0; sine E4 1; }".write(
      toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    try #"{"title": "G", "genre": "Ambient", "tracks": [{"file": "a.pattern", "title": "One"}]}"#.write(
      toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    for format in ["wav", "flac"] {
      let out = "\(dir)/out-\(format)"
      let r = try await CLI.run(["album", dir, "-o", out, "--format", format, "-q"])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(try AudioFileReader.info(path: "\(out)/01 - One.\(format)").tags.genre == "Ambient")
      #expect(try String(contentsOfFile: "\(out)/album.cue", encoding: .utf8).contains("REM GENRE \"Ambient\""))
    }
  }

  @Test("album.json's gap is silence at the end of a track's file, and the cue sheet's INDEX 00 of the next")
  func albumGap() async throws {
    let dir = Scratch.folder()
    try "tempo 120; melody { sine C4 0 dur=1; }".write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    try "tempo 120; melody { sine E4 0 dur=1; }".write(toFile: "\(dir)/b.pattern", atomically: true, encoding: .utf8)
    try
      #"{"title": "Gaps", "tracks": [{"file": "a.pattern", "title": "A", "gap": 1.5}, {"file": "b.pattern", "title": "B", "gap": 3}]}"#
      .write(toFile: "\(dir)/album.json", atomically: true, encoding: .utf8)
    let out = "\(dir)/out"
    let r = try await CLI.run(["album", dir, "-o", out, "--format", "wav", "-q"])
    #expect(r.status == 0, "\(r.stderr)")
    let single = try await CLI.run(["render", "\(dir)/a.pattern", "-o", "\(dir)/a.wav"])
    #expect(single.status == 0)
    let song = try AudioFileReader.readInt32(path: "\(dir)/a.wav")
    let first = try AudioFileReader.readInt32(path: "\(out)/01 - A.wav")
    let gapFrames = 72_000  // 1.5 s at 48 kHz
    #expect(first.info.frames == song.info.frames + Int64(gapFrames))
    #expect(first.samples.suffix(gapFrames * 2).allSatisfy { $0 == 0 }, "the gap is digital silence")
    // The last track has no gap after it.
    let last = try AudioFileReader.readInt32(path: "\(out)/02 - B.wav")
    #expect(last.info.frames == song.info.frames)
    let cue = try String(contentsOfFile: "\(out)/album.cue", encoding: .utf8)
    let audioEnd = Double(song.info.frames) / 48_000
    let ff = Int((audioEnd * 75).rounded(.down))
    let position = String(format: "%02d:%02d:%02d", ff / 75 / 60, ff / 75 % 60, ff % 75)
    // In file 1: track 2 starts (its pregap) where track 1's audio ends; in file 2: its INDEX 01.
    let order = [
      "FILE \"01 - A.wav\"", "TRACK 02 AUDIO", "INDEX 00 \(position)", "FILE \"02 - B.wav\"", "INDEX 01 00:00:00",
    ]
    var from = cue.startIndex
    for needle in order {
      let found = cue.range(of: needle, range: from..<cue.endIndex)
      #expect(found != nil, "\(needle) in order in \(cue)")
      from = found?.upperBound ?? from
    }
    #expect(cue.components(separatedBy: "TRACK 02").count == 2, "track 2 is announced once")
  }

  @Test("a 32-bit float WAV's fmt chunk carries cbSize: sox reads it without a warning, libsndfile as float")
  func floatWAVIsExtensible() async throws {
    let dir = Scratch.folder()
    try "melody { sine A4 0; }".write(toFile: "\(dir)/s.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/s.pattern", "-o", "\(dir)/f.wav", "--bits", "32f"])
    #expect(r.status == 0, "\(r.stderr)")
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/f.wav")).prefix(64))
    // "fmt " of 18 bytes: IEEE float (3), 2 channels, …, 32 bits, cbSize 0; then a JUNK chunk of 14 bytes.
    #expect(bytes[12..<16].elementsEqual("fmt ".utf8) && bytes[16] == 18 && bytes[20] == 3 && bytes[22] == 2)
    #expect(bytes[34] == 32 && bytes[36] == 0 && bytes[37] == 0)
    #expect(bytes[38..<42].elementsEqual("JUNK".utf8) && bytes[42] == 14)
    let info = try AudioFileReader.info(path: "\(dir)/f.wav")
    #expect(info.container == "wav" && info.encoding == "32f")
    if let ffprobe = ProcessRunner.which("ffprobe") {
      let probe = try await ProcessRunner.run(ffprobe, ["-v", "error", "-show_streams", "\(dir)/f.wav"])
      #expect(probe.status == 0 && probe.stdout.contains("codec_name=pcm_f32le"), "\(probe.stdout)")
    }
    if let sox = ProcessRunner.which("sox") {
      let stat = try await ProcessRunner.run(sox, ["\(dir)/f.wav", "-n", "stat"])
      #expect(stat.status == 0)
      #expect(!stat.stderr.contains("missing extended part"), "\(stat.stderr)")
    }
  }

  @Test("verify with no golden files says so and exits 1; a song that plays nothing is an error, not an empty file")
  func nothingToVerifyOrRender() async throws {
    let dir = Scratch.folder()
    try "melody { sine C4 0; }".write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    let verify = try await CLI.run(["verify", dir])
    #expect(verify.status == 1)
    #expect(verify.stderr.contains("nothing was verified: no song has a golden file"), "\(verify.stderr)")
    #expect(!verify.stderr.contains("songs/s"))
    try "section a { melody { sine C4 0; } }".write(toFile: "\(dir)/b.pattern", atomically: true, encoding: .utf8)
    let render = try await CLI.run(["render", "\(dir)/b.pattern", "-o", "\(dir)/b.wav"])
    #expect(render.status == 1)
    #expect(render.stderr.contains("b.pattern:1:1: error: the song plays no note"), "\(render.stderr)")
    #expect(render.stderr.contains("warning: section 'a' is never arranged"))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/b.wav"))
  }

  @Test("a kit sound the built-in synth lacks but the drums kit has: the hint says how to import it")
  func kitSoundElsewhere() {
    let renderer = Renderer(instruments: .standard())
    let compiled = renderer.compile(SourceFile(name: "s", text: "rhythm { synth Clap 0; }"))
    let d = compiled.diagnostics.first { $0.severity == .error }
    #expect(d?.message == "synth has no sound called 'Clap'")
    #expect(d?.hint == "Clap is in the \"drums\" kit: import kit from \"drums\"; then write kit Clap")
  }

  @Test("an unknown module's hint says where modules were looked for")
  func unknownModuleNamesFolders() {
    let path = InstrumentSearchPath.standard()
    let renderer = Renderer(instruments: path)
    let compiled = renderer.compile(SourceFile(name: "s", text: "import b from \"basss\";\nmelody { b C2 0; }"))
    let errors = compiled.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1)
    #expect(errors.first?.hint == "did you mean 'bass'?; searched: " + path.folders.joined(separator: ", "))
  }

  @Test("the built-in guitar and the guitar module play the same range")
  func guitarRanges() {
    let library = InstrumentLibrary.load(.standard())
    let module = library.catalog.module("guitar")?.playable
    let builtin = InstrumentCatalog.builtIn.builtin("guitar")?.playable
    #expect(module != nil && module == builtin)
  }

  @Test("parse of a song made of sections lists the notes it plays; the seed grammar keeps its shape")
  func parseOfSections() async throws {
    let dir = Scratch.folder()
    let song = "section a { melody { sine C4 0; sine E4 1; } }\narrange { a x2; }\n"
    try song.write(toFile: "\(dir)/s.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["parse", "\(dir)/s.pattern"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let patterns = (json?["pattern"] as? [String: Any])?["patterns"] as? [String: Any]
    let melody = patterns?["melody"] as? [[String: Any]]
    #expect(melody?.count == 4)
    // A section lasts its bars: the second time through starts at beat 4.
    #expect(melody?.map { $0["time"] as? Double } == [0, 1, 4, 5])
    #expect(melody?.first?["note"] as? String == "C4" && melody?.first?["line"] as? Int == 1)
  }
}
