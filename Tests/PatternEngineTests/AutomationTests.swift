import Foundation
import PatternLanguage
import TestSupport
import Testing

@testable import PatternEngine

/// Automation and a note's own sound, measured as a listener hears them: spectral centroid, RMS in dB, pan
/// period, pitch after a glide, clicks; and the same bits for every block size and thread count.
@Suite("Automation and per-note sound")
struct AutomationTests {
  static let rate = 48_000.0

  /// RMS in dB of `x[from ..< to]`.
  static func rmsDecibels(_ x: [Float], _ from: Int, _ to: Int) -> Double {
    var sum = 0.0
    for i in from..<to { sum += Double(x[i]) * Double(x[i]) }
    return 10 * log10(sum / Double(to - from))
  }

  /// Spectral centroid (Hz) of `x[from ..< from + n]` over the harmonics of `f0` up to 12 kHz (Goertzel).
  static func harmonicCentroid(_ x: [Float], from: Int, n: Int, f0: Double) -> Double {
    // Hann-windowed: a rectangular window's leakage from the strong low harmonics would mask the slope.
    let frame = (0..<n).map { i in Double(x[from + i]) * (0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n))) }
    var weighted = 0.0
    var total = 0.0
    var h = 1.0
    while h * f0 < 12_000 {
      let m = AcousticMeasures.magnitude(frame, hz: h * f0, sampleRate: rate)
      weighted += h * f0 * m
      total += m
      h += 1
    }
    return weighted / total
  }

  /// Frequency of a (nearly) sinusoidal stretch from its rising zero crossings, linearly interpolated.
  static func frequency(_ x: [Float], from: Int, to: Int) -> Double {
    var crossings: [Double] = []
    for i in from..<(to - 1) where x[i] <= 0 && x[i + 1] > 0 {
      crossings.append(Double(i) + Double(-x[i] / (x[i + 1] - x[i])))
    }
    guard let first = crossings.first, let last = crossings.last, crossings.count > 2 else { return 0 }
    return Double(crossings.count - 1) * rate / (last - first)
  }

  static func cents(_ f: Double, _ reference: Double) -> Double { 1200 * log2(f / reference) }

  @Test("a cutoff sweep on the built-in saw: the spectral centroid rises in every quarter second")
  func cutoffSweepRaisesCentroid() {
    let out = leftChannel(renderFloat(score("tempo 120;\nmelody { saw C3 0 dur=8 cutoff=300 -> 6000 res=0.3; }")))
    let f0 = 130.812_782_650_299_3
    let n = 8192
    let centroids = stride(from: 12_000, to: 4 * 48_000 - n, by: 12_000).map {
      Self.harmonicCentroid(out, from: $0, n: n, f0: f0)
    }
    #expect(centroids.count >= 14)
    for (a, b) in zip(centroids, centroids.dropFirst()) { #expect(b > a, "centroid \(a) → \(b) Hz") }
    #expect(centroids.first! < 500 && centroids.last! > 2000, "\(centroids.first!) … \(centroids.last!) Hz")
    // Without the sweep the same note is brighter throughout (the sweep starts 4 octaves lower).
    let open = leftChannel(renderFloat(score("tempo 120;\nmelody { saw C3 0 dur=8; }")))
    #expect(Self.harmonicCentroid(open, from: 12_000, n: n, f0: f0) > 2 * centroids[0])
  }

  @Test("a gain ramp -24 → 0 dB over 16 beats: the RMS follows it within 0.5 dB in every quarter second")
  func gainRampFollowsRMS() {
    let moving = leftChannel(
      renderFloat(score("tempo 120;\nmelody(gain=-24 -> 0 over 16) { sine C5 0 dur=18 sustain=1; }")))
    let flat = leftChannel(renderFloat(score("tempo 120;\nmelody(width=1.0001) { sine C5 0 dur=18 sustain=1; }")))
    let window = 12_000
    var checked = 0
    for start in stride(from: 24_000, to: 8 * 48_000 - window, by: window) {
      let seconds = (Double(start) + Double(window) / 2) / Self.rate
      let expected = -24 + 24 * seconds / 8
      let measured = Self.rmsDecibels(moving, start, start + window) - Self.rmsDecibels(flat, start, start + window)
      #expect(abs(measured - expected) < 0.5, "at \(seconds) s: \(measured) dB, expected \(expected)")
      checked += 1
    }
    #expect(checked >= 28)
  }

  @Test("an LFO on pan has its period to the frame: the balance crosses the centre at every 4 beats exactly")
  func panLFOPeriod() {
    let out = renderFloat(
      score("tempo 120;\nmelody(pan=lfo(sine, period=4, depth=0.6)) { sine C5 0 dur=26 sustain=1; }"))
    let period = 96_000  // 4 beats at 120 bpm, 48 kHz
    for k in 1...5 {
      let f = k * period
      func ratio(_ i: Int) -> Double { Double(out[2 * i + 1]) / Double(out[2 * i]) }
      // A sine pan rises through the centre at the start of each period: left of it the right side is
      // quieter, right of it louder, and at the frame itself both sides are equal.
      #expect(ratio(f - 32) < 1 && ratio(f + 32) > 1, "period \(k)")
      if abs(out[2 * f]) > 0.01 { #expect(abs(ratio(f) - 1) < 1e-4, "frame \(f): \(ratio(f))") }
      // Half a period later it crosses back.
      #expect(ratio(f + period / 2 - 32) > 1 && ratio(f + period / 2 + 32) < 1)
    }
  }

  @Test("glide: a legato note slides from the note before and is within 5 cents of its pitch at the glide time")
  func glideReachesTarget() {
    let out = leftChannel(
      renderFloat(
        score(
          "tempo 120;\nmelody { sine C4 0 dur=1 sustain=1; sine G4 1 dur=1 sustain=1 glide=0.1; sine E4 3 dur=1 glide=0.1; }"
        )))
    // G4 starts at 0.5 s; the glide ends at 0.6 s.
    let g4 = 391.995_435_981_749_3
    let settled = Self.frequency(out, from: Int(0.6 * Self.rate), to: Int(0.95 * Self.rate))
    #expect(abs(Self.cents(settled, g4)) < 5, "\(settled) Hz")
    // Halfway through the slide the pitch is about halfway in semitones (C4 + 3.5).
    let middle = Self.frequency(out, from: Int(0.545 * Self.rate), to: Int(0.555 * Self.rate))
    let c4 = 261.625_565_300_598_6
    #expect(abs(Self.cents(middle, c4) - 350) < 60, "\(middle) Hz")
    // E4 follows a gap: it does not glide.
    let e4 = Self.frequency(out, from: Int(1.5 * Self.rate) + 240, to: Int(1.55 * Self.rate))
    #expect(abs(Self.cents(e4, 329.627_556_912_869_9)) < 5, "\(e4) Hz")
  }

  @Test("bend=2 rises linearly to a whole tone up at the note's end")
  func bendAndRate() {
    let out = leftChannel(renderFloat(score("tempo 120;\nmelody { sine A4 0 dur=4 bend=2 sustain=1; }")))
    let end = Self.frequency(out, from: Int(1.95 * Self.rate), to: Int(2.0 * Self.rate))
    #expect(abs(Self.cents(end, 440) - 200) < 10, "\(end) Hz")
    let start = Self.frequency(out, from: Int(0.01 * Self.rate), to: Int(0.05 * Self.rate))
    #expect(abs(Self.cents(start, 440)) < 10, "\(start) Hz")
  }

  @Test("no click at any automation breakpoint: the second difference never exceeds a steady tone's")
  func noClicks() {
    let steady = leftChannel(renderFloat(score("tempo 120;\nmelody(width=1.0001) { sine C5 0 dur=16 sustain=1; }")))
    let song = """
      tempo 120;
      melody(gain=curve(0 at 0, -18 at 2, -18 at 3, 0 at 3.25, -6 at 8), pan=lfo(square, period=2, depth=1)) {
        sine C5 0 dur=16 sustain=1;
      }
      """
    let moving = renderFloat(score(song))
    func worst(_ x: [Float], _ from: Int, _ to: Int) -> Float {
      var m: Float = 0
      for i in (from + 1)..<(to - 1) { m = max(m, abs(x[i + 1] - 2 * x[i] + x[i - 1])) }
      return m
    }
    let bound = worst(steady, 4800, 7 * 48_000) * 1.5
    #expect(worst(leftChannel(moving), 4800, 7 * 48_000) <= bound)
    #expect(worst(stride(from: 1, to: moving.count, by: 2).map { moving[$0] }, 4800, 7 * 48_000) <= bound)
  }

  @Test("every moving value, every per-note setting: block sizes 1, 37, 512, 4096 × threads 1, 2 give the same PCM")
  func invariance() {
    let song = """
      tempo 100 -> 130 over 8;
      bus room = reverb(decay=1.2 -> 0.4 over 6, damp=lfo(tri, period=2, depth=0.3, center=0.5), mix=1);
      bus echo = delay(time=1/4 -> 1/2 over 4 at 2, feedback=curve(0.2 at 0, 0.6 at 4, 0.3 at 8));
      melody(gain=-12 -> 0 over 4, pan=lfo(sine, period=2, depth=0.5), width=curve(1 at 0, 0 at 3, 2 at 6),
             send room=-30 -> -8 over 4 at 2, send echo=lfo(saw, period=1, depth=6, center=-18),
             fx=eq(low=3 -> -3 over 6, hp=lfo(sine, period=3, depth=1, center=200))
               -> comp(threshold=-10 -> -30 over 6, ratio=4) -> chorus(rate=0.5 -> 3 over 6, depth=0.6)
               -> drive(amount=0 -> 0.8 over 6) -> lp(freq=8000 -> 600 over 6, q=lfo(tri, period=2, depth=2, center=3))) {
        saw C3 0 dur=3 cutoff=300 -> 6000 res=0.6 fenv=1;
        saw E3 3 dur=1 glide=0.2 bend=0 -> 3 over 1/2;
        saw G3 4 dur=2 glide=0.1 cutoff=lfo(sine, period=1/2, depth=1, center=900) res=curve(0 at 0, 1 at 1);
        noise C5 5 dur=1 cutoff=500 -> 5000 res=0.8;
        square A3 6 dur=1 bend=-12;
      }
      rhythm(fx=limit(ceiling=-6 -> -1 over 4, release=0.05)) { synth Kick 0; synth Snare 1; synth Kick 2; }
      master(fx=peak(freq=lfo(sine, period=4, depth=2, center=1000), gain=3 -> -3 over 8, q=1));
      """
    let s = score(song)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1))
    #expect(reference.count > 4 * 48_000)
    #expect(reference.contains { $0 != 0 })
    for (block, threads) in [(1, 1), (37, 2), (512, 2), (4096, 1), (4096, 2), (1, 2)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "block \(block), threads \(threads)")
    }
  }

  @Test(
    "two spellings, one sound: a ramp and its two-point curve; bend=N and its ramp over the note; an LFO of depth 0 and its center"
  )
  func equivalentSpellings() {
    func pcm(_ song: String) -> [UInt32] { renderFloat(score("tempo 120;\n" + song)).map(\.bitPattern) }
    #expect(
      pcm("melody(gain=-12 -> 0 over 4 at 2) { saw C4 0 dur=8; }")
        == pcm("melody(gain=curve(-12 at 2, 0 at 6)) { saw C4 0 dur=8; }"))
    #expect(pcm("melody { saw C4 0 dur=2 bend=2; }") == pcm("melody { saw C4 0 dur=2 bend=0 -> 2; }"))
    #expect(pcm("melody { saw C4 0 dur=2 bend=0 -> 2; }") == pcm("melody { saw C4 0 dur=2 bend=0 -> 2 over 2 at 0; }"))
    #expect(
      pcm("melody(pan=lfo(sine, period=2, depth=0, center=0.5)) { saw C4 0 dur=4; }")
        == pcm("melody(pan=curve(0.5 at 0)) { saw C4 0 dur=4; }"))
    // A motif played at speed=2: the note's own ramp still spans the (halved) note.
    #expect(
      pcm("let m = { saw C4 0 dur=2 cutoff=300 -> 3000; }; melody { play m at 0 speed=2; }")
        == pcm("melody { saw C4 0 dur=1 cutoff=300 -> 3000; }"))
    // A glide with nothing held before it is no glide at all.
    #expect(
      pcm("melody { saw C4 0 dur=1; saw G4 2 dur=1 glide=0.2; }") == pcm("melody { saw C4 0 dur=1; saw G4 2 dur=1; }"))
  }

  @Test("a note's own settings on a sampler: start= skips into the sample, rate=2 is an octave up")
  func samplerStartAndRate() {
    let tone = SamplerVoiceTests.tone
    var zone = SampleZone(
      keys: 0...127, velocities: 0...1, root: 57, tuneCents: 0, gain: 1, buffer: tone, loop: nil,
      releaseSeconds: 0.05, crossfadeFrames: 0)
    zone.nativeRate = true
    var patches = Patch.builtIn
    let id = InstrumentID.module("keys")
    patches[id] = Patch(
      kind: .sampler(SamplerBank(zones: [zone])),
      envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.05), gain: 1)
    var catalog = InstrumentCatalog.builtIn
    catalog.modules.append(
      (
        "keys",
        InstrumentDescriptor(id: id, summary: "test sampler", playable: .pitches(0...127), expression: .sampler)
      ))
    func render(_ attributes: String) -> [Float] {
      leftChannel(
        renderFloat(
          Songs.score(
            "import keys from \"keys\";\ntempo 60;\nmelody { keys A3 0 dur=0.5 \(attributes); }", catalog: catalog),
          patches: patches))
    }
    let plain = render("")
    let fast = render("rate=2")
    // The tone's first partial is 220 Hz; at rate 2 it is 440 Hz.
    let f = Self.frequency(fast, from: 2400, to: 12_000)
    let g = Self.frequency(plain, from: 2400, to: 12_000)
    #expect(abs(Self.cents(f, 2 * g)) < 10, "\(g) → \(f) Hz")
    // start=0.5 begins where the tone has decayed to 3/4 of its start: quieter by about 2.5 dB.
    let late = render("start=0.5")
    let drop = Self.rmsDecibels(plain, 480, 4800) - Self.rmsDecibels(late, 480, 4800)
    #expect(abs(drop - 2.5) < 0.6, "\(drop) dB")
  }
}
