import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("The grand's rotations, eight frames at a time")
struct GrandVoiceTests {
  /// The grand voice frame by frame, as it was written before its sums were taken eight frames at a time: eight
  /// `SIMD8` lanes of rotations, the sum ((0+1) + (2+3)) + ((4+5) + (6+7)) then `sumInOrder`, the hammer's thump,
  /// the amplitude, the envelope. `GrandVoice.render` must give these bits for any split into calls.
  static func reference(
    _ voice: ScheduledVoice, _ state: inout VoiceState, _ p: inout GrandVoice.Partials, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let hammerDecay = Float(-1 / (0.004 * sampleRate))
    let thumpFrames = Int64(sampleRate * 0.04)
    var re = [p.re.0, p.re.1, p.re.2, p.re.3, p.re.4, p.re.5, p.re.6, p.re.7]
    var im = [p.im.0, p.im.1, p.im.2, p.im.3, p.im.4, p.im.5, p.im.6, p.im.7]
    let c = [p.c.0, p.c.1, p.c.2, p.c.3, p.c.4, p.c.5, p.c.6, p.c.7]
    let s = [p.s.0, p.s.1, p.s.2, p.s.3, p.s.4, p.s.5, p.s.6, p.s.7]
    for i in 0..<count {
      let k = frame + Int64(i) - voice.startFrame
      if k & 255 == 0 {
        for j in 0..<8 {
          let gone = (re[j] * re[j] + im[j] * im[j]) .< 1e-24
          re[j].replace(with: 0, where: gone)
          im[j].replace(with: 0, where: gone)
        }
      }
      let sum = DSPMath.sumInOrder(((im[0] + im[1]) + (im[2] + im[3])) + ((im[4] + im[5]) + (im[6] + im[7])))
      for j in 0..<8 { (re[j], im[j]) = (re[j] * c[j] - im[j] * s[j], re[j] * s[j] + im[j] * c[j]) }
      var thump: Float = 0
      if k < thumpFrames {
        let kf = Float(Int32(truncatingIfNeeded: k))
        thump =
          state.filterA.process(NoiseHash.uniform(key: voice.seed, index: k)).low * 0.25 * voice.velocity
          * DSPMath.exp2(kf * hammerDecay)
      }
      out[i] = (sum + thump) * voice.amplitude
    }
    p.re = (re[0], re[1], re[2], re[3], re[4], re[5], re[6], re[7])
    p.im = (im[0], im[1], im[2], im[3], im[4], im[5], im[6], im[7])
    voice.applyEnvelope(out, frame: frame, count: count)
  }

  @Test(
    "render equals the frame-by-frame chain, bit for bit, for low, middle and undamped top notes, split into calls of 1 to 1,000 frames across the hammer's end and the flush grid",
    arguments: ["A0", "C4", "G7"])
  func eightFramesAtATime(note: String) {
    let s = score("import keys from \"grand\"; tempo 60; melody { keys \(note) 0 dur=1 vel=0.9; }")
    let schedule = Scheduler.schedule(s, patches: Patch.builtIn, settings: EngineSettings()).0!
    let voice = schedule.lanes.joined().joined().first!
    let rate = 48_000.0
    let frames = 12_000
    // Call lengths that leave every offset within an eight-frame group, and cross the hammer's end (1,920
    // frames) and the 256-frame flush grid inside a group.
    for split in [[1000], [1], [5, 3], [7, 13, 8], [256], [8, 1, 8, 255]] {
      var (state, p) = (VoiceState(), GrandVoice.Partials())
      GrandVoice.prepare(voice: voice, state: &state, partials: &p, sampleRate: rate)
      var (referenceState, q) = (state, p)
      let rendered = renderInCalls(frames: frames, split: split, from: voice.startFrame) { frame, n, out in
        GrandVoice.render(voice: voice, state: &state, partials: &p, frame: frame, count: n, sampleRate: rate, out: out)
      }
      let expected = renderInCalls(frames: frames, split: split, from: voice.startFrame) { frame, n, out in
        Self.reference(voice, &referenceState, &q, frame: frame, count: n, sampleRate: rate, out: out)
      }
      #expect(expected.contains { $0 != 0 })
      #expect(firstDifference(rendered, expected) == nil, "\(note), calls of \(split)")
    }
  }
}
