import PatternAudioIO

/// Keeps the written PCM in memory, widened to `Int32` (16-bit as is, 24-bit shifted down, float as its bit
/// pattern): for tests and tools that compare samples.
public final class PCMCollector: RenderSink {
  public private(set) var samples: [Int32] = []

  public init() {}

  public func begin(_ render: RenderStart) throws {
    samples.reserveCapacity(Int(min(render.totalFrames, 1 << 28)) * 2)
  }

  public func write(_ chunk: RenderChunk) throws {
    switch chunk.pcm {
    case .int16(let b): samples.append(contentsOf: b.lazy.map { Int32($0) })
    case .int24(let b): samples.append(contentsOf: b.lazy.map { $0 >> 8 })
    case .float32(let b): samples.append(contentsOf: b.lazy.map { Int32(bitPattern: $0.bitPattern) })
    }
  }

  public func finish() throws {}

  public func cancel() { samples = [] }
}
