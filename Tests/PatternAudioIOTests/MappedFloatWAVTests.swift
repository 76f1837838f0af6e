import Foundation
import TestSupport
import Testing

@testable import PatternAudioIO

@Suite("mapped float WAV")
struct MappedFloatWAVTests {
  /// Writes `samples` (stereo) as `format` and returns the path.
  func write(_ samples: [Float], encoding: SampleEncoding, tags: AudioTags = AudioTags()) throws -> String {
    let path = "\(Scratch.folder())/x.wav"
    let writer = try AudioFileWriter(
      path: path, format: AudioFormat(container: .wav, encoding: encoding, sampleRate: 48_000), tags: tags)
    switch encoding {
    case .float32: try samples.withUnsafeBufferPointer { try writer.write(.float32($0)) }
    default:
      let ints = samples.map { Int16(max(-32768, min(32767, $0 * 32768))) }
      try ints.withUnsafeBufferPointer { try writer.write(.int16($0)) }
    }
    try writer.finish()
    return path
  }

  @Test("our float WAVs map to exactly the samples libsndfile reads, tags or not")
  func sameAsRead() throws {
    let samples: [Float] = (0..<20_002).map { i in
      let wave = Float(sin(Double(i) * 0.01)) * 0.8
      return wave + Float(i % 7) * 1e-7
    }
    for tags in [AudioTags(), AudioTags(title: "A title", artist: "Someone", comment: "odd length!")] {
      let path = try write(samples, encoding: .float32, tags: tags)
      let mapped = try #require(MappedFloatWAV(path: path))
      #expect(mapped.channels == 2 && mapped.sampleRate == 48_000)
      let read = try AudioFileReader.readFloat(path: path).samples
      let mappedBits: [UInt32] = mapped.samples.map { $0.bitPattern }
      let readBits: [UInt32] = read.map { $0.bitPattern }
      #expect(mappedBits == readBits)
    }
  }

  @Test("anything but a plain float WAV is left to the reader: integer PCM, truncated, not a WAV")
  func refuses() throws {
    let samples = [Float](repeating: 0.25, count: 2000)
    #expect(MappedFloatWAV(path: try write(samples, encoding: .pcm16)) == nil)
    let float = try write(samples, encoding: .float32)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: float))
    // The data chunk says more bytes than the file holds.
    bytes.removeLast(100)
    let truncated = "\(Scratch.folder())/t.wav"
    try bytes.write(to: URL(fileURLWithPath: truncated))
    #expect(MappedFloatWAV(path: truncated) == nil)
    let text = "\(Scratch.folder())/n.wav"
    try Data("RIFF....WAVEjunk but no chunks at all, and long enough".utf8).write(to: URL(fileURLWithPath: text))
    #expect(MappedFloatWAV(path: text) == nil)
    #expect(MappedFloatWAV(path: "/nonexistent/x.wav") == nil)
  }
}
