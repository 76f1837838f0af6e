import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// Album export through the CLI. Minutes of audio: the debug binary renders them at close to release speed
/// (its hot modules are optimised in debug builds too); PSTUDIO_BIN may name another build.
@Suite("Album export", .serialized)
struct AlbumTests {
  static let album = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Examples/album").standardized.path
  static let binary = ProcessRunner.pstudio

  func run(_ args: [String]) async throws -> ProcessResult { try await ProcessRunner.run(Self.binary, args) }

  func manifest(_ dir: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/album.json")))
      as! [String: Any]
  }

  @Test(
    "the example album: files, tags, playlist, cue, manifest; loudness agrees with pyloudnorm; jobs 1 = jobs 2; re-run skips",
    .timeLimit(.minutes(10)))
  func exampleAlbum() async throws {
    let a = Scratch.folder()
    let r = try await run(["album", Self.album, "-o", a, "--jobs", "2", "--stems"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let m = try manifest(a)
    let tracks = m["tracks"] as! [[String: Any]]
    #expect(tracks.count == 6)
    #expect(m["title"] as? String == "Pattern Studio Sampler")
    let names = tracks.map { $0["file"] as! String }
    #expect(names.first == "01 - First Light.flac")
    #expect(names.last == "06 - Slow Return- Coda-.flac")  // ':' and '?' made safe
    for (i, t) in tracks.enumerated() {
      let file = "\(a)/\(t["file"] as! String)"
      let info = try AudioFileReader.info(path: file)
      #expect(info.container == "flac" && info.sampleRate == 48_000)
      #expect(info.tags.title == t["title"] as? String)
      #expect(info.tags.artist == "Pattern Studio" && info.tags.album == "Pattern Studio Sampler")
      #expect(info.tags.trackNumber == "\(i + 1)/6" && info.tags.date == "2026")
      #expect(info.tags.comment == "source sha256:\(t["sourceSha256"] as! String)")
      #expect(try await CLI.run(["hash", "--audio", file]).stdout == (t["pcm"] as! String) + "\n")
      let seconds = t["seconds"] as! Double
      #expect((60...180).contains(seconds))
      #expect((t["truePeakDbtp"] as! Double) <= -0.99)
    }
    // One album gain: each track moved by the same amount, and the loudest true peak sits at the ceiling
    // (or the album at its target).
    let albumLUFS = m["albumLufs"] as! Double
    let gain = m["albumGainDb"] as! Double
    let peaks = tracks.map { $0["truePeakDbtp"] as! Double }
    #expect(abs(albumLUFS + gain - -14) < 0.5 || abs(peaks.max()! - -1) < 0.1, "album \(albumLUFS) + \(gain)")
    // ffmpeg's meter: the album at −14 ± 0.5 LUFS, every file's true peak at or under −1.0 dBTP.
    if FFmpegMeter.available {
      let files = tracks.map { "\(a)/\($0["file"] as! String)" }
      for file in files {
        let tp = try await FFmpegMeter.measure([file]).truePeak
        #expect(tp <= -1.0, "\(file): true peak \(tp) dBTP by ffmpeg")
      }
      let album = try await FFmpegMeter.measure(files).lufs
      #expect(abs(album - -14) <= 0.5, "album \(album) LUFS by ffmpeg")
      #expect((r.stdout + r.stderr).contains("album -14.0 LUFS (measured "), "\(r.stdout)")
    }
    // The files written while the gain was planned were kept or removed: no temporary file is left.
    #expect(try FileManager.default.contentsOfDirectory(atPath: a).filter { $0.hasSuffix(".partial") }.isEmpty)
    // Playlist and cue sheet.
    let m3u = try String(contentsOfFile: "\(a)/album.m3u8", encoding: .utf8)
    #expect(m3u.hasPrefix("#EXTM3U") && names.allSatisfy { m3u.contains("\n\($0)\n") })
    let cue = try String(contentsOfFile: "\(a)/album.cue", encoding: .utf8)
    #expect(cue.contains("TITLE \"Pattern Studio Sampler\"") && cue.contains("TRACK 06 AUDIO"))
    #expect(names.allSatisfy { cue.contains("FILE \"\($0)\" WAVE") })
    // An independent meter (pyloudnorm) agrees with ours within 0.5 LU on every track.
    if let python = Tools.which("python3"), (try? await Tools.run(python, ["-c", "import pyloudnorm"]).status) == 0 {
      for t in tracks {
        let (info, samples) = try AudioFileReader.readFloat(path: "\(a)/\(t["file"] as! String)")
        let raw = "\(a)/x.raw"
        try samples.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: raw)) }
        let out = try await Tools.run(
          python,
          [
            "-c",
            "import numpy, pyloudnorm, sys; x = numpy.fromfile(sys.argv[1], dtype=numpy.float32).reshape(-1, 2); "
              + "print(pyloudnorm.Meter(int(sys.argv[2])).integrated_loudness(x.astype(numpy.float64)))",
            raw, "\(info.sampleRate)",
          ])
        let theirs = Double(out.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
        #expect(abs(theirs - (t["loudnessLufs"] as! Double)) < 0.5, "\(t["title"]!): pyloudnorm \(theirs)")
        #expect(abs(theirs - (t["targetLufs"] as! Double)) < 0.5, "\(t["title"]!): target \(t["targetLufs"]!)")
      }
    }
    // Stems: one float WAV per block of each song and one per bus, in a folder per track.
    let stems = try FileManager.default.contentsOfDirectory(atPath: "\(a)/stems/01 - First Light")
    #expect(stems.sorted() == ["01 - harmony.wav", "02 - melody.wav", "03 - rhythm.wav", "04 - bus room.wav"])
    // --jobs 1 gives the same files; a re-run skips everything; --force renders again.
    let b = Scratch.folder()
    #expect(try await run(["album", Self.album, "-o", b, "--jobs", "1", "-q"]).status == 0)
    #expect(
      ((try manifest(b))["tracks"] as! [[String: Any]]).map { $0["pcm"] as! String }
        == tracks.map { $0["pcm"] as! String })
    let again = try await run(["album", Self.album, "-o", b, "--jobs", "2"])
    #expect(again.status == 0 && again.stdout.components(separatedBy: "SAME").count == 7, "\(again.stdout)")
    let forced = try await run(["album", Self.album, "-o", b, "--force", "-q"])
    #expect(forced.stdout.components(separatedBy: "RENDERED").count == 7)
    // The old units were moved aside and deleted; the new ones are there.
    #expect(try FileManager.default.contentsOfDirectory(atPath: "\(b)/.pstudio-units") == ["units"])
    let units = try FileManager.default.contentsOfDirectory(atPath: "\(b)/.pstudio-units/units")
    #expect(units.filter { $0.hasSuffix(".wav") }.count == 6 && units.filter { $0.hasSuffix(".json") }.count == 6)
    // Each record was written after the export's jobs hashed its unit (`UnitSealer`): its SHA-256 is the file's,
    // so the next export reuses every unit.
    for name in units where name.hasSuffix(".json") {
      let record = try JSONDecoder().decode(
        AlbumUnitRecord.self, from: Data(contentsOf: URL(fileURLWithPath: "\(b)/.pstudio-units/units/\(name)")))
      let wav = "\(b)/.pstudio-units/\(record.file ?? "")"
      #expect(record.sha256 == Hex.sha256(try Data(contentsOf: URL(fileURLWithPath: wav))), "\(name)")
    }
    let reused = try await run(["album", Self.album, "-o", b, "--jobs", "2"])
    #expect(reused.stderr.components(separatedBy: "unit up to date").count == 7, "\(reused.stderr)")
  }

  @Test("stems add up to the mix before the master stage")
  func stemsSum() throws {
    let song =
      "tempo 120; melody { saw C4 0 dur=2; piano E4 1; } rhythm { synth Kick 0; synth Snare 1; } harmony { sine G3 0 dur=3; }"
    let compiled = Renderer().compile(PatternLanguageSource.text(song))
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    let frames = Int64(try Renderer().renderPCM(compiled, settings: RenderSettings(format: format)).count / 2)
    func render(_ solo: Int?) throws -> [Float] {
      var settings = RenderSettings(format: format)
      settings.soloTrack = solo
      settings.bypassMaster = true
      settings.minimumFrames = frames
      return try Renderer().renderPCM(compiled, settings: settings).map { Float(bitPattern: UInt32(bitPattern: $0)) }
    }
    let mix = try render(nil)
    let stems = try (0..<3).map { try render($0) }
    #expect(stems.allSatisfy { $0.count == mix.count })
    var worst: Float = 0
    for i in mix.indices { worst = max(worst, abs(mix[i] - (stems[0][i] + stems[1][i] + stems[2][i]))) }
    #expect(worst < 1e-5)
    #expect(mix.map(abs).max()! > 0.1)
  }

  @Test("a broken song fails alone; the others are exported and the exit status is 1")
  func brokenSong() async throws {
    let dir = Scratch.folder()
    try "title \"Fine\"; melody { sine A4 0; }".write(toFile: "\(dir)/a.pattern", atomically: true, encoding: .utf8)
    try "melody { pinao A4 0; }".write(toFile: "\(dir)/b.pattern", atomically: true, encoding: .utf8)
    let out = Scratch.folder()
    let r = try await run(["album", dir, "-o", out, "-q"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("FAILED  02 b") && r.stdout.contains("did you mean 'piano'?"))
    #expect(FileManager.default.fileExists(atPath: "\(out)/01 - Fine.flac"))
  }

  @Test("killed mid-export: no partial file is left and the earlier export is untouched")
  func killed() async throws {
    let out = Scratch.folder()
    #expect(try await run(["album", Self.album, "-o", out, "-q"]).status == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    let first = try Data(contentsOf: URL(fileURLWithPath: "\(out)/01 - First Light.flac"))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = ["album", Self.album, "-o", out, "--force", "-q", "--jobs", "1"]
    try p.run()
    // Watch (off the cooperative pool) until a partial file appears — the export has started writing — then kill.
    let sawPartial = try await OffPool.waitUntil(seconds: 120, whileRunning: p) {
      (try? FileManager.default.contentsOfDirectory(atPath: out))?.contains { $0.hasSuffix(".partial") } == true
    }
    p.terminate()
    try await OffPool.run { p.waitUntilExit() }
    #expect(sawPartial)
    let after = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(after == before, "left behind: \(Set(after).subtracting(before)), gone: \(Set(before).subtracting(after))")
    // The old units it moved aside, if it did, are named after it, for the next export to delete.
    let cache = try FileManager.default.contentsOfDirectory(atPath: "\(out)/.pstudio-units")
    #expect(cache.allSatisfy { $0 == "units" || $0.hasPrefix(".old.\(p.processIdentifier).") }, "\(cache)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/01 - First Light.flac")) == first)
  }
}

enum PatternLanguageSource {
  static func text(_ s: String) -> PatternLanguage.SourceFile { PatternLanguage.SourceFile(name: "s.pattern", text: s) }
}
