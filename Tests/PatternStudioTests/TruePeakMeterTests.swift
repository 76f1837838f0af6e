import CEBUR128
import Foundation
import PatternStudio
import Testing

/// `TruePeakMeter` must give exactly libebur128's true peak (it replaced the library's scalar oversampler for
/// speed): compared bit for bit on signals with inter-sample peaks, fed in chunks of every awkward size.
@Suite("true-peak meter against libebur128")
struct TruePeakMeterTests {
  /// Deterministic test signals, interleaved, `channels` wide.
  static func signal(_ kind: String, frames: Int, channels: Int, rate: Int) -> [Float] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func noise() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int64(bitPattern: state) >> 11) / Float(1 << 52)
    }
    var out = [Float](repeating: 0, count: frames * channels)
    for i in 0..<frames {
      for c in 0..<channels {
        let t = Double(i) / Double(rate)
        out[i * channels + c] =
          switch kind {
          case "noise": 0.9 * noise()
          // Near a quarter of the rate: peaks fall between samples (the classic +3 dB case).
          case "quarter": Float(sin(2 * Double.pi * (Double(rate) / 4) * t + Double.pi / 4 + Double(c)))
          case "chirp": Float(0.8 * sin(2 * Double.pi * (100 + 10_000 * t) * t))
          case "square": (i / 37) % 2 == 0 ? 0.99 : -0.99
          // Noise swelling and fading, each swell a little louder: the peak moves up several times, and the
          // quiet stretches between swells are the ones the meter may skip.
          case "swells": Float((0.02 + 0.6 * pow(abs(sin(2 * Double.pi * 9 * t)), 3)) * (1 + 2 * t)) * noise()
          default: 0
          }
      }
    }
    return out
  }

  /// libebur128's true peak, channel by channel, fed in `chunks` (frames, cycled).
  static func reference(_ samples: [Float], channels: Int, rate: Int, chunks: [Int]) -> [Double] {
    let mode = Int32(EBUR128_MODE_TRUE_PEAK.rawValue)
    var state: UnsafeMutablePointer<ebur128_state>? = pstudio_ebur128_init(UInt32(channels), UInt(rate), mode)
    defer { pstudio_ebur128_destroy(&state) }
    feed(samples, channels: channels, chunks: chunks) {
      pstudio_ebur128_add_frames_float(state, $0.baseAddress, $0.count / channels)
    }
    return (0..<channels).map { c in
      var p = 0.0
      pstudio_ebur128_true_peak(state, UInt32(c), &p)
      return p
    }
  }

  static func feed(
    _ samples: [Float], channels: Int, chunks: [Int], _ add: (UnsafeBufferPointer<Float>) -> Void
  ) {
    samples.withUnsafeBufferPointer { all in
      var start = 0
      var k = 0
      while start < all.count {
        let n = min(chunks[k % chunks.count] * channels, all.count - start)
        add(UnsafeBufferPointer(rebasing: all[start..<start + n]))
        start += n
        k += 1
      }
    }
  }

  @Test(
    "bit-identical to ebur128_true_peak",
    arguments: [
      ("noise", 48_000, 2), ("quarter", 48_000, 2), ("chirp", 44_100, 2), ("square", 48_000, 1),
      ("quarter", 96_000, 2), ("noise", 176_400, 3), ("chirp", 192_000, 2), ("swells", 48_000, 2),
      ("swells", 44_100, 1), ("swells", 96_000, 2),
    ])
  func identical(kind: String, rate: Int, channels: Int) {
    let samples = Self.signal(kind, frames: 20_011, channels: channels, rate: rate)
    for chunks in [[4096], [1, 3, 7, 2048, 5000, 11], [20_011]] {
      let expected = Self.reference(samples, channels: channels, rate: rate, chunks: chunks)
      let meter = TruePeakMeter(sampleRate: rate, channels: channels)
      Self.feed(samples, channels: channels, chunks: chunks) { meter.add($0) }
      for c in 0..<channels {
        #expect(meter.peak(channel: c) == expected[c], "\(kind) \(rate) Hz channel \(c), chunks \(chunks)")
      }
    }
  }

  @Test("inter-sample peaks read above the sample peak, as they should")
  func interSample() {
    let samples = Self.signal("quarter", frames: 4800, channels: 1, rate: 48_000)
    let meter = TruePeakMeter(sampleRate: 48_000, channels: 1)
    samples.withUnsafeBufferPointer { meter.add($0) }
    let samplePeak = samples.map { Double(abs($0)) }.max()!
    // sin at fs/4, phase π/4: samples at ±0.707, the true peak 1.0 (+3 dB); the 49-tap filter reads it within
    // 0.2 dB (0.10 here).
    #expect(samplePeak < 0.71)
    #expect(abs(20 * log10(meter.peak(channel: 0))) < 0.2)
  }
}
