import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("The shipped instrument library")
struct ShippedLibraryTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardized.path
  static let folder = root + "/Instruments"
  static let names = [
    "grand", "drums", "guitar", "bass", "pad", "lead", "organ", "strings", "sine", "triangle", "saw", "square",
    "marimba",
  ]

  @Test("every shipped module loads; the folder stays small")
  func loads() throws {
    let library = InstrumentLibrary.load(InstrumentSearchPath(folders: [Self.folder]))
    #expect(library.catalog.unavailable.isEmpty, "\(library.catalog.unavailable)")
    for name in Self.names { #expect(library.sources[name] != nil, "\(name)") }
    #expect(
      library.catalog.module("drums")?.playable
        == .hits([
          "Clap", "Crash", "HiHat", "HighTom", "Kick", "LowTom", "MidTom", "OpenHat", "Rim", "Snare", "Tom",
        ]))
    let size = try FileManager.default.subpathsOfDirectory(atPath: Self.folder).reduce(0) {
      $0 + ((try? FileManager.default.attributesOfItem(atPath: "\(Self.folder)/\($1)")[.size] as? Int) ?? 0)
    }
    #expect(size < 20_000_000)
  }

  /// Frequency from the autocorrelation peak near 20 periods (parabolic refinement): robust to harmonics.
  func frequency(_ x: [Double], expected: Double, from a: Int, count n: Int) -> Double {
    let guess = 20 * 48_000 / expected
    func r(_ lag: Int) -> Double { (a..<(a + n)).reduce(0) { $0 + x[$1] * x[$1 + lag] } }
    let lags = Int(guess * 0.97)...Int(guess * 1.03)
    let best = lags.max { r($0) < r($1) }!
    let (y0, y1, y2) = (r(best - 1), r(best), r(best + 1))
    let shift = 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
    return 20 * 48_000 / (Double(best) + shift)
  }

  func spectralPeak(_ x: [Double], around hz: Double) -> Double {
    let n = 24_000
    let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
    func power(_ f: Double) -> Double {
      var re = 0.0
      var im = 0.0
      let w = 2 * Double.pi * f / 48_000
      for i in 0..<n {
        re += x[12_000 + i] * window[i] * cos(w * Double(i))
        im -= x[12_000 + i] * window[i] * sin(w * Double(i))
      }
      return re * re + im * im
    }
    let candidates = (-100...100).map { hz * pow(2, Double($0) / 12_000) }
    return candidates.max { power($0) < power($1) }!
  }

  @Test(
    "shipped instruments of every pitched kind sound at the written pitch within 1 cent",
    arguments: [
      ("organ", "C2"), ("organ", "A4"), ("organ", "C7"), ("lead", "A4"), ("bass", "A1"), ("sine", "A4"),
      ("guitar", "E2"),
      ("guitar", "A3"), ("guitar", "E5"), ("grand", "A2"), ("grand", "A4"), ("grand", "C7"),
    ])
  func tuning(_ instrument: String, _ note: String) throws {
    let renderer = Renderer(instruments: InstrumentSearchPath(folders: [Self.folder]))
    let compiled = renderer.compile(
      SourceFile(name: "t", text: "import i from \"\(instrument)\"; tempo 60; melody { i \(note) 0 dur=2; }"))
    #expect(compiled.succeeded)
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    let pcm = try renderer.renderPCM(compiled, settings: RenderSettings(format: format))
    let left = stride(from: 0, to: pcm.count, by: 2).map { Double(Float(bitPattern: UInt32(bitPattern: pcm[$0]))) }
    let hz = 440 * pow(2, Double(Pitch.midiNumber(note)! - 69) / 12)
    // The piano's upper partials are sharp by design (string stiffness), which pulls an autocorrelation:
    // measure its fundamental partial directly, as the peak of a Hann-windowed DFT scanned in 0.1-cent steps.
    let f =
      instrument == "grand"
      ? spectralPeak(left, around: hz) : frequency(left, expected: hz, from: 48_000, count: 24_000)
    #expect(abs(1200 * log2(f / hz)) < 1, "\(instrument) \(note): \(f) Hz, expected \(hz)")
  }

  @Test("the library example renders to FLAC that flac -t accepts and that reads back whole", .timeLimit(.minutes(3)))
  func example() async throws {
    let dir = Scratch.folder()
    let r = try await CLI.run(["render", Self.root + "/Examples/library.pattern", "-o", "\(dir)/library.flac"])
    #expect(r.status == 0, "\(r.stderr)")
    if let flac = Tools.which("flac") {
      #expect(try await Tools.run(flac, ["-t", "-s", "\(dir)/library.flac"]).status == 0)
    }
    let (info, samples) = try AudioFileReader.readInt32(path: "\(dir)/library.flac")
    #expect(info.container == "flac" && info.sampleRate == 48_000 && info.frames > 48_000 * 10)
    #expect(samples.count == Int(info.frames) * 2)
    #expect(samples.map { abs(Int64($0)) }.max()! > 1 << 28)
  }
}
