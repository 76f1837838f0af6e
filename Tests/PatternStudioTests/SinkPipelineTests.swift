import Foundation
import PatternAudioIO
import PatternEngine
import Testing

@testable import PatternStudio

/// The sink pipeline quantises each chunk once, on the writer or — when the writer is behind — on the
/// submitting thread; either way every sink gets the same PCM, in order, and an error still stops it.
@Suite("Sink pipeline")
struct SinkPipelineTests {
  /// A sink that takes `delay` per chunk (a slow encoder), and can fail at one chunk.
  final class SlowSink: RenderSink {
    let delay: useconds_t
    let failAt: Int?
    var chunks = 0
    init(delay: useconds_t, failAt: Int? = nil) {
      self.delay = delay
      self.failAt = failAt
    }
    func begin(_ render: RenderStart) throws {}
    func write(_ chunk: RenderChunk) throws {
      usleep(delay)
      if chunks == failAt { throw AudioIOError(.write, path: "slow", errno: EIO) }
      chunks += 1
    }
    func finish() throws {}
    func cancel() {}
  }

  static let frames = 4096
  /// Chunk `k`'s samples: deterministic, some past full scale.
  static func chunk(_ k: Int) -> [Float] {
    (0..<(frames * 2)).map { i in Float(((k &* 7919 &+ i &* 104_729) % 4001) - 2000) / 1900 }
  }

  /// The PCM the writer alone would give: each chunk through the same quantiser, at its frame.
  static func expected(chunks: Int, encoding: SampleEncoding) -> [Int32] {
    let quantizer = PCMQuantizer(encoding: encoding, channels: 2, maxSamples: frames * 2)
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: quantizer.bufferBytes, alignment: 64)
    defer { buffer.deallocate() }
    let collector = PCMCollector()
    for k in 0..<chunks {
      let samples = chunk(k)
      samples.withUnsafeBufferPointer { s in
        let pcm = quantizer.quantize(s, firstFrame: Int64(k * frames), into: buffer)
        try? collector.write(
          RenderChunk(firstFrame: Int64(k * frames), frames: frames, master: s, pcm: pcm, tracks: []))
      }
    }
    return collector.samples
  }

  @Test(
    "a slow sink: the submitting thread quantises chunks for the writer, and the PCM is the same",
    arguments: [SampleEncoding.pcm16, .pcm24, .float32])
  func slowWriter(encoding: SampleEncoding) throws {
    let chunks = 40
    let (slow, collector) = (SlowSink(delay: 3000), PCMCollector())
    let pipeline = SinkPipeline(
      sinks: [collector, slow], quantizer: PCMQuantizer(encoding: encoding, channels: 2, maxSamples: Self.frames * 2),
      tracks: 0)
    for k in 0..<chunks {
      try Self.chunk(k).withUnsafeBufferPointer { s in
        try pipeline.submit(
          s, firstFrame: Int64(k * Self.frames), track: { _ in UnsafeBufferPointer(start: nil, count: 0) })
      }
    }
    try pipeline.drain()
    #expect(slow.chunks == chunks)
    #expect(collector.samples == Self.expected(chunks: chunks, encoding: encoding))
    // Submitting takes no time here, so the writer is behind from the second chunk on (how many chunks the
    // submitter takes depends on scheduling: most alone, 16 of 40 once under a parallel test run).
    #expect(pipeline.quantizedBySubmitter > 0)
  }

  /// Feeds chunks through `feed` until it throws (a sink failing at chunk `failAt`), then drains: the error comes
  /// back from both, nothing hangs, and the sink saw exactly `failAt` chunks.
  static func expectFailure(
    delay: useconds_t, failAt: Int, chunks: Int, _ feed: (SinkPipeline, Int) throws -> Void
  ) {
    let slow = SlowSink(delay: delay, failAt: failAt)
    let pipeline = SinkPipeline(
      sinks: [slow], quantizer: PCMQuantizer(encoding: .pcm16, channels: 2, maxSamples: frames * 2), tracks: 0)
    var thrown: (any Error)?
    do {
      for k in 0..<chunks { try feed(pipeline, k) }
    } catch {
      thrown = error
    }
    #expect(throws: RenderError.self) { try pipeline.drain() }
    #expect(thrown != nil && slow.chunks == failAt)
  }

  /// No track taps.
  static func noTracks(_: Int) -> UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: nil, count: 0) }

  @Test("a sink that fails while the submitting thread helps: the error comes back and nothing hangs")
  func failingSlowWriter() {
    Self.expectFailure(delay: 1000, failAt: 7, chunks: 60) { pipeline, k in
      try Self.chunk(k).withUnsafeBufferPointer {
        try pipeline.submit($0, firstFrame: Int64(k * Self.frames), track: Self.noTracks)
      }
    }
  }

  /// A sink that records where each chunk's master samples lay.
  final class AddressSink: RenderSink {
    var addresses: [UnsafePointer<Float>?] = []
    func begin(_ render: RenderStart) throws {}
    func write(_ chunk: RenderChunk) throws { addresses.append(chunk.master.baseAddress) }
    func finish() throws {}
    func cancel() {}
  }

  @Test(
    "chunks rendered into reserved slots reach the sinks where they were written, in order, with the same PCM; a chunk starting inside its slot, or from elsewhere, is copied"
  )
  func reservedSlots() throws {
    let chunks = 12
    let (addresses, collector) = (AddressSink(), PCMCollector())
    let pipeline = SinkPipeline(
      sinks: [collector, addresses],
      // Room for a chunk written 4 samples in.
      quantizer: PCMQuantizer(encoding: .pcm16, channels: 2, maxSamples: Self.frames * 2 + 4), tracks: 0)
    var reserved: [UnsafeMutablePointer<Float>] = []
    let none: (Int) -> UnsafeBufferPointer<Float> = { _ in UnsafeBufferPointer(start: nil, count: 0) }
    for k in 0..<chunks {
      let samples = Self.chunk(k)
      if k % 4 == 3 {
        // From the caller's own buffer (no reservation): copied.
        try samples.withUnsafeBufferPointer { try pipeline.submit($0, firstFrame: Int64(k * Self.frames), track: none) }
        continue
      }
      let slot = try pipeline.reserve()
      #expect(try pipeline.reserve() == slot)  // reserving again before submitting keeps the same slot
      reserved.append(slot)
      // k % 4 == 2: written two frames in (4 samples), as a chunk whose first frames an effect's latency dropped.
      let offset = k % 4 == 2 ? 4 : 0
      _ = samples.withUnsafeBufferPointer {
        UnsafeMutableBufferPointer(start: slot + offset, count: $0.count).initialize(fromContentsOf: $0)
      }
      try pipeline.submit(
        UnsafeBufferPointer(start: slot + offset, count: samples.count), firstFrame: Int64(k * Self.frames), track: none
      )
    }
    _ = try pipeline.reserve()
    pipeline.unreserve()  // the render ended: the slot goes back (libdispatch traps on a semaphore left short)
    try pipeline.drain()
    #expect(collector.samples == Self.expected(chunks: chunks, encoding: .pcm16))
    #expect(addresses.addresses.count == chunks)
    // Each reserved chunk was read where it was rendered (its slot's start, after the in-slot move).
    var r = 0
    for k in 0..<chunks where k % 4 != 3 {
      #expect(addresses.addresses[k] == UnsafePointer(reserved[r]), "chunk \(k)")
      r += 1
    }
  }

  @Test("a sink that fails while the caller holds a reserved slot: the error comes back and the pipeline ends cleanly")
  func failingWithReservedSlot() {
    Self.expectFailure(delay: 500, failAt: 3, chunks: 40) { pipeline, k in
      let slot = try pipeline.reserve()
      let samples = Self.chunk(k)
      _ = samples.withUnsafeBufferPointer {
        UnsafeMutableBufferPointer(start: slot, count: $0.count).initialize(fromContentsOf: $0)
      }
      usleep(2000)  // the writer fails meanwhile; submit then throws with the slot still reserved
      try pipeline.submit(
        UnsafeBufferPointer(start: slot, count: samples.count), firstFrame: Int64(k * Self.frames),
        track: Self.noTracks)
    }
  }
}
