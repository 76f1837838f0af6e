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

/// The first index where `a` and `b` differ in bits (or in length), or nil: for comparing whole renders, whose
/// arrays are too long for a readable (or quick) failure message of their own.
func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
  if let i = zip(a.indices, b.indices).first(where: { a[$0].bitPattern != b[$1].bitPattern })?.0 { return i }
  return a.count == b.count ? nil : min(a.count, b.count)
}

/// `frames` samples rendered by `render(frame, count, out)` in calls of the lengths `split` gives in turn, from
/// song frame `start`: a voice's output split into blocks as the lanes split it.
func renderInCalls(
  frames: Int, split: [Int], from start: Int64, _ render: (Int64, Int, UnsafeMutablePointer<Float>) -> Void
) -> [Float] {
  var out = [Float](repeating: .nan, count: frames)
  var (at, call) = (0, 0)
  while at < frames {
    let n = min(split[call % split.count], frames - at)
    out.withUnsafeMutableBufferPointer { render(start + Int64(at), n, $0.baseAddress! + at) }
    (at, call) = (at + n, call + 1)
  }
  return out
}
