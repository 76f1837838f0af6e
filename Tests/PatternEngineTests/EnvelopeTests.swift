import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Envelopes applied eight frames at a time")
struct EnvelopeTests {
  @Test(
    "applyEnvelope gives each frame the level of its own segment, bit for bit, in calls of 1 to 999 frames, for linear and curved decays and releases, a delay and a hold"
  )
  func eightFramesAtATime() {
    let s = score(
      """
      tempo 60;
      melody { piano C4 0 dur=0.3 attack=0.013 decay=0.11 sustain=0.4 release=0.07; guitar E3 0.1 dur=0.5;
               noise C6 0 dur=0.2 attack=0 decay=0.05 sustain=0.7 release=0.3; }
      """)
    let schedule = Scheduler.schedule(s, patches: Patch.builtIn, settings: EngineSettings()).0!
    var voices = Array(schedule.lanes.joined().joined())
    // A delay, a hold and curved pieces on a copy of the first (the kinds that set them: sampler zones).
    var shaped = voices[0]
    (shaped.delayFrames, shaped.holdFrames) = (37, 401)
    (shaped.decayCurve, shaped.releaseCurve) = (.linear, .standard)
    voices.append(shaped)
    #expect(voices.count == 4)
    for v in voices {
      let frames = Int(v.endFrame - v.startFrame) + 50
      // Levels that are not all 1, so a wrong frame's level shows.
      let input = (0..<frames).map { Float(1 + $0 % 7) * 0.125 }
      var expected = input
      for i in 0..<frames {
        let f = v.startFrame + Int64(i)
        if f < v.noteOffFrame + v.releaseFrames { expected[i] *= v.envelopeSegment(at: f).level(at: f) }
      }
      for split in [[999], [1], [5, 3], [8, 13, 7], [64, 1]] {
        var done = 0
        let got = renderInCalls(frames: frames, split: split, from: v.startFrame) { frame, n, out in
          for k in 0..<n { out[k] = input[done + k] }
          v.applyEnvelope(out, frame: frame, count: min(n, Int(v.noteOffFrame + v.releaseFrames - frame)))
          done += n
        }
        #expect(
          firstDifference(
            Array(got[..<Int(v.noteOffFrame + v.releaseFrames - v.startFrame)]),
            Array(expected[..<Int(v.noteOffFrame + v.releaseFrames - v.startFrame)])) == nil,
          "calls of \(split)")
      }
    }
  }

  @Test(
    "a synth voice's envelope step gives each frame its segment's level and the amplitude, bit for bit, in calls of 1 to 999 frames"
  )
  func synthEnvelope() {
    let s = score("tempo 60; melody { saw C3 0 dur=0.4 attack=0.021 decay=0.13 sustain=0.3 release=0.2 cutoff=900; }")
    let v = Scheduler.schedule(s, patches: Patch.builtIn, settings: EngineSettings()).0!.lanes.joined().joined().first!
    guard case .synth = v.kind else {
      Issue.record("expected a synth voice, got \(v.kind)")
      return
    }
    let frames = Int(v.noteOffFrame + v.releaseFrames - v.startFrame)
    let input = (0..<frames).map { Float(1 + $0 % 5) * 0.25 }
    let expected = (0..<frames).map { i -> Float in
      let f = v.startFrame + Int64(i)
      let seg = v.envelopeSegment(at: f)
      return input[i] * (seg.c0 + seg.c1 * (Float(f - seg.origin) * seg.inverseLength)) * v.amplitude
    }
    for split in [[999], [1], [5, 3], [8, 13, 7], [64, 1]] {
      var done = 0
      let got = renderInCalls(frames: frames, split: split, from: v.startFrame) { frame, n, out in
        for k in 0..<n { out[k] = input[done + k] }
        SynthVoice.envelope(voice: v, frame: frame, count: n, out: out)
        done += n
      }
      #expect(firstDifference(got, expected) == nil, "calls of \(split)")
    }
  }
}
