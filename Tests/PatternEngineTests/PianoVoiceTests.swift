import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("The piano's partials, eight frames at a time")
struct PianoVoiceTests {
  /// The piano voice frame by frame, as it was written before its sums were taken eight frames at a time.
  static func reference(
    _ voice: ScheduledVoice, _ state: inout VoiceState, _ p: inout PianoVoice.Partials, frame: Int64, count: Int,
    sampleRate: Double, out: UnsafeMutablePointer<Float>
  ) {
    let hammerDecay = Float(-1 / (0.006 * sampleRate))
    var (re0, re1, re2) = p.re
    var (im0, im1, im2) = p.im
    let (c0, c1, c2) = p.c
    let (s0, s1, s2) = p.s
    for i in 0..<count {
      let k = frame + Int64(i) - voice.startFrame
      let sum = DSPMath.sumInOrder(im0 + im1 + im2)
      (re0, im0) = (re0 * c0 - im0 * s0, re0 * s0 + im0 * c0)
      (re1, im1) = (re1 * c1 - im1 * s1, re1 * s1 + im1 * c1)
      (re2, im2) = (re2 * c2 - im2 * s2, re2 * s2 + im2 * c2)
      var thump: Float = 0
      if k < Int64(sampleRate * 0.05) {
        let kf = Float(Int32(truncatingIfNeeded: k))
        thump =
          state.filterA.process(NoiseHash.uniform(key: voice.seed, index: k)).low * 0.35 * voice.velocity
          * DSPMath.exp2(kf * hammerDecay)
      }
      out[i] = (sum + thump) * voice.amplitude
    }
    p.re = (re0, re1, re2)
    p.im = (im0, im1, im2)
    voice.applyEnvelope(out, frame: frame, count: count)
  }

  @Test(
    "render equals the frame-by-frame chain, bit for bit, low to high, split into calls of 1 to 1,000 frames across the hammer's end",
    arguments: ["A1", "C4", "C7"])
  func eightFramesAtATime(note: String) {
    let s = score("tempo 60; melody { piano \(note) 0 dur=1 vel=0.8; }")
    let voice = Scheduler.schedule(s, patches: Patch.builtIn, settings: EngineSettings()).0!.lanes.joined().joined()
      .first!
    let rate = 48_000.0
    let frames = 9_000
    for split in [[1000], [1], [5, 3], [7, 13, 8], [8, 1, 8, 255]] {
      var (state, p) = (VoiceState(), PianoVoice.Partials())
      PianoVoice.prepare(voice: voice, state: &state, partials: &p, sampleRate: rate)
      var (referenceState, q) = (state, p)
      let rendered = renderInCalls(frames: frames, split: split, from: voice.startFrame) { frame, n, out in
        PianoVoice.render(voice: voice, state: &state, partials: &p, frame: frame, count: n, sampleRate: rate, out: out)
      }
      let expected = renderInCalls(frames: frames, split: split, from: voice.startFrame) { frame, n, out in
        Self.reference(voice, &referenceState, &q, frame: frame, count: n, sampleRate: rate, out: out)
      }
      #expect(expected.contains { $0 != 0 })
      #expect(firstDifference(rendered, expected) == nil, "\(note), calls of \(split)")
    }
  }
}
