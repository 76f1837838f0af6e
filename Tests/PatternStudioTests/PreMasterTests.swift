import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import Testing

/// A unit (a song's pre-master sum) finished with a gain and a limiter sounds as the song rendered whole with
/// them: bit for bit without a master chain, within float rounding with one (the chain no longer hears the
/// effects' latency frames before the song starts) — and a note at frame f is heard at frame f either way.
@Suite("Pre-master units")
struct PreMasterTests {
  let float = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)

  func floats(_ pcm: [Int32]) -> [Float] { pcm.map { Float(bitPattern: UInt32(bitPattern: $0)) } }

  /// The whole render and the finished unit at `gain` dB (and `ceiling`), as floats.
  func both(_ text: String, gain: Double, ceiling: Double? = nil) throws -> (whole: [Float], finished: [Float]) {
    let renderer = Renderer()
    let compiled = renderer.compile(PatternLanguageSource.text(text))
    var settings = RenderSettings(format: float, threads: 1, masterGainDecibels: gain)
    settings.truePeakCeiling = ceiling
    let whole = floats(try renderer.renderPCM(compiled, settings: settings))
    let unit = PCMCollector()
    let (_, frames, limitedFrames) = try renderer.renderPreMaster(
      compiled, settings: RenderSettings(format: float, threads: 2), into: [unit])
    let sum = floats(unit.samples)
    let finished = PCMCollector()
    try sum.withUnsafeBufferPointer {
      _ = try renderer.finish(
        $0, frames: ceiling == nil ? frames : limitedFrames, of: compiled, settings: settings, into: [finished])
    }
    return (whole, floats(finished.samples))
  }

  /// The largest difference between two renders (infinity when their lengths differ).
  func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
    return worst
  }

  @Test("with effects but no master chain: bit-identical at any gain, the soft limiter included (a loud mix hits it)")
  func exact() throws {
    let song =
      "tempo 110; melody(gain=9, fx=hp(freq=200) -> drive(amount=0.5) -> chorus(rate=1.2, depth=0.6)) { square E5 0 dur=2; } rhythm { synth Kick 0; synth Snare 1; }"
    for gain in [-6.0, 0, 6] {
      let (whole, finished) = try both(song, gain: gain)
      let same = whole.count == finished.count && whole.elementsEqual(finished)
      #expect(same, "at \(gain) dB: largest difference \(largestDifference(whole, finished))")
      if gain == 6 { #expect(whole.map(abs).max()! > 0.9) }  // the soft limiter's knee is in play
    }
  }

  @Test("without any effect: the same within float rounding (a unit sums each track's lanes first)")
  func plain() throws {
    let song = "tempo 120; melody { saw [C4 E4 G4] 0 dur=2; piano E4 1; } rhythm { synth Kick 0; synth Snare 1; }"
    for gain in [-6.0, 6] {
      let (whole, finished) = try both(song, gain: gain)
      let worst = largestDifference(whole, finished)
      #expect(worst < 1e-6, "at \(gain) dB: largest difference \(worst)")
    }
  }

  @Test("with a master chain and the true-peak limiter: the same signal, at the same frames")
  func masterChain() throws {
    let song = """
      tempo 100;
      master(fx=comp(threshold=-12, ratio=2, knee=6, attack=0.01, release=0.2, makeup=6));
      melody(gain=6, fx=drive(amount=0.4)) { saw [C4 E4 G4] 0 dur=2; saw [D4 F4 A4] 2 dur=2; }
      rhythm(gain=6) { synth Kick 0; synth Snare 1; synth Kick 2; synth Snare 3; }
      """
    for ceiling in [nil, -1.0] {
      let (whole, finished) = try both(song, gain: 3, ceiling: ceiling)
      let worst = largestDifference(whole, finished)
      #expect(worst < 1e-4, "ceiling \(String(describing: ceiling)): largest difference \(worst)")
      // The first kick's onset is at the same frame in both.
      let onset = { (x: [Float]) in x.firstIndex { abs($0) > 0.01 } }
      #expect(onset(whole) == onset(finished))
    }
  }
}
