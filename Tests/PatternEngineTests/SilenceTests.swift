import Testing

@testable import PatternEngine

/// Effects fed silence after a signal: their recursions must come to rest at zero instead of idling among
/// subnormal numbers (each operation on one costs ~100 cycles on x86), and the flushes that bring them there
/// sit on a grid of the effect's own frames, so no block split changes a bit.
@Suite("Effects after silence")
struct SilenceTests {
  static let fs = 48_000

  /// Half a second of the test signal, then `seconds` of digital silence.
  static func burstThenSilence(seconds: Double) -> ([Float], [Float]) {
    let burst = fs / 2
    let (l, r) = testSignal(burst)
    let silence = [Float](repeating: 0, count: Int(seconds * Double(fs)))
    return (l + silence, r + silence)
  }

  @Test("an eq with a 40 Hz high-pass, a reverb and a compressor come to rest after 10 s of silence, in any split")
  func comeToRest() {
    let (l, r) = Self.burstThenSilence(seconds: 10)
    let rest = l.count - 4 * Self.fs
    func make() -> [(String, any MixEffect)] {
      [
        (
          "eq",
          FilterChain(
            [
              .highPass(hz: 40, q: 0.7071, sampleRate: Double(Self.fs)),
              .lowShelf(hz: 200, gainDecibels: -2, sampleRate: Double(Self.fs)),
              .highShelf(hz: 6000, gainDecibels: 2, sampleRate: Double(Self.fs)),
            ], sampleRate: Self.fs)
        ),
        ("reverb", Reverb(decay: 0.5, predelay: 0.01, damp: 0.4, size: 0.7, width: 1, sampleRate: Self.fs)),
        (
          "comp",
          Compressor(
            threshold: -30, ratio: 4, knee: 6, attack: 0.001, release: 0.05, makeup: 0, sampleRate: Self.fs)
        ),
      ]
    }
    var reference: [[UInt32]] = []
    for block in [4096, 37, 256] {
      for (k, (name, effect)) in make().enumerated() {
        let out = runEffect(effect, left: l, right: r, block: block)
        let bits = (out.left + out.right).map(\.bitPattern)
        // Decaying, an output may pass through subnormal values (the eq's Double state converts to them for a
        // few thousand frames); after 6 s of silence every one is exactly zero.
        #expect(out.left[rest...].allSatisfy { $0 == 0 } && out.right[rest...].allSatisfy { $0 == 0 }, "\(name)")
        if let chain = effect as? FilterChain { #expect(chain.isAtRest, "block \(block)") }
        if let reverb = effect as? Reverb { #expect(reverb.isAtRest, "block \(block)") }
        if let comp = effect as? Compressor { #expect(comp.reduction == 0, "block \(block)") }
        if reference.count <= k { reference.append(bits) } else { #expect(bits == reference[k], "\(name), \(block)") }
      }
    }
  }

  @Test("a compressor is exactly transparent again after a long quiet stretch below its threshold")
  func compressorReturnsToUnity() {
    let frames = 11 * Self.fs
    var l = [Float](repeating: 0, count: frames)
    var r = l
    for i in 0..<frames {
      // A loud second (−6 dBFS, far above the threshold), then a quiet 220 Hz tone (−60 dBFS) for 10 s.
      let level: Float = i < Self.fs ? 0.5 : 0.001
      l[i] = level * Float(DSPMath.sinCos(2 * Double.pi * 220 * Double(i) / Double(Self.fs)).sin)
      r[i] = -l[i]
    }
    let comp = Compressor(
      threshold: -30, ratio: 4, knee: 6, attack: 0.001, release: 0.05, makeup: 0, sampleRate: Self.fs)
    let out = runEffect(comp, left: l, right: r)
    let last = frames - Self.fs
    // The reduction released for 10 s: ~20 dB × e^(−10/0.05) is far below Float's smallest normal, where it
    // used to stay, at a subnormal that made the gain 0.99999166; at rest it is 0 and the gain exactly 1.
    #expect(Array(out.left[last...]) == Array(l[last...]))
    #expect(Array(out.right[last...]) == Array(r[last...]))
    // While it was loud, it compressed.
    #expect(out.left[..<Self.fs].map(abs).max()! < 0.4)
  }
}
