import CEBUR128
import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import Testing

/// `IntegratedLoudnessMeter` must give exactly libebur128's integrated loudness (it replaced the library's
/// loudness for speed): compared bit for bit, alone and as an album, on signals that exercise the filter, both
/// gates and the filter's flush-to-zero, at every supported rate, fed in chunks of every awkward size.
@Suite("integrated loudness against libebur128")
struct IntegratedLoudnessMeterTests {
  /// Test signals, interleaved: the true-peak tests' plus passages around the gates and long silences (the
  /// filter's state decays into denormals, which libebur128 flushes).
  static func signal(_ kind: String, frames: Int, channels: Int, rate: Int) -> [Float] {
    switch kind {
    case "gates", "gap":
      let noise = TruePeakMeterTests.signal("noise", frames: frames, channels: channels, rate: rate)
      return noise.indices.map { i in
        let second = Double(i / channels) / Double(rate)
        if kind == "gap" { return second > 0.5 && second < 5 ? 0 : noise[i] }
        // Loud, then about 10 LU down (the relative gate), then near −70 LUFS (the absolute gate), in turns.
        let level: Float = [1, 0.3, 0.000_35, 0.5][Int(second * 3) % 4]
        return noise[i] * level
      }
    default: return TruePeakMeterTests.signal(kind, frames: frames, channels: channels, rate: rate)
    }
  }

  /// libebur128's states after `samples`, fed in `chunks` (frames, cycled).
  static func reference(_ samples: [Float], channels: Int, rate: Int, chunks: [Int]) -> UnsafeMutablePointer<
    ebur128_state
  > {
    let state = pstudio_ebur128_init(UInt32(channels), UInt(rate), Int32(EBUR128_MODE_I.rawValue))!
    TruePeakMeterTests.feed(samples, channels: channels, chunks: chunks) {
      pstudio_ebur128_add_frames_float(state, $0.baseAddress, $0.count / channels)
    }
    return state
  }

  @Test(
    "bit-identical to ebur128_loudness_global",
    arguments: [
      ("noise", 48_000, 2), ("gates", 48_000, 2), ("gap", 48_000, 2), ("chirp", 44_100, 2), ("square", 48_000, 1),
      ("gates", 22_050, 1), ("quarter", 32_000, 2), ("noise", 88_200, 2), ("gates", 96_000, 2),
      ("chirp", 176_400, 1), ("gates", 192_000, 2),
    ])
  func identical(kind: String, rate: Int, channels: Int) {
    let frames = kind == "gap" ? rate * 7 : rate * 5 + 1234
    let samples = Self.signal(kind, frames: frames, channels: channels, rate: rate)
    for chunks in [[4096], [1, 3, 7, 2048, 5000, 11], [frames]] {
      var state: UnsafeMutablePointer<ebur128_state>? = Self.reference(
        samples, channels: channels, rate: rate, chunks: chunks)
      defer { pstudio_ebur128_destroy(&state) }
      var expected = 0.0
      pstudio_ebur128_loudness_global(state, &expected)
      let meter = IntegratedLoudnessMeter(sampleRate: rate, channels: channels)
      TruePeakMeterTests.feed(samples, channels: channels, chunks: chunks) { meter.add($0) }
      #expect(expected.isFinite)
      #expect(meter.integratedLUFS.bitPattern == expected.bitPattern, "\(kind) \(rate) Hz, chunks \(chunks)")
      // Read mid-stream and again after more: what the album reads between passes.
      TruePeakMeterTests.feed(samples, channels: channels, chunks: chunks) {
        pstudio_ebur128_add_frames_float(state, $0.baseAddress, $0.count / channels)
        meter.add($0)
      }
      pstudio_ebur128_loudness_global(state, &expected)
      #expect(meter.integratedLUFS.bitPattern == expected.bitPattern, "\(kind) \(rate) Hz, twice")
    }
  }

  @Test("an album (several meters at once) is bit-identical to ebur128_loudness_global_multiple")
  func album() {
    let kinds = ["noise", "gates", "chirp", "gap", "square"]
    var states: [UnsafeMutablePointer<ebur128_state>?] = []
    var meters: [IntegratedLoudnessMeter] = []
    for (k, kind) in kinds.enumerated() {
      let samples = Self.signal(kind, frames: 48_000 * (3 + k), channels: 2, rate: 48_000).map { $0 * Float(k + 1) / 5 }
      states.append(Self.reference(samples, channels: 2, rate: 48_000, chunks: [4096]))
      let meter = IntegratedLoudnessMeter(sampleRate: 48_000, channels: 2)
      samples.withUnsafeBufferPointer { meter.add($0) }
      meters.append(meter)
    }
    var expected = 0.0
    _ = states.withUnsafeMutableBufferPointer {
      pstudio_ebur128_loudness_global_multiple($0.baseAddress, $0.count, &expected)
    }
    for i in states.indices { pstudio_ebur128_destroy(&states[i]) }
    #expect(IntegratedLoudnessMeter.integratedLUFS(of: meters).bitPattern == expected.bitPattern)
  }

  @Test(
    "two meters fed side by side (addPair) end bit-identical to each fed alone, loudness and true peak",
    arguments: [("gates", "gap", 48_000), ("noise", "chirp", 44_100), ("gates", "noise", 96_000)])
  func paired(first: String, second: String, rate: Int) {
    let frames = rate * 6 + 777
    let a = Self.signal(first, frames: frames, channels: 2, rate: rate)
    let b = Self.signal(second, frames: frames, channels: 2, rate: rate).map { $0 * 0.7 }
    for chunks in [[4096], [1, 3, 7, 2048, 5000, 11]] {
      let (aloneA, aloneB) = (LoudnessMeter(sampleRate: rate), LoudnessMeter(sampleRate: rate))
      TruePeakMeterTests.feed(a, channels: 2, chunks: chunks) { aloneA.add($0) }
      TruePeakMeterTests.feed(b, channels: 2, chunks: chunks) { aloneB.add($0) }
      let (pairA, pairB) = (LoudnessMeter(sampleRate: rate), LoudnessMeter(sampleRate: rate))
      a.withUnsafeBufferPointer { all in
        var start = 0
        TruePeakMeterTests.feed(b, channels: 2, chunks: chunks) { piece in
          LoudnessMeter.addPair(pairA, UnsafeBufferPointer(rebasing: all[start..<start + piece.count]), pairB, piece)
          start += piece.count
        }
      }
      // And the second one on its own afterwards (an album file's gap): the meters then differ in position.
      let tail = Self.signal("noise", frames: rate / 3, channels: 2, rate: rate)
      tail.withUnsafeBufferPointer {
        aloneB.add($0)
        pairB.add($0)
      }
      for (alone, pair) in [(aloneA, pairA), (aloneB, pairB)] {
        #expect(pair.integratedLUFS.bitPattern == alone.integratedLUFS.bitPattern, "\(first)+\(second), \(chunks)")
        #expect(pair.truePeakDBTP.bitPattern == alone.truePeakDBTP.bitPattern)
      }
    }
  }

  @Test("PairedLoudnessSink reads what a master sink and a file sink behind the gap read", arguments: [0, 30_011])
  func pairedSink(gap: Int) throws {
    let song = PatternLanguage.SourceFile(
      name: "t.pattern", text: "tempo 120;\nmelody { saw C3 0 dur=4; square G4 1 dur=2; sine E5 3/2 dur=5/2; }")
    let renderer = Renderer()
    let compiled = renderer.compile(song)
    let settings = RenderSettings(format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000))
    let paired = PairedLoudnessSink(planTruePeak: true, gapFrames: Int64(gap))
    let (master, file) = (LoudnessSink(measuresMaster: true), LoudnessSink())
    _ = try renderer.render(
      compiled, settings: settings, into: [paired, master, SilencePadding([file], frames: Int64(gap))])
    for (pair, alone) in [(paired.plan, master.meter), (paired.file, file.meter)] {
      let (p, a) = (try #require(pair), try #require(alone))
      #expect(p.integratedLUFS.isFinite && p.integratedLUFS.bitPattern == a.integratedLUFS.bitPattern)
      #expect(p.truePeakDBTP.bitPattern == a.truePeakDBTP.bitPattern)
    }
  }

  @Test("silence and anything shorter than one 400 ms block read −∞, as in libebur128")
  func silence() {
    let meter = IntegratedLoudnessMeter(sampleRate: 48_000, channels: 2)
    #expect(meter.integratedLUFS == -.infinity)
    let short = Self.signal("noise", frames: 19_199, channels: 2, rate: 48_000)
    short.withUnsafeBufferPointer { meter.add($0) }
    #expect(meter.integratedLUFS == -.infinity)
    let zeros = [Float](repeating: 0, count: 96_000)
    let quiet = IntegratedLoudnessMeter(sampleRate: 48_000, channels: 2)
    zeros.withUnsafeBufferPointer { quiet.add($0) }
    #expect(quiet.integratedLUFS == -.infinity)
  }
}
