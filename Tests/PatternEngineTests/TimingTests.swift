import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Timing: beats to frames, sample-accurate onsets")
struct TimingTests {
  @Test("the tempo map rounds exact positions to the nearest frame")
  func tempoMap() {
    let t = TempoMap([TempoPoint(beat: .zero, beatsPerMinute: BeatTime(120))], sampleRate: 48_000)
    #expect(t.frame(.zero) == 0)
    #expect(t.frame(.one) == 24_000)
    #expect(t.frame(BeatTime(1, 3)) == 8_000)
    let odd = TempoMap([TempoPoint(beat: .zero, beatsPerMinute: BeatTime(137))], sampleRate: 44_100)
    // 1 beat = 60/137 s = 19313.868… frames → 19314.
    #expect(odd.frame(.one) == 19_314)
    // 1/7 beat: 2759.124… → 2759; no accumulated error after 1000 beats: 19313868.6… → 19313869.
    #expect(odd.frame(BeatTime(1, 7)) == 2_759)
    #expect(odd.frame(BeatTime(1000)) == 19_313_869)
    // Halves round up: 1/2 frame.
    let half = TempoMap([TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60))], sampleRate: 2)
    #expect(half.frame(BeatTime(1, 4)) == 1)
  }

  @Test("tempo ramps: exact ends, the nearest frame inside, constant after; changes integrate exactly")
  func tempoRamps() {
    // 60 → 120 BPM over 4 beats from beat 4: the ramp lasts 120·4/180 = 8/3 s.
    let t = TempoMap(
      [
        TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60)),
        TempoPoint(
          beat: BeatTime(4), beatsPerMinute: BeatTime(60),
          ramp: TempoRamp(beatsPerMinute: BeatTime(120), beats: BeatTime(4))),
        TempoPoint(beat: BeatTime(16), beatsPerMinute: BeatTime(90)),
      ], sampleRate: 48_000)
    #expect(t.frame(BeatTime(4)) == 192_000)
    #expect(t.frame(BeatTime(8)) == 192_000 + 128_000)
    // After the ramp: 120 BPM, so beat 9 is half a second later.
    #expect(t.frame(BeatTime(9)) == 320_000 + 24_000)
    // Beat 16 (8 beats at 120 after the ramp) = 320000 + 192000; then 90 BPM.
    #expect(t.frame(BeatTime(16)) == 512_000)
    #expect(t.frame(BeatTime(17)) == 512_000 + 32_000)
    // Inside: beats(τ) = τ + (3/16)τ² (tempo linear in time); beat 6 is 2 beats in: τ = (√2.5 − 1)/(3/8) s.
    let tau = ((2.5 as Double).squareRoot() - 1) / 0.375
    #expect(t.frame(BeatTime(6)) == 192_000 + Int64((tau * 48_000).rounded()))
    // Frames rise strictly through the ramp, every 1/64 beat.
    var last: Int64 = -1
    for k in 0...(4 * 64) {
      let f = t.frame(BeatTime(4) + BeatTime(Int64(k), 64))
      #expect(f > last)
      last = f
    }
    // A falling ramp works too: 140 → 70 over 6 beats lasts 120·6/210 s.
    let down = TempoMap(
      [
        TempoPoint(
          beat: .zero, beatsPerMinute: BeatTime(140), ramp: TempoRamp(beatsPerMinute: BeatTime(70), beats: BeatTime(6)))
      ],
      sampleRate: 44_100)
    #expect(down.frame(BeatTime(6)) == Int64((120.0 * 6 / 210 * 44_100).rounded()))
  }

  @Test(
    "a note at beat b starts at exactly round(seconds(b) × rate)",
    arguments: [(60, 48_000), (90, 44_100), (137, 96_000), (173, 88_200)])
  func onsets(bpm: Int, rate: Int) {
    for (num, den) in [(0, 1), (1, 3), (11, 4), (7, 5)] {
      let beat = BeatTime(Int64(num), Int64(den))
      // A plucked string sounds from its very first frame (its excitation is in the delay line).
      let s = score("tempo \(bpm);\nmelody { guitar A2 \(num)/\(den); }")
      let out = leftChannel(renderFloat(s, settings: EngineSettings(sampleRate: rate)))
      let first = out.firstIndex { $0 != 0 }
      // Exact: beats × 60/bpm × rate, rounded half up, computed independently in integers.
      let n = Int64(num) * 60 * Int64(rate)
      let d = Int64(den) * Int64(bpm)
      let expected = Int((2 * n + d) / (2 * d))
      #expect(first == expected, "beat \(beat) at \(bpm) BPM, \(rate) Hz")
    }
  }

  @Test("note-off starts the release at its exact frame")
  func noteOff() {
    // sine: sustain level 0.8 after 10 ms + 100 ms; release 150 ms. dur=1 beat at 60 BPM = 48000 frames.
    let s = score("melody { sine A4 0 dur=1; }")
    let (session, _) = RenderSession.make(score: s, settings: EngineSettings())
    let voice = Scheduler.schedule(s, patches: Patch.builtIn, settings: EngineSettings()).0!
      .lanes[0][0][0]
    #expect(voice.noteOffFrame == 48_000)
    #expect(voice.envelope(at: 47_999) == 0.8)
    #expect(voice.envelope(at: 48_000) == 0.8)
    #expect(voice.envelope(at: 48_001) < 0.8)
    #expect(voice.endFrame == 48_000 + 7_200)
    #expect(session!.totalFrames == 55_200)
  }
}
