import Foundation
import PatternLanguage
import Testing

@testable import PatternEngine

/// Runs `effect` over stereo input in blocks of `block` frames (the last may be shorter).
func runEffect(
  _ effect: any MixEffect, left: [Float], right: [Float], block: Int = 4096, key: ([Float], [Float])? = nil
) -> (left: [Float], right: [Float]) {
  var l = left
  var r = right
  l.withUnsafeMutableBufferPointer { lb in
    r.withUnsafeMutableBufferPointer { rb in
      var i = 0
      while i < lb.count {
        let n = min(block, lb.count - i)
        if let key {
          key.0.withUnsafeBufferPointer { kl in
            key.1.withUnsafeBufferPointer { kr in
              effect.process(
                left: lb.baseAddress! + i, right: rb.baseAddress! + i, count: n,
                key: StereoSignal(left: kl.baseAddress! + i, right: kr.baseAddress! + i))
            }
          }
        } else {
          effect.process(left: lb.baseAddress! + i, right: rb.baseAddress! + i, count: n, key: nil)
        }
        i += n
      }
    }
  }
  return (l, r)
}

func impulse(_ frames: Int) -> [Float] {
  var x = [Float](repeating: 0, count: frames)
  x[0] = 1
  return x
}

/// Every effect with typical parameters (fresh each call), by name.
func everyEffect() -> [(String, any MixEffect)] {
  let fs = 48_000
  return [
    ("reverb", Reverb(decay: 1.5, predelay: 0.01, damp: 0.5, size: 0.7, width: 1, sampleRate: fs)),
    ("delay", DelayEffect(seconds: 0.011, feedback: 0.5, damp: 0.4, pingPong: true, sampleRate: fs)),
    (
      "eq",
      FilterChain(
        [
          .highPass(hz: 80, q: 0.7071, sampleRate: 48_000), .lowShelf(hz: 200, gainDecibels: -3, sampleRate: 48_000),
          .peak(hz: 1000, gainDecibels: 4, q: 1.4, sampleRate: 48_000),
        ], sampleRate: fs)
    ),
    ("comp", Compressor(threshold: -30, ratio: 4, knee: 6, attack: 0.001, release: 0.05, makeup: 3, sampleRate: fs)),
    ("drive", Drive(amount: 0.7, sampleRate: fs)),
    ("chorus", Chorus(rate: 3, depth: 0.8, sampleRate: fs)),
    ("limit", TruePeakLimiter(ceiling: -6, release: 0.05, sampleRate: fs)),
  ]
}

/// A test signal with some of everything: a decaying chirp-ish tone and clicks.
func testSignal(_ frames: Int, seed: UInt64 = 1) -> ([Float], [Float]) {
  var l = [Float](repeating: 0, count: frames)
  var r = [Float](repeating: 0, count: frames)
  var state = seed
  for i in 0..<frames {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
    let t = Double(i) / 48_000
    l[i] = Float(0.6 * sin(2 * Double.pi * (220 + 400 * t) * t)) + 0.2 * noise
    r[i] = Float(0.5 * sin(2 * Double.pi * 330 * t)) - 0.2 * noise
    if i % 4000 == 0 { l[i] = 1; r[i] = -1 }
  }
  return (l, r)
}

@Suite("Effects: one-sample reference = block path")
struct EffectBlockTests {
  @Test("every effect gives the same bits for blocks of 1, 37, 512 and 4096 frames")
  func blockInvariance() {
    let (l, r) = testSignal(12_000)
    let references = everyEffect().map { runEffect($0.1, left: l, right: r, block: 1) }
    for block in [37, 512, 4096] {
      for ((name, effect), reference) in zip(everyEffect(), references) {
        let out = runEffect(effect, left: l, right: r, block: block)
        #expect(out.left.map(\.bitPattern) == reference.left.map(\.bitPattern), "\(name), block \(block)")
        #expect(out.right.map(\.bitPattern) == reference.right.map(\.bitPattern), "\(name), block \(block)")
      }
    }
    #expect(references.allSatisfy { $0.left.contains { $0 != 0 } })
  }
}

@Suite("Reverb, measured")
struct ReverbTests {
  static let fs = 48_000.0

  static func impulseResponse(decay: Double, damp: Double, predelay: Double = 0.02, seconds: Double? = nil)
    -> (left: [Double], right: [Double])
  {
    let frames = Int((seconds ?? (decay * 1.3 + 0.2)) * fs)
    let reverb = Reverb(decay: decay, predelay: predelay, damp: damp, size: 0.8, width: 1, sampleRate: Int(fs))
    let out = runEffect(reverb, left: impulse(frames), right: impulse(frames))
    return (out.left.map(Double.init), out.right.map(Double.init))
  }

  @Test("RT60 of the 500 Hz and 1 kHz octaves is within 10 % of decay, for any damp", arguments: [0.0, 0.5, 0.9])
  func decayTime(damp: Double) {
    let decay = 2.4
    let h = Self.impulseResponse(decay: decay, damp: damp).left
    for band in [500.0, 1000.0] {
      let t = AcousticMeasures.rt60(AcousticMeasures.octaveBand(h, hz: band, sampleRate: Self.fs), sampleRate: Self.fs)
      #expect(abs(t - decay) / decay < 0.1, "damp \(damp), \(Int(band)) Hz: RT60 \(t) s")
      print("reverb decay \(decay) damp \(damp): \(Int(band)) Hz RT60 \(t) s")
    }
  }

  @Test("damp shortens the 4 kHz octave")
  func dampShortensHighs() {
    let decay = 2.0
    let plain = Self.impulseResponse(decay: decay, damp: 0).left
    let damped = Self.impulseResponse(decay: decay, damp: 0.6).left
    let t0 = AcousticMeasures.rt60(
      AcousticMeasures.octaveBand(plain, hz: 4000, sampleRate: Self.fs), sampleRate: Self.fs)
    let t1 = AcousticMeasures.rt60(
      AcousticMeasures.octaveBand(damped, hz: 4000, sampleRate: Self.fs), sampleRate: Self.fs)
    #expect(abs(t0 - decay) / decay < 0.15, "undamped 4 kHz RT60 \(t0)")
    #expect(t1 < 0.75 * t0, "damped 4 kHz RT60 \(t1) vs \(t0)")
  }

  @Test("the tail is decorrelated (|IACC| < 0.3), dense within 100 ms (echo density ≥ 0.9), without DC")
  func diffuseTail() {
    let predelay = 0.02
    let (l, r) = Self.impulseResponse(decay: 1.8, damp: 0.5, predelay: predelay, seconds: 1.5)
    let from = Int((predelay + 0.1) * Self.fs)
    let to = Int(1.2 * Self.fs)
    let iacc = AcousticMeasures.correlation(l[from..<to], r[from..<to])
    #expect(abs(iacc) < 0.3, "IACC \(iacc)")
    let density = AcousticMeasures.echoDensity(l, sampleRate: Self.fs)
    let dense = density.first { $0.density >= 0.9 && $0.time > predelay }
    #expect(dense != nil && dense!.time - predelay <= 0.1, "first dense window at \(dense?.time ?? -1) s")
    let rms = (l.reduce(0) { $0 + $1 * $1 } / Double(l.count)).squareRoot()
    let mean = l.reduce(0, +) / Double(l.count)
    #expect(abs(mean) < 0.01 * rms, "DC \(mean) against RMS \(rms)")
  }
}

@Suite("Effects: fast paths")
struct EffectFastPathTests {
  /// The limiter skips its frame loop for passes that cannot limit; the output must be the loop's, bit for bit,
  /// through quiet stretches, a burst that limits hard, its release and quiet again, in any block size.
  @Test func limiterRestingPathIsTheFrameLoop() {
    let frames = 144_000
    var (l, r) = testSignal(frames)
    for i in 0..<frames {
      let loud: Float = (12_000..<20_000).contains(i) ? 2.5 : 0.2
      l[i] *= loud
      r[i] *= loud
    }
    for block in [1, 100, 256, 4096] {
      let fast = TruePeakLimiter(ceiling: -1, release: 0.05, sampleRate: 48_000)
      let slow = TruePeakLimiter(ceiling: -1, release: 0.05, sampleRate: 48_000)
      slow.takesRestingPath = false
      let a = runEffect(fast, left: l, right: r, block: block)
      let b = runEffect(slow, left: l, right: r, block: block)
      let same = a.left == b.left && a.right == b.right
      #expect(same, "block \(block)")
      #expect(fast.smallestGain == slow.smallestGain)
      #expect(fast.smallestGain < 0.5)
      // The fast path ran before the burst and again once the release settled (in Float, within about 16
      // time constants: 0.8 s here).
      #expect(fast.restingPasses > (12_000 + 60_000) / min(block, 256))
      #expect(slow.restingPasses == 0)
    }
  }

  /// The limiter does not interpolate a pass whose inputs cannot reach the ceiling; its output must be the full
  /// detection's, bit for bit: quiet, levels whose bound straddles the ceiling, a burst that limits, a tone whose
  /// true peak alone passes the ceiling, quiet again.
  @Test func limiterQuietPassesAreTheFullDetection() {
    let frames = 96_000
    var (l, r) = testSignal(frames)
    for i in 0..<frames {
      let level: Float =
        switch i {
        case 8_000..<12_000: 2.5
        case 30_000..<50_000: 0.55 + Float(i % 9_000) / 60_000
        case 60_000..<61_000: 0.9
        default: 0.2
        }
      l[i] *= level
      r[i] *= level
    }
    // A 12 kHz tone whose samples (±0.707) stay under the ceiling while its true peak (1) passes it: these
    // passes must be interpolated, and limited.
    for i in 70_000..<74_000 {
      l[i] = Float(sin(2 * Double.pi * Double(i) / 4 + Double.pi / 4))
      r[i] = -l[i]
    }
    for block in [1, 100, 256, 4096] {
      let fast = TruePeakLimiter(ceiling: -1, release: 0.05, sampleRate: 48_000)
      let full = TruePeakLimiter(ceiling: -1, release: 0.05, sampleRate: 48_000)
      full.skipsQuietPasses = false
      let a = runEffect(fast, left: l, right: r, block: block)
      let b = runEffect(full, left: l, right: r, block: block)
      let same =
        a.left.map(\.bitPattern) == b.left.map(\.bitPattern) && a.right.map(\.bitPattern) == b.right.map(\.bitPattern)
      #expect(same, "block \(block)")
      #expect(fast.smallestGain == full.smallestGain)
      #expect(fast.smallestGain < 0.5)
      #expect(fast.quietPasses > 100)
      #expect(full.quietPasses == 0)
    }
  }
}
