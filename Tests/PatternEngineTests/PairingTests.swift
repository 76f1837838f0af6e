import PatternLanguage
import Testing

@testable import PatternEngine

/// Two tracks' effects run side by side (`TrackPairing`, `EffectSlot.processPair`): each output must be bit for
/// bit what the effect gives alone, and pairs are formed only where they help.
@Suite("Paired tracks")
struct PairingTests {
  static let fs = 48_000

  /// A different signal per seed, with a quiet stretch long enough for the flush grid to act (2 s of silence
  /// after 0.3 s of signal, then signal again).
  static func signal(seed: UInt64) -> ([Float], [Float]) {
    let (l, r) = testSignal(14_400, seed: seed)
    let silence = [Float](repeating: 0, count: 2 * fs)
    return (l + silence + l, r + silence + r)
  }

  static func chain(_ sections: Int, _ shift: Double) -> FilterChain {
    let all: [BiquadCoefficients] = [
      .highPass(hz: 40 + shift, q: 0.7071, sampleRate: 48_000),
      .lowShelf(hz: 200, gainDecibels: -2, sampleRate: 48_000),
      .peak(hz: 900 + shift, gainDecibels: 3, q: 1.2, sampleRate: 48_000),
      .highShelf(hz: 6000, gainDecibels: 2 + shift / 100, sampleRate: 48_000),
      .lowPass(hz: 15_000, q: 0.7071, sampleRate: 48_000), .peak(hz: 3000, gainDecibels: -4, q: 2, sampleRate: 48_000),
      .peak(hz: 120, gainDecibels: 1, q: 0.8, sampleRate: 48_000),
    ]
    return FilterChain(Array(all.prefix(sections)), sampleRate: fs)
  }

  static func compressor(_ threshold: Double, _ release: Double) -> Compressor {
    Compressor(threshold: threshold, ratio: 3, knee: 6, attack: 0.005, release: release, makeup: 2, sampleRate: fs)
  }

  /// Runs `a` on one signal and `b` on another: alone, and as a pair in blocks of `block` frames.
  static func compare(_ make: () -> (any MixEffect, any MixEffect), block: Int) -> Bool {
    let (l0, r0) = signal(seed: 1)
    let (l1, r1) = signal(seed: 7)
    let (a, b) = make()
    let aloneA = runEffect(a, left: l0, right: r0, block: block)
    let aloneB = runEffect(b, left: l1, right: r1, block: block)
    let (x, y) = make()
    let slotX = EffectSlot(effect: x, mix: 1, keyTrack: nil, tileFrames: 4096)
    let slotY = EffectSlot(effect: y, mix: 1, keyTrack: nil, tileFrames: 4096)
    guard EffectSlot.pairable(slotX, slotY) else { return false }
    // The paired path itself runs (not `processPair`'s fallback to one after the other).
    switch (x, y) {
    case (let a as FilterChain, let b as FilterChain): guard FilterChain.canPair(a, b) else { return false }
    case (let a as Compressor, let b as Compressor): guard Compressor.canPair(a, b) else { return false }
    default: return false
    }
    var (pl0, pr0, pl1, pr1) = (l0, r0, l1, r1)
    var i = 0
    while i < l0.count {
      let n = min(block, l0.count - i)
      pl0.withUnsafeMutableBufferPointer { a0 in
        pr0.withUnsafeMutableBufferPointer { b0 in
          pl1.withUnsafeMutableBufferPointer { a1 in
            pr1.withUnsafeMutableBufferPointer { b1 in
              EffectSlot.processPair(
                slotX, a0.baseAddress! + i, b0.baseAddress! + i, slotY, a1.baseAddress! + i, b1.baseAddress! + i,
                count: n)
            }
          }
        }
      }
      i += n
    }
    let bits = { (v: [Float]) in v.map(\.bitPattern) }
    return bits(pl0) == bits(aloneA.left) && bits(pr0) == bits(aloneA.right) && bits(pl1) == bits(aloneB.left)
      && bits(pr1) == bits(aloneB.right)
  }

  @Test("paired filter chains of 1 to 7 sections give each chain's own bits, in any block split")
  func filterChains() {
    for sections in 1...7 {
      for block in [1, 37, 256, 4096] where sections <= 3 || block != 1 {
        #expect(
          Self.compare({ (Self.chain(sections, 0), Self.chain(sections, 15)) }, block: block),
          "\(sections) sections, block \(block)")
      }
    }
  }

  @Test("paired compressors with different settings give each one's own bits, in any block split")
  func compressors() {
    for block in [1, 37, 256, 4096] {
      #expect(Self.compare({ (Self.compressor(-24, 0.05), Self.compressor(-12, 0.3)) }, block: block), "\(block)")
    }
  }

  /// The slots of `chain` (a track's fx) in a song with four such tracks.
  static func slots(_ fx: [String]) -> [[EffectSlot]] {
    let tracks = zip(["melody", "harmony", "contrast", "rhythm"], fx).map { "\($0)(fx=\($1)) { saw C4 0; }" }
    let s = score("tempo 120;\n" + tracks.joined(separator: "\n"))
    return s.tracks.map { EffectSlot.chain($0.inserts, score: s, sampleRate: 48_000, tile: 4096) }
  }

  @Test("tracks pair when their chains match and the threads stay busy; keyed and moving effects never pair")
  func decisions() {
    let strip = "eq(low=-2, high=2, hp=40) -> comp(threshold=-18, ratio=3)"
    let four = Self.slots([strip, strip, strip, strip])
    // W3's shape: two reverbs (15), a master chain (14) and a delay (4) beside four channel strips.
    let w3 = TrackPairing(inserts: four, others: [14, 15, 15, 4], threads: 2)
    #expect(w3.groups.map(\.tracks) == [[0, 1], [2, 3]])
    #expect(w3.groups.allSatisfy { $0.paired == [true, true] })
    // Two strips alone on two threads: a pair would leave one thread idle.
    let two = Array(four.prefix(2))
    #expect(TrackPairing(inserts: two, others: [1], threads: 2).groups.map(\.tracks) == [[0], [1]])
    #expect(TrackPairing(inserts: two, others: [1], threads: 1).groups.map(\.tracks) == [[0, 1]])
    // Different shapes: an eq of three sections and one of two do not pair; the compressors after them do.
    let mixed = Self.slots([strip, "eq(low=-2, hp=40) -> comp(threshold=-18)", "drive(amount=0.5)", "lp(freq=900)"])
    let m = TrackPairing(inserts: mixed, others: [], threads: 1)
    #expect(m.groups.first { $0.tracks == [0, 1] }?.paired == [false, true])
    #expect(m.groups.contains { $0.tracks == [2] } && m.groups.contains { $0.tracks == [3] })
    // A track pairs with the one that shares the most slots: 0 with 2 (eq and comp), not 1 (comp only).
    let shorter = "eq(low=-2, hp=40) -> comp(threshold=-18)"
    let best = TrackPairing(inserts: Self.slots([strip, shorter, strip, "drive(amount=0.5)"]), others: [], threads: 1)
    #expect(best.groups.first { $0.tracks.first == 0 }?.tracks == [0, 2])
    // A keyed compressor, a moving eq and a dry share never pair.
    let special = Self.slots([
      "comp(threshold=-18, key=rhythm)", "comp(threshold=-18)", "lp(freq=900 -> 2000 over 4)", "lp(freq=900, mix=0.5)",
    ])
    let plain = Self.slots(["comp(threshold=-6)", "lp(freq=1200)"])
    #expect(!EffectSlot.pairable(special[0][0], special[1][0]))
    #expect(EffectSlot.pairable(special[1][0], plain[0][0]))
    #expect(!EffectSlot.pairable(special[2][0], plain[1][0]))
    #expect(!EffectSlot.pairable(special[3][0], plain[1][0]))
    #expect(EffectSlot.pairable(Self.slots(["lp(freq=300)"])[0][0], plain[1][0]))
  }

  @Test("a song whose tracks pair renders the same PCM on 1, 2, 3 and 8 threads (paired differently) and any block")
  func songInvariance() {
    let strip = "send room=-12, fx=eq(low=-2, high=2, hp=40) -> comp(threshold=-24, ratio=3, release=0.1)"
    let s = score(
      """
      tempo 120;
      bus room = reverb(decay=0.6);
      master(fx=comp(threshold=-12, ratio=2) -> limit(ceiling=-1));
      melody(\(strip)) { saw C4 0 dur=0.5; saw E4 1 dur=0.5; }
      harmony(\(strip)) { saw G3 0.5 dur=1; }
      contrast(\(strip)) { saw C2 0 dur=2; }
      rhythm(\(strip)) { synth Kick 0; synth Snare 1; }
      """)
    let inserts = s.tracks.map { EffectSlot.chain($0.inserts, score: s, sampleRate: 48_000, tile: 4096) }
    #expect(TrackPairing(inserts: inserts, others: [14, 15], threads: 2).groups.count == 2)
    // Eight threads: no pairs (the longest item is a bus either way), so the reference is unpaired.
    #expect(TrackPairing(inserts: inserts, others: [14, 15], threads: 8).groups.count == 4)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 8))
    for (block, threads) in [(512, 1), (37, 2), (4096, 2), (512, 3), (1, 2)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "block \(block), threads \(threads)")
    }
  }
}
