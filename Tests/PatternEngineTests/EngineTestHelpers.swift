import PatternLanguage
import TestSupport

@testable import PatternEngine

/// Compiles source that must be valid.
func score(_ text: String) -> Score { Songs.score(text) }

/// Renders a score to interleaved stereo floats (after the limiter).
func renderFloat(_ s: Score, settings: EngineSettings = EngineSettings(), patches: PatchBank = Patch.builtIn)
  -> [Float]
{
  let (session, d) = RenderSession.make(score: s, patches: patches, settings: settings)
  precondition(session != nil, "render failed: \(d.map(\.message))")
  var out: [Float] = []
  while session!.renderNextChunk({ samples, _ in out.append(contentsOf: samples) }) {}
  return out
}

/// A song that uses every voice kind, for invariance tests.
let everyVoiceSong = Songs.everyVoice

/// The left channel of interleaved stereo.
func leftChannel(_ x: [Float]) -> [Float] { stride(from: 0, to: x.count, by: 2).map { x[$0] } }
