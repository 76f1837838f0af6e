import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage
import PatternStudio
import Testing

@Suite("Renderer: files equal the in-memory render")
struct RendererTests {
  func compiled(_ text: String) -> CompiledPattern {
    Renderer().compile(SourceFile(name: "t.pattern", text: text))
  }

  @Test(
    "what is written to disk reads back as exactly the rendered PCM",
    arguments: [
      (AudioContainer.wav, SampleEncoding.pcm16, 44_100), (.wav, .pcm24, 48_000), (.wav, .float32, 96_000),
      (.flac, .pcm16, 48_000), (.flac, .pcm24, 88_200),
    ])
  func fileEqualsMemory(container: AudioContainer, encoding: SampleEncoding, rate: Int) throws {
    let song = compiled(demoSource)
    let format = AudioFormat(container: container, encoding: encoding, sampleRate: rate)
    let options = RenderOptions(format: format, tags: AudioTags(title: "Round trip", artist: "Tests"))
    let expected = try Renderer().renderPCM(song, options: options)
    let path = scratchFolder() + "/rt.\(container.rawValue)"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let summary = try Renderer().render(song, to: path, options: options)
    let info = try AudioFileReader.info(path: path)
    #expect(info.frames == summary.frames)
    #expect(info.sampleRate == rate)
    #expect(info.encoding == encoding.rawValue)
    #expect(info.tags.title == "Round trip")
    #expect(info.tags.artist == "Tests")
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
    let pcm = try Renderer().renderPCM(compiled("tempo 120;\nmelody { sine A4 3 dur=1; }"), options: RenderOptions())
    #expect(pcm.count == 103_200 * 2)
  }

  @Test("gain= on notes, play and blocks scales the audio; a tempo ramp moves notes to its frames")
  func gainsAndRamps() throws {
    func peak(_ text: String) throws -> Double {
      Double(try Renderer().renderPCM(compiled(text), options: RenderOptions()).map { abs($0) }.max() ?? 0)
    }
    let unity = try peak("melody { sine A4 0 dur=1; }")
    let ratio = { (db: Double) in pow(10, db / 20) }
    #expect(abs(try peak("melody { sine A4 0 dur=1 gain=-6; }") / unity - ratio(-6)) < 0.01)
    #expect(abs(try peak("melody(gain=-12) { sine A4 0 dur=1; }") / unity - ratio(-12)) < 0.01)
    #expect(
      abs(try peak("let m = { sine A4 0 dur=1 gain=-3; }; melody { play m at 0 gain=-3; }") / unity - ratio(-6)) < 0.01)
    // 60 → 180 BPM over 4 beats lasts 120·4/240 = 2 s; then 180 BPM: beat 5 + dur 1 = 2 s + 2/3 s + release.
    let pcm = try Renderer().renderPCM(
      compiled("tempo 60 -> 180 over 4;\nmelody { sine A4 5 dur=1; }"), options: RenderOptions())
    #expect(pcm.count == (96_000 + 32_000 + 7_200) * 2)
    // The first sample of the note is at 2 s + 1/3 s = frame 112,000.
    // First sample above the dither.
    let firstSound = stride(from: 0, to: pcm.count, by: 2).first { abs(pcm[$0]) > 8 }.map { $0 / 2 }
    #expect(firstSound.map { (112_000...112_048).contains($0) } == true, "\(String(describing: firstSound))")
  }

  @Test("an error while writing stops the render, leaves no file and cancels background work")
  func failingSink() throws {
    struct DiskFull: Error {}
    let song = compiled("tempo 60;\nmelody { saw A2 0 dur=20; saw E3 0 dur=20; }")
    var chunks = 0
    #expect(throws: DiskFull.self) {
      _ = try Renderer().render(song, options: RenderOptions(threads: 2)) { _ in
        chunks += 1
        if chunks == 2 { throw DiskFull() }
      }
    }
    #expect(chunks == 2)
  }

  @Test("progress is reported after every chunk, rising to exactly 1")
  func progress() throws {
    var fractions: [Double] = []
    _ = try Renderer().render(
      compiled("tempo 60;\nmelody { sine A4 0 dur=3; }"), options: RenderOptions(),
      progress: { fractions.append($0) }, sink: { _ in })
    #expect(fractions.count >= 4)
    #expect(fractions == fractions.sorted())
    #expect(fractions.last == 1)
  }

  @Test("a session dropped mid-song stops its worker threads")
  func dropSessionEarly() {
    let score = compiled(everyLaneSong).score
    for _ in 0..<20 {
      let (session, _) = RenderSession.make(score: score, settings: RenderSettings(threads: 2))
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
