import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage
import Testing

@testable import PatternStudio

/// An album renders its costliest songs first (`RenderCost`, `Parallel.forEach(order:)`): the estimate must
/// rank songs as their renders do, and the pulling loop must call every item once.
@Suite("Render cost estimate and costliest-first work")
struct RenderCostTests {
  private func cost(_ text: String) throws -> Double {
    let renderer = Renderer()
    let compiled = renderer.compile(SourceFile(name: "t.pattern", text: text))
    let settings = RenderSettings(format: AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000))
    return try #require(renderer.cost(compiled, settings: settings)).nanoseconds
  }

  @Test("long grand-piano chords with a reverb bus cost more than a longer run of plain sine notes")
  func ranksLikeRenders() throws {
    let sines = try cost(
      "tempo 120;\nmelody {\n" + (0..<64).map { "  sine C4 \($0) dur=1;" }.joined(separator: "\n") + "\n}")
    let chords = try cost(
      """
      import keys from "grand";
      tempo 120;
      bus room = reverb(decay=2.4);
      melody(send room=0.3) { keys [C3 E3 G3 B3] 0 dur=32; }
      """)
    // Measured: the chords render several times slower (the modelled grand ~9 ns per voice frame, a sine ~0.5,
    // and the reverb on every frame).
    #expect(chords > 3 * sines, "chords \(chords) ns, sines \(sines) ns")
    // The same song twice as long costs about twice as much.
    let twice = try cost(
      "tempo 120;\nmelody {\n" + (0..<128).map { "  sine C4 \($0) dur=1;" }.joined(separator: "\n") + "\n}")
    #expect(abs(twice / sines - 2) < 0.1)
  }

  @Test("forEach(order:) calls every item once; map(order:) returns them in index order", arguments: [1, 2, 5])
  func everyItemOnce(jobs: Int) {
    let order = [3, 0, 4, 1, 2, 7, 6, 5]
    let seen = ResultBox<Int>(count: order.count)
    let counter = NSLock()
    nonisolated(unsafe) var calls = 0
    Parallel.forEach(order: order, jobs: jobs) { i in
      counter.withLock { calls += 1 }
      seen.set(i, i)
    }
    #expect(calls == order.count)
    #expect(seen.all == Array(0..<8))
    #expect(Parallel.map(order: order, jobs: jobs) { $0 * 10 } == (0..<8).map { $0 * 10 })
  }
}
