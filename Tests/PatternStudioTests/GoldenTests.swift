import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("Golden hashes: hash, verify, invariance")
struct GoldenTests {
  static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Golden").standardized.path

  func hash(_ text: String, _ settings: RenderSettings) throws -> String {
    let compiled = Renderer().compile(SourceFile(name: "t.pattern", text: text))
    let hash = HashSink()
    try Renderer().render(compiled, settings: settings, into: [hash])
    return try #require(hash.fingerprint).label
  }

  @Test("our golden suite passes: pstudio verify Tests/Golden", .timeLimit(.minutes(5)))
  func suite() async throws {
    let songs = try GoldenSuite.songs(in: [Self.goldenFolder])
    #expect(songs.count >= 20)
    let r = try await CLI.run(["verify", Self.goldenFolder, "--jobs", "2"])
    #expect(r.status == 0, "\(r.stdout)")
    #expect(r.stdout.hasSuffix("\(songs.count) passed, 0 failed\n"))
  }

  @Test("a changed note fails verify with the note's line; --update rewrites and says what changed")
  func changedNote() async throws {
    let dir = Scratch.folder()
    let song = "\(dir)/song.pattern"
    try FileManager.default.copyItem(atPath: "\(Self.goldenFolder)/20-song.pattern", toPath: song)
    try FileManager.default.copyItem(
      atPath: "\(Self.goldenFolder)/20-song.golden.json", toPath: "\(dir)/song.golden.json")
    #expect(try await CLI.run(["verify", dir]).status == 0)
    var text = try String(contentsOfFile: song, encoding: .utf8)
    text = text.replacingOccurrences(of: "keys C5'maj 2 dur=2", with: "keys D5'maj 2 dur=2")
    try text.write(toFile: song, atomically: true, encoding: .utf8)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("D5'maj") }! + 1
    let failed = try await CLI.run(["verify", song])
    #expect(failed.status == 1)
    #expect(failed.stdout.contains("FAIL"))
    #expect(failed.stdout.contains("events changed"))
    #expect(failed.stdout.contains("song.pattern:\(line):"), "\(failed.stdout)")
    #expect(failed.stdout.contains("audio first differs"))
    #expect(failed.stdout.contains("bars that differ"))
    #expect(failed.stdout.contains("0 passed, 1 failed"))
    let updated = try await CLI.run(["verify", "--update", song])
    #expect(updated.status == 0)
    #expect(updated.stdout.contains("UPDATED") && updated.stdout.contains("events changed"))
    #expect(try await CLI.run(["verify", song]).status == 0)
    // A change that only moves a statement to another line is not a change.
    try (text + "\n// a comment at the end\n").write(toFile: song, atomically: true, encoding: .utf8)
    #expect(try await CLI.run(["verify", song]).status == 0)
  }

  @Test("a missing golden file or a broken song fails; verify --jobs gives the same report")
  func failures() async throws {
    let dir = Scratch.folder()
    try "melody { sine A4 0; }".write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    try "melody { pinao A4 0; }".write(toFile: "\(dir)/b.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["verify", dir])
    #expect(r.status == 1)
    #expect(r.stdout.contains("no golden file"))
    #expect(r.stdout.contains("did you mean 'piano'?"))
    let some = ["03-drums", "06-noise", "13-random", "17-rate-22050"].map { "\(Self.goldenFolder)/\($0).pattern" }
    let one = try await CLI.run(["verify", "--jobs", "1"] + some)
    let two = try await CLI.run(["verify", "--jobs", "2"] + some)
    #expect(one.status == 0)
    #expect(one.stdout == two.stdout)
  }

  @Test("the hash is of the PCM: WAV, FLAC and tags do not change it; --audio agrees with the render")
  func hashIsPCM() async throws {
    let dir = Scratch.folder()
    let song = "title \"A\"; tempo 140; melody { piano C4 0; saw E3 0.5 dur=2; } rhythm { synth Kick 0; }"
    for bits in ["16", "24", "32f"] {
      let rendered = try await CLI.run(["hash", "-", "--bits", bits, "--rate", "44100"], stdin: song).stdout
      #expect(
        rendered.hasPrefix(
          bits == "16"
            ? "pcm-s16-44100-2:sha256:" : bits == "24" ? "pcm-s24-44100-2:sha256:" : "pcm-f32-44100-2:sha256:"))
      let containers = bits == "32f" ? ["wav"] : ["wav", "flac"]
      for container in containers {
        let file = "\(dir)/x\(bits).\(container)"
        #expect(
          try await CLI.run(
            ["render", "-", "-o", file, "--bits", bits, "--rate", "44100", "--title", container, "-q"], stdin: song
          ).status == 0)
        #expect(try await CLI.run(["hash", "--audio", file]).stdout == rendered)
      }
    }
    let json = try await CLI.run(["hash", "-", "--format", "json"], stdin: song)
    let fields = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    #expect((fields["pcm"] as! String).hasPrefix("pcm-s16-48000-2:sha256:"))
    #expect(fields["frames"] as? Int ?? 0 > 0)
    #expect(fields["peakDbfs"] as? Double ?? 0 < 0)
    #expect(fields["events"] as? Int == 3)
  }

  @Test("block sizes 1, 64, 512, 4096 and 1 or 2 threads give one hash; so do repeated renders")
  func invariance() async throws {
    let song =
      "seed 3; tempo 180; melody { piano C4 0; guitar E3 0.5; noise C6 1 dur=0.25; } rhythm { synth Snare 0.5; }"
    let format = AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 22_050)
    let reference = try hash(song, RenderSettings(format: format))
    for block in [1, 64, 512, 4096] {
      for threads in [1, 2] {
        #expect(try hash(song, RenderSettings(format: format, blockSize: block, threads: threads)) == reference)
      }
    }
    #expect(try hash(song, RenderSettings(format: format)) == reference)
    // Two processes.
    let a = try await CLI.run(["hash", "-", "--rate", "22050"], stdin: song).stdout
    let b = try await CLI.run(["hash", "-", "--rate", "22050"], stdin: song).stdout
    #expect(a == b && a == reference + "\n")
    // And the hash does move when the audio does.
    #expect(
      try hash(song.replacingOccurrences(of: "seed 3", with: "seed 4"), RenderSettings(format: format)) != reference)
  }
}
