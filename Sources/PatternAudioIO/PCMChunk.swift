/// Quantised PCM of one chunk of a render, interleaved, exactly as it is written to a file: what golden
/// hashes cover and what every encoder accepts.
public enum PCMChunk {
  case int16(UnsafeBufferPointer<Int16>)
  /// 24-bit samples in the top 24 bits of each value (libsndfile's convention).
  case int24(UnsafeBufferPointer<Int32>)
  case float32(UnsafeBufferPointer<Float>)

  /// Samples in the chunk (frames × channels).
  public var count: Int {
    switch self {
    case .int16(let b): b.count
    case .int24(let b): b.count
    case .float32(let b): b.count
    }
  }
}
