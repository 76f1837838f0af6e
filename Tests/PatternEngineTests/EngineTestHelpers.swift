import PatternLanguage

@testable import PatternEngine

/// Compiles source that must be valid.
func score(_ text: String) -> Score {
  let r = PatternCompiler.compile(SourceFile(name: "test.pattern", text: text))
  precondition(r.succeeded, "test source has errors: \(r.diagnostics.map(\.message))")
  return r.score
}

/// Renders a score to interleaved stereo floats (after the limiter).
func renderFloat(_ s: Score, settings: RenderSettings = RenderSettings(), patches: [String: Patch] = Patch.builtIn)
  -> [Float]
{
  let (session, d) = RenderSession.make(score: s, patches: patches, settings: settings)
  precondition(session != nil, "render failed: \(d.map(\.message))")
  var out: [Float] = []
  while session!.renderNextChunk({ samples, _ in out.append(contentsOf: samples) }) {}
  return out
}

/// A song that uses every voice kind, for invariance tests.
let everyVoiceSong = """
  tempo 137;
  melody { piano C4 0 dur=1.5; piano E4 0.5 vel=0.6; saw A3 1 dur=1/3; square C5 1.25; }
  rhythm { synth Kick 0; synth Snare 1; synth HiHat 0.5; synth HiHat 1.5 vel=0.4; synth Crash 2; synth Tom 2.5; }
  harmony { guitar E2 0 dur=2; guitar B3 1/3; triangle G4 0.75 dur=1; sine E5 1 pan=0.7; noise C6 1.5 dur=0.25; }
  """

/// The left channel of interleaved stereo.
func leftChannel(_ x: [Float]) -> [Float] { stride(from: 0, to: x.count, by: 2).map { x[$0] } }
