import Benchmark
import PatternLanguage
import PatternStudio

/// The engine's kernels and effects, each rendered through the facade on one thread into a sink that drops
/// the audio (no file, no encoder): what a claim about a kernel's or an effect's speed in a comment can be
/// measured again with. Each effect benchmark is a one-voice song through that effect; subtract
/// "effect: none (dry)" for the effect's own cost. The mallocs metric checks the render loop: a render
/// allocates while it is set up, never per block, so its count does not grow with the song's length.
let benchmarks: @Sendable () -> Void = {
  let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput]
  let config = Benchmark.Configuration(
    metrics: metrics, warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)

  Benchmark("synthesis: 64 band-limited saws, 10 s (W1's kernel)", configuration: config) { benchmark in
    try render(Songs.saws(voices: 64, seconds: 10), benchmark)
  }
  Benchmark("synthesis: piano, 8 voices, 10 s", configuration: config) { benchmark in
    try render(Songs.piano(seconds: 10), benchmark)
  }
  for (name, fx) in Songs.effects {
    Benchmark("effect: \(name), 10 s", configuration: config) { benchmark in
      try render(Songs.effect(fx, seconds: 10), benchmark)
    }
  }
  Benchmark("effect: eq → comp and a reverb through a minute of silence (69 s)", configuration: config) { benchmark in
    try render(Songs.silence, benchmark)
  }
  Benchmark("front end: compile W2 (3,960 notes)", configuration: config) { benchmark in
    let source = SourceFile(name: "w2.pattern", text: Songs.frontEndSong(notes: 3_960))
    let renderer = Renderer()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(renderer.compile(source)) }
  }
  // The same song at two lengths (60 s is 6× the chunks): the same number of mallocs if nothing is
  // allocated per block.
  for seconds in [10, 60] {
    Benchmark("render loop: 8 saws, \(seconds) s (mallocs do not grow with length)", configuration: config) {
      benchmark in
      try render(Songs.saws(voices: 8, seconds: seconds), benchmark)
    }
  }
}

/// Compiles outside the measurement, then renders `source` on one thread into `DropSink`.
func render(_ source: String, _ benchmark: Benchmark) throws {
  let renderer = Renderer()
  let compiled = renderer.compile(SourceFile(name: "bench.pattern", text: source))
  guard compiled.succeeded else { fatalError("benchmark song does not compile: \(compiled.diagnostics)") }
  let settings = RenderSettings(threads: 1)
  benchmark.startMeasurement()
  for _ in benchmark.scaledIterations {
    try renderer.render(compiled, settings: settings, into: [DropSink()])
  }
}

/// A sink that takes every chunk and keeps nothing.
final class DropSink: RenderSink {
  func begin(_ render: RenderStart) throws {}
  func write(_ chunk: RenderChunk) throws { blackHole(chunk.pcm) }
  func finish() throws {}
  func cancel() {}
}
