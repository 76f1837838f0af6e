/// What the render loop pulls finished chunks from: a `RenderSession` (a song from its notes) or a
/// `MasterChain` (a song's pre-master sum, finished). Either hands out interleaved stereo floats after the
/// master stage, in order, with the absolute frame each chunk starts at.
package protocol ChunkSource: AnyObject {
  /// Frames the whole render produces.
  var totalFrames: Int64 { get }
  /// Frames handed out so far.
  var framesRendered: Int64 { get }
  /// Largest absolute sample handed out so far, and the sum of squares (for RMS).
  var peak: Float { get }
  var sumOfSquares: Double { get }
  /// The largest gain reduction of the true-peak limiter at the end of the chain, dB (nil without one).
  var limiterReductionDecibels: Double? { get }
  /// Where the master stage writes the next chunk, so the render loop's writer can take it without a copy
  /// (nil: the source's own buffer). It must hold `capacity` floats (the largest chunk, interleaved) and stay
  /// valid until `renderNextChunk` returns; the buffer `body` gets then lies inside it.
  var output: UnsafeMutablePointer<Float>? { get set }
  /// Floats the largest chunk takes (interleaved stereo): what `output` must hold.
  var capacity: Int { get }
  /// Renders the next chunk and passes it to `body`; false when the render is complete.
  func renderNextChunk(_ body: (UnsafeBufferPointer<Float>, Int64) throws -> Void) rethrows -> Bool
}

extension RenderSession: ChunkSource {}
