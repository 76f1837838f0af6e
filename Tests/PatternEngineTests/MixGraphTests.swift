import Foundation
import PatternLanguage
import Testing

@testable import PatternEngine

/// A short song that uses every effect, buses, a sidechain key, width and a master chain.
let everyEffectSong = """
  tempo 120;
  bus room = reverb(decay=0.4, predelay=0.02, damp=0.5, size=0.6, width=1);
  bus echo = delay(time=1/4, feedback=0.1, damp=0.3, pingpong=1) -> reverb(decay=0.2, mix=0.5);
  melody(gain=-3, pan=-0.2, width=1.5, send room=-12, send echo=-18,
         fx=eq(low=-2, high=3, hp=80, mid=2, midfreq=900) -> comp(threshold=-18, ratio=3, attack=0.01, release=0.2)
            -> chorus(rate=0.7, depth=0.4)) {
    saw C4 0 dur=0.25; saw E4 0.25 dur=0.25; saw G4 0.5 dur=0.5;
  }
  rhythm(send room=-20) { synth Kick 0; synth Snare 0.5; synth HiHat 0.25; }
  contrast(fx=comp(threshold=-30, ratio=8, key=rhythm) -> drive(amount=0.6) -> lp(freq=2000, q=1)
             -> hp(freq=40) -> peak(freq=120, gain=3, q=1) -> lowshelf(freq=100, gain=1) -> highshelf(freq=5000, gain=-2)) {
    saw C2 0 dur=0.5; saw G1 0.5 dur=0.25;
  }
  master(fx=comp(threshold=-12, ratio=2) -> limit(ceiling=-1));
  """

@Suite("The mix graph")
struct MixGraphTests {
  @Test(
    "a song with every effect: block sizes 1, 37, 512, 4096 × threads 1, 2, 3, 8 give the same PCM (tails included)")
  func invariance() {
    let s = score(everyEffectSong)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1))
    #expect(reference.count > 2 * 48_000)
    for (block, threads) in [(1, 1), (37, 2), (512, 2), (4096, 1), (4096, 2), (1, 2), (512, 3), (4096, 8)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "block \(block), threads \(threads)")
    }
  }

  @Test("latency is compensated: a limiter that does not limit changes not a bit, and a note is heard on its frame")
  func latencyCompensated() {
    let dry = "tempo 120; melody { saw C4 0.25 vel=0.3; saw G4 1 vel=0.3; }"
    let plain = renderFloat(score(dry))
    let limited = renderFloat(score(dry + " master(fx=limit(ceiling=0));"))
    #expect(limited.count > plain.count)  // the limiter's own latency is part of its tail
    #expect(Array(limited[..<plain.count]) == plain)
    // Drive (63 frames of linear-phase filtering) and a limiter on the track: the driven note lines up with the
    // dry one (cross-correlation peaks at lag 0), and nothing sounds before the note's frame (6,000).
    let note = "tempo 120; melody(FX) { saw C4 0.25 vel=0.5; }"
    let dryLeft = leftChannel(renderFloat(score(note.replacingOccurrences(of: "(FX)", with: ""))))
    let left = leftChannel(
      renderFloat(score(note.replacingOccurrences(of: "FX", with: "fx=drive(amount=0.5) -> limit(ceiling=-3)"))))
    let lags = (-100...100).map { lag in
      (lag, (6000..<9000).reduce(0.0) { $0 + Double(dryLeft[$1]) * Double(left[$1 + lag]) })
    }
    #expect(lags.max { $0.1 < $1.1 }!.0 == 0, "best lag \(lags.max { $0.1 < $1.1 }!.0)")
    #expect(left[..<5990].allSatisfy { abs($0) < 1e-4 })
  }

  @Test("stems (tracks and buses, pre-master) add up to the pre-master mix bit for bit")
  func stemsSum() {
    let s = score(
      everyEffectSong.replacingOccurrences(
        of: "master(fx=comp(threshold=-12, ratio=2) -> limit(ceiling=-1));", with: ""))
    var settings = EngineSettings()
    settings.tapTracks = true
    settings.bypassMaster = true
    let (session, _) = RenderSession.make(score: s, patches: Patch.builtIn, settings: settings)
    let session2 = session!
    #expect(session2.tapCount == 5)
    var mismatches = 0
    var frames = 0
    while session2.renderNextChunk({ mix, _ in
      var sum = [Float](repeating: 0, count: mix.count)
      for i in 0..<session2.tapCount {
        let tap = session2.trackChunk(i)
        for j in sum.indices { sum[j] += tap[j] }
      }
      mismatches += zip(sum, mix).filter { $0 != $1 }.count
      frames += mix.count / 2
    }) {}
    #expect(mismatches == 0)
    #expect(frames > 48_000)
  }

  @Test("a keyed compressor ducks the bass under the kick")
  func sidechainDucks() {
    let song = """
      tempo 60; rhythm(gain=-96) { synth Kick 1; }
      contrast(fx=comp(threshold=-40, ratio=20, attack=0.001, release=0.1, key=rhythm)) { sine C3 0 dur=3 vel=0.5; }
      """
    // The kick's own fader is all the way down: what is heard is the bass alone, ducked by the kick's signal.
    let l = leftChannel(renderFloat(score(song)))
    func level(_ r: Range<Int>) -> Double { (l[r].reduce(0) { $0 + Double($1 * $1) } / Double(r.count)).squareRoot() }
    let before = level(24_000..<40_000)
    let during = level(48_480..<52_800)
    let after = level(110_000..<130_000)
    #expect(
      AcousticMeasures.decibels(during / before) < -10, "ducked by \(AcousticMeasures.decibels(during / before)) dB")
    #expect(
      abs(AcousticMeasures.decibels(after / before)) < 1, "recovered to \(AcousticMeasures.decibels(after / before)) dB"
    )
  }

  @Test("effect tails extend the render and end below −90 dBFS")
  func tails() {
    let dry = renderFloat(score("melody { sine C4 0 dur=0.2; }"))
    let wet = renderFloat(score("bus room = reverb(decay=2); melody(send room=0) { sine C4 0 dur=0.2; }"))
    #expect(wet.count > dry.count + 2 * 48_000 * 2)
    let last = wet[(wet.count - 2 * 4800)...]
    #expect(last.allSatisfy { abs($0) < pow(10, -90.0 / 20) }, "tail ends at \(last.map(abs).max()!)")
  }

  @Test("a keyed compressor after a delaying effect hears its key on time (a limiter that does not limit commutes)")
  func keyAlignedAfterLatency() {
    let song = """
      tempo 120; rhythm(gain=-96) { synth Kick 0.5; synth Kick 1.5; }
      contrast(fx=FX) { saw C2 0 dur=2 vel=0.4; }
      """
    func render(_ fx: String) -> [Float] { renderFloat(score(song.replacingOccurrences(of: "FX", with: fx))) }
    let comp = "comp(threshold=-40, ratio=10, attack=0.001, release=0.05, key=rhythm)"
    let after = render("limit(ceiling=0) -> " + comp)
    let before = render(comp + " -> limit(ceiling=0)")
    #expect(after == before)
  }

  @Test("a resonant filter's ring is part of the tail")
  func filterTail() {
    let plain = renderFloat(score("melody { sine C4 0 dur=0.1; }"))
    let ringing = renderFloat(score("melody(fx=hp(freq=10, q=10)) { sine C4 0 dur=0.1; }"))
    #expect(ringing.count > plain.count + 2 * 48_000 * 2, "\(ringing.count) vs \(plain.count)")
  }
}
