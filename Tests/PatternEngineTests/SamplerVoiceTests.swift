import PatternLanguage
import Testing

@testable import PatternEngine

/// The one sampler voice with everything SF2 and SFZ zones use switched on, and the exponential envelopes.
@Suite("Sampler voice and envelopes")
struct SamplerVoiceTests {
  /// A 44.1 kHz buffer: a decaying two-partial tone (so loops, filters and pitch all show in the output).
  static let tone: SampleBuffer = {
    let frames = (0..<44_100).map { i -> Float in
      let t = Float(i) / 44_100
      return
        (0.6 * DSPMath.sine(phase: UInt32(truncatingIfNeeded: Int64(Double(i) * 220 / 44_100 * 4_294_967_296)))
        + 0.3 * DSPMath.sine(phase: UInt32(truncatingIfNeeded: Int64(Double(i) * 660 / 44_100 * 4_294_967_296))))
        * (1 - 0.5 * t)
    }
    return SampleBuffer(frames: frames, sampleRate: 44_100)
  }()

  /// A layered bank whose zones use every articulation: envelope with delay/hold, a swept resonant filter
  /// with velocity and key tracking, a modulation envelope, vibrato and tremolo LFOs, a sustain loop left at
  /// note-off, a release sample, a round robin, a random layer and an exclusive class.
  static func bank() -> SamplerBank {
    var main = SampleZone(
      keys: 0...127, velocities: 0...1, root: 57, tuneCents: 7, gain: 0.8, buffer: tone, loop: nil,
      releaseSeconds: 0.2, crossfadeFrames: 0)
    main.nativeRate = true
    main.loop = 11_025..<22_050
    main.loopUntilRelease = true
    main.velocityGain = (0..<128).map { Float($0 * $0) / 16_129 }
    var env = SamplerEnvelope()
    (env.delay, env.attack, env.hold, env.decay, env.sustain, env.release) = (0.01, 0.02, 0.05, 0.4, 0.5, 0.3)
    (env.decayDecibels, env.releaseDecibels) = (96, 96)
    env.decayKeyTrackTimecents = 20
    main.envelope = env
    var filter = SamplerFilter(cutoffHz: 900)
    filter.resonanceDecibels = 6
    filter.velocityCents = (0..<128).map { Float(-2400 * (127 - $0)) / 127 }
    filter.keyTrackCents = 50
    main.filter = filter
    var m = SamplerModulation()
    (m.envelope.attack, m.envelope.decay, m.envelope.sustain, m.envelope.release) = (0.05, 0.5, 0.3, 0.2)
    (m.envelopeToPitchCents, m.envelopeToFilterCents) = (30, 2400)
    (m.vibrato.delay, m.vibrato.frequencyHz, m.vibrato.toPitchCents) = (0.1, 5.5, 15)
    (m.lfo.frequencyHz, m.lfo.toVolumeDecibels, m.lfo.toFilterCents, m.lfo.sine) = (3, 4, 600, true)
    main.modulation = m
    main.chokeGroup = 1
    main.chokedBy = 1
    var second = main
    second.tuneCents = -12
    (main.sequenceLength, main.sequencePosition, second.sequenceLength, second.sequencePosition) = (2, 1, 2, 2)
    var random = main
    random.pan = -0.5
    random.randomRange = 0..<0.5
    random.sequenceLength = 1
    random.sequencePosition = 1
    random.chokeGroup = 0
    random.chokedBy = 0
    var release = main
    release.releaseTrigger = true
    release.releaseDecayDbPerSecond = 6
    release.loop = nil
    release.loopUntilRelease = false
    release.chokeGroup = 0
    release.chokedBy = 0
    return SamplerBank(zones: [main, second, random, release], layered: true)
  }

  static let song = """
    tempo 100;
    melody { piano C4 0 dur=1 vel=0.9; piano E4 0.5 dur=2 vel=0.5; piano C4 1 dur=1/4; piano G4 3 dur=3 vel=1;
             repeat 6 every 1/3 { piano A3 4 dur=1/5 vel=0.7; } }
    """

  @Test("every articulation: block sizes 1, 37, 512, 4096 and 1 or 2 threads give identical samples")
  func blockInvariance() {
    var patches = Patch.builtIn
    patches[.piano] = Patch(
      kind: .sampler(Self.bank()),
      envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0),
      gain: 1)
    let s = score(Self.song)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1), patches: patches)
    #expect(reference.contains { abs($0) > 0.01 })
    for (block, threads) in [(1, 1), (37, 2), (4096, 1), (4096, 2), (64, 2)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads), patches: patches)
      #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "block \(block), threads \(threads)")
    }
  }

  @Test("a fall of n pieces covers its length exactly, and each piece is `ratio` below the one before")
  func fallCurvePieces() {
    let curve = FallCurve.standard
    for length: Int64 in [1, 7, 10, 11, 480, 4_801] {
      var covered: Int64 = 0
      var k: Int64 = 0
      while k < length {
        let p = curve.piece(at: k, length: length)
        #expect(p.from == covered && p.to > p.from && k >= p.from && k < p.to)
        covered = p.to
        k = p.to
      }
      #expect(covered == length)
    }
    #expect(curve.level(0, base: 0, span: 1, target: 0) == 1)
    #expect(curve.level(3, base: 0, span: 1, target: 0) == 0.125)
    #expect(curve.level(10, base: 0, span: 1, target: 0) == 0)
  }

  @Test("a release falls exponentially: −6 dB after a tenth of it, −54 dB at nine tenths, silence at its end")
  func exponentialRelease() {
    // A sine at full sustain, released at 1 s with a 0.5 s release.
    let out = leftChannel(
      renderFloat(score("tempo 60;\nmelody { sine A4 0 dur=1 attack=0 decay=0 sustain=1 release=0.5; }")))
    func level(_ seconds: Double) -> Double {
      let at = Int(seconds * 48_000)
      return Double(out[(at - 120)..<min(out.count, at + 120)].map(abs).max() ?? 0)
    }
    let held = level(0.95)
    #expect(abs(20 * DSPMath.log10(level(1.05) / held) + 6) < 0.6, "\(level(1.05) / held)")
    #expect(abs(20 * DSPMath.log10(level(1.45) / held) + 54) < 1.5, "\(level(1.45) / held)")
    #expect(level(1.499) < held * 0.01)
  }

  @Test("an exclusive class cuts the notes it sounds over; notes struck together stay")
  func exclusiveClass() {
    var patches = Patch.builtIn
    var zone = SampleZone(
      keys: 0...127, velocities: 0...1, root: 57, tuneCents: 0, gain: 1, buffer: Self.tone, loop: nil,
      releaseSeconds: 0.1, crossfadeFrames: 0)
    zone.nativeRate = true
    (zone.chokeGroup, zone.chokedBy) = (3, 3)
    patches[.piano] = Patch(
      kind: .sampler(SamplerBank(zones: [zone], layered: true)),
      envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.1), gain: 1)
    // Two notes at 0 (both sound), a third at 1 beat cuts them; 60 BPM.
    let out = leftChannel(
      renderFloat(
        score("tempo 60;\nmelody { piano A3 0 dur=4; piano E4 0 dur=4; piano A4 1 dur=0.25; }"), patches: patches))
    let together = out[24_000..<28_000].map(abs).max()!
    let afterCut = out[52_800..<55_200].map(abs).max()!
    let alone = leftChannel(
      renderFloat(score("tempo 60;\nmelody { piano A4 1 dur=0.25; }"), patches: patches))
    let third = alone[52_800..<55_200].map(abs).max()!
    #expect(together > 0.1)
    // After the cut (a 5 ms fade) only the third note sounds.
    #expect(abs(afterCut - third) < 1e-6, "\(afterCut) vs \(third)")
  }
}
