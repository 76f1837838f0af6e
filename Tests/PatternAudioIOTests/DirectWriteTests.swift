import Foundation
import TestSupport
import Testing

@testable import PatternAudioIO

/// `AudioFileWriter` writes past the page cache (`DirectFile`) where the file system allows it. Whatever the
/// path — direct, a file system without O_DIRECT, or memory — the file's bytes must be the same.
@Suite("Direct writes")
struct DirectWriteTests {
  /// A deterministic stereo signal, interleaved.
  static func samples(frames: Int) -> [Float] {
    (0..<(frames * 2)).map { i in Float((i &* 7919) % 2001 - 1000) / 1000 }
  }

  static func bytes(
    written format: AudioFormat, frames: Int, into path: String, route: AudioFileWriter.Route = .direct
  ) throws -> [UInt8] {
    let writer = try AudioFileWriter(
      path: path, format: format, tags: AudioTags(), expectedFrames: Int64(frames), route: route)
    try write(frames: frames, format: format) { try writer.write($0) }
    try writer.finish()
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func bytesInMemory(_ format: AudioFormat, frames: Int) throws -> [UInt8] {
    let writer = try AudioMemoryWriter(format: format)
    try write(frames: frames, format: format) { try writer.write($0) }
    return try writer.finish().bytes
  }

  /// Writes `frames` frames in uneven chunks (so the buffer's edges fall mid-chunk).
  static func write(frames: Int, format: AudioFormat, _ sink: (PCMChunk) throws -> Void) throws {
    let all = samples(frames: frames)
    var start = 0
    var size = 4_999
    while start < frames {
      let n = min(size, frames - start)
      let slice = Array(all[(2 * start)..<(2 * (start + n))])
      switch format.encoding {
      case .float32: try slice.withUnsafeBufferPointer { try sink(.float32($0)) }
      case .pcm16:
        let ints = slice.map { Int16($0 * 32_000) }
        try ints.withUnsafeBufferPointer { try sink(.int16($0)) }
      case .pcm24:
        let ints = slice.map { Int32($0 * 8_000_000) }
        try ints.withUnsafeBufferPointer { try sink(.int24($0)) }
      }
      start += n
      size = size * 3 % 20_011 + 1
    }
  }

  static let formats = [
    AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000),
    AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000),
    AudioFormat(container: .flac, encoding: .pcm24, sampleRate: 48_000),
  ]

  @Test(
    "a file written past the page cache has the bytes of the same file encoded in memory",
    arguments: formats, [100, 300_000, 1_000_003])
  func sameBytes(format: AudioFormat, frames: Int) throws {
    let path = Scratch.folder() + "/x.\(format.container.rawValue)"
    let onDisk = try Self.bytes(written: format, frames: frames, into: path)
    let expected = try Self.bytesInMemory(format, frames: frames)
    #expect(onDisk.count == expected.count)
    #expect(onDisk == expected, "the files differ")
  }

  @Test(
    "through the page cache, or through DirectFile's fallback for refused direct writes, the bytes are the same",
    arguments: formats)
  func otherRoutes(format: AudioFormat) throws {
    let expected = try Self.bytesInMemory(format, frames: 1_000_003)
    for route in [AudioFileWriter.Route.buffered, .directRefused] {
      let path = Scratch.folder() + "/x.\(format.container.rawValue)"
      #expect(try Self.bytes(written: format, frames: 1_000_003, into: path, route: route) == expected, "\(route)")
    }
  }

  @Test(
    "encoded into a lent region — fitting, or outgrowing it and moving to an array — the bytes are the same",
    arguments: formats)
  func region(format: AudioFormat) throws {
    let frames = 300_000
    let expected = try Self.bytesInMemory(format, frames: frames)
    // Room for the whole file and more, exactly, for half of it (it moves to an array mid-stream), for no header.
    for capacity in [expected.count + 4096, expected.count, expected.count / 2, 16] {
      let region = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
      defer { region.deallocate() }
      // Stale bytes, as a reused region holds: none may show through.
      region.initializeMemory(as: UInt8.self, repeating: 0xA5)
      let writer = try AudioMemoryWriter(format: format, region: region)
      try Self.write(frames: frames, format: format) { try writer.write($0) }
      let (bytes, inRegion) = try writer.finish()
      if capacity >= expected.count {
        #expect(bytes.isEmpty && inRegion == expected.count)
        #expect(Array(UnsafeRawBufferPointer(rebasing: region[0..<expected.count])) == expected)
      } else {
        #expect(inRegion == nil)
        #expect(bytes == expected, "capacity \(capacity)")
      }
    }
  }
}
