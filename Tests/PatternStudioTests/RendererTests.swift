import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("Renderer: one render loop, many sinks")
struct RendererTests {
  func compiled(_ text: String) -> CompiledPattern {
    Renderer().compile(SourceFile(name: "t.pattern", text: text))
  }

  @Test(
    "a file, the in-memory encoding and the collected PCM of one render agree byte for byte",
    arguments: [
      (AudioContainer.wav, SampleEncoding.pcm16, 44_100), (.wav, .pcm24, 48_000), (.wav, .float32, 96_000),
      (.flac, .pcm16, 48_000), (.flac, .pcm24, 88_200),
    ])
  func fileEqualsMemory(container: AudioContainer, encoding: SampleEncoding, rate: Int) throws {
    let song = compiled(demoSource)
    let format = AudioFormat(container: container, encoding: encoding, sampleRate: rate)
    let settings = RenderSettings(format: format, tags: AudioTags(title: "Round trip", artist: "Tests"))
    let path = Scratch.folder() + "/rt.\(container.rawValue)"
    let (file, memory, collector) = (FileSink(path: path), MemorySink(), PCMCollector())
    let summary = try Renderer().render(song, settings: settings, into: [file, memory, collector])
    #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == memory.bytes)
    let info = try AudioFileReader.info(path: path)
    #expect(info.frames == summary.frames)
    #expect(info.sampleRate == rate)
    #expect(info.encoding == encoding.rawValue)
    #expect(info.tags.title == "Round trip")
    #expect(info.tags.artist == "Tests")
    let expected = collector.samples
    if encoding == .float32 {
      let (_, read) = try AudioFileReader.readFloat(path: path)
      #expect(read.map { Int32(bitPattern: $0.bitPattern) } == expected)
    } else {
      let (_, read) = try AudioFileReader.readInt32(path: path)
      let shift: Int32 = encoding == .pcm16 ? 16 : 8
      #expect(read.map { $0 >> shift } == expected)
    }
  }

  @Test("the frame count follows the timing contract: last note-off plus release")
  func length() throws {
    // 120 BPM: beat 3 + dur 1 = 2 s; sine release 0.15 s → 2.15 s = 103,200 frames at 48 kHz.
    let pcm = try Renderer().renderPCM(compiled("tempo 120;\nmelody { sine A4 3 dur=1; }"))
    #expect(pcm.count == 103_200 * 2)
  }

  @Test("gain= on notes, play and blocks scales the audio; a tempo ramp moves notes to its frames")
  func gainsAndRamps() throws {
    func peak(_ text: String) throws -> Double {
      Double(try Renderer().renderPCM(compiled(text)).map { abs($0) }.max() ?? 0)
    }
    let unity = try peak("melody { sine A4 0 dur=1; }")
    let ratio = { (db: Double) in pow(10, db / 20) }
    #expect(abs(try peak("melody { sine A4 0 dur=1 gain=-6; }") / unity - ratio(-6)) < 0.01)
    #expect(abs(try peak("melody(gain=-12) { sine A4 0 dur=1; }") / unity - ratio(-12)) < 0.01)
    #expect(
      abs(try peak("let m = { sine A4 0 dur=1 gain=-3; }; melody { play m at 0 gain=-3; }") / unity - ratio(-6)) < 0.01)
    // 60 → 180 BPM over 4 beats lasts 120·4/240 = 2 s; then 180 BPM: beat 5 + dur 1 = 2 s + 2/3 s + release.
    let pcm = try Renderer().renderPCM(compiled("tempo 60 -> 180 over 4;\nmelody { sine A4 5 dur=1; }"))
    #expect(pcm.count == (96_000 + 32_000 + 7_200) * 2)
    // The first sample of the note is at 2 s + 1/3 s = frame 112,000.
    // First sample above the dither.
    let firstSound = stride(from: 0, to: pcm.count, by: 2).first { abs(pcm[$0]) > 8 }.map { $0 / 2 }
    #expect(firstSound.map { (112_000...112_048).contains($0) } == true, "\(String(describing: firstSound))")
  }

  /// A sink that fails on its `failAt`-th chunk, counting what it saw.
  final class FailingSink: RenderSink {
    struct DiskFull: Error {}
    let failAt: Int
    var chunks = 0
    var cancelled = false
    init(failAt: Int) { self.failAt = failAt }
    func begin(_ render: RenderStart) throws {}
    func write(_ chunk: RenderChunk) throws {
      chunks += 1
      if chunks == failAt { throw DiskFull() }
    }
    func finish() throws {}
    func cancel() { cancelled = true }
  }

  @Test("a sink's failure stops the render with its own error; every sink cancels and no file is left")
  func failingSink() throws {
    let song = compiled("tempo 60;\nmelody { saw A2 0 dur=20; saw E3 0 dur=20; }")
    let dir = Scratch.folder()
    let failing = FailingSink(failAt: 2)
    let file = FileSink(path: dir + "/out.wav")
    #expect {
      try Renderer().render(song, settings: RenderSettings(threads: 2), into: [file, failing])
    } throws: { error in
      guard case RenderError.sink(let cause) = error else { return false }
      return cause is FailingSink.DiskFull
    }
    #expect(failing.chunks == 2)
    #expect(failing.cancelled)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
  }

  @Test("a stop between chunks cancels every sink: RenderError.cancelled, no file, an old file untouched")
  func stop() throws {
    let song = compiled("tempo 60;\nmelody { saw A2 0 dur=20; }")
    let dir = Scratch.folder()
    let path = dir + "/out.wav"
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    var polls = 0
    let control = RenderControl(shouldStop: {
      polls += 1
      return polls > 3
    })
    #expect {
      try Renderer().render(song, settings: RenderSettings(), into: [FileSink(path: path)], control: control)
    } throws: { error in
      if case RenderError.cancelled = error { return true }
      return false
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.wav"])
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
  }

  @Test("an I/O failure keeps its cause: the path and errno (the writer opens the file itself, then libsndfile)")
  func ioCause() throws {
    let song = compiled("melody { sine A4 0; }")
    #expect {
      try Renderer().render(song, settings: RenderSettings(), into: [FileSink(path: "/nonexistent-dir/x.wav")])
    } throws: { error in
      guard case RenderError.io(let cause) = error else { return false }
      return cause.operation == .open && cause.path == "/nonexistent-dir/x.wav" && cause.errno == ENOENT
        && "\(cause)".contains("No such file or directory")
    }
  }

  @Test("a song over a limit is a diagnostic before any sink opens a file")
  func limitBeforeFiles() throws {
    var settings = RenderSettings()
    settings.maxSeconds = 1
    let dir = Scratch.folder()
    #expect {
      try Renderer().render(
        compiled("melody { sine A4 5; }"), settings: settings, into: [FileSink(path: dir + "/x.wav")])
    } throws: { error in
      guard case RenderError.invalidInput(let d) = error else { return false }
      return d.first?.message == "the song would be longer than 1 seconds"
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
  }

  @Test("progress is reported after every chunk, rising to exactly 1")
  func progress() throws {
    var fractions: [Double] = []
    try Renderer().render(
      compiled("tempo 60;\nmelody { sine A4 0 dur=3; }"), settings: RenderSettings(), into: [],
      control: RenderControl(progress: { fractions.append($0) }))
    #expect(fractions.count >= 4)
    #expect(fractions == fractions.sorted())
    #expect(fractions.last == 1)
  }

  @Test("stems from the mix's own pass equal solo renders bit for bit, are as long as the mix and add up to it")
  func stemsInOnePass() throws {
    let song = compiled(
      "tempo 120; melody { saw C4 0 dur=2; piano E4 1; } rhythm { synth Kick 0; synth Snare 1; } harmony { sine G3 0 dur=3; }"
    )
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    let dir = Scratch.folder()
    let stems = StemSink(folder: dir)
    let mixSettings = { () -> RenderSettings in
      var s = RenderSettings(format: format)
      s.bypassMaster = true
      return s
    }()
    let collector = PCMCollector()
    let summary = try Renderer().render(song, settings: mixSettings, into: [stems, collector])
    #expect(
      stems.paths.map { ($0 as NSString).lastPathComponent } == [
        "01 - melody.wav", "02 - rhythm.wav", "03 - harmony.wav",
      ])
    let mix = collector.samples.map { Float(bitPattern: UInt32(bitPattern: $0)) }
    var sum = [Float](repeating: 0, count: mix.count)
    for (t, path) in stems.paths.enumerated() {
      let (info, stem) = try AudioFileReader.readFloat(path: path)
      #expect(info.frames == summary.frames)
      var solo = mixSettings
      solo.soloTrack = t
      solo.minimumFrames = summary.frames
      let reference = try Renderer().renderPCM(song, settings: solo)
      #expect(stem.map { Int32(bitPattern: $0.bitPattern) } == reference)
      for i in stem.indices { sum[i] += stem[i] }
    }
    #expect(zip(sum, mix).map { abs($0 - $1) }.max()! < 1e-6)
  }

  @Test("a session dropped mid-song stops its worker threads")
  func dropSessionEarly() {
    let score = compiled(everyLaneSong).score
    for _ in 0..<20 {
      let (session, _) = RenderSession.make(score: score, settings: EngineSettings(threads: 2))
      _ = session!.renderNextChunk { _, _ in }
    }
  }
}

/// Eight lanes of long notes, so background workers are always ahead of the consumer.
let everyLaneSong = """
  melody { saw A2 0 dur=30; saw E3 0 dur=30; }
  rhythm { square A3 0 dur=30; square C4 0 dur=30; }
  harmony { sine E4 0 dur=30; sine G4 0 dur=30; }
  contrast { triangle A4 0 dur=30; triangle C5 0 dur=30; }
  """
