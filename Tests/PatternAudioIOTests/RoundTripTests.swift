import Foundation
import TestSupport
import Testing

@testable import PatternAudioIO

/// Every test folder of this process lives under one root that is removed when the process exits.
let temporaryFolderRoot: String = {
  let path = NSTemporaryDirectory() + "pstudio-io-\(getpid())"
  try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "pstudio-io-\(getpid())") }
  return path
}()

/// Runs a tool if it is installed (off the cooperative pool); nil when it is not.
func runTool(_ tool: String, _ args: [String]) async -> (status: Int32, output: String)? {
  guard let path = ProcessRunner.which(tool), let r = try? await ProcessRunner.run(path, args) else { return nil }
  return (r.status, r.stdout + r.stderr)
}

@Suite("libsndfile round trips")
struct RoundTripTests {
  static let frames = 1000

  /// A stereo ramp that covers the integer range, interleaved.
  static func int16Samples() -> [Int16] {
    (0..<(frames * 2)).map { Int16(truncatingIfNeeded: ($0 * 65) - 32768) }
  }

  @Test(
    "16-bit WAV and FLAC read back sample for sample, with format, length and tags",
    arguments: [AudioContainer.wav, .flac])
  func int16RoundTrip(container: AudioContainer) async throws {
    let folder = Scratch.folder()
    let path = "\(folder)/x.\(container.rawValue)"
    let format = AudioFormat(container: container, encoding: .pcm16, sampleRate: 44_100)
    let tags = AudioTags(title: "Tïtle", artist: "Artist", comment: "made by a test")
    let writer = try AudioFileWriter(path: path, format: format, tags: tags)
    let samples = Self.int16Samples()
    try samples.withUnsafeBufferPointer { try writer.write(.int16($0)) }
    try writer.finish()
    let (info, read) = try AudioFileReader.readInt32(path: path)
    #expect(info.frames == Int64(Self.frames))
    #expect(info.sampleRate == 44_100)
    #expect(info.channels == 2)
    #expect(info.container == container.rawValue)
    #expect(info.encoding == "16")
    #expect(read == samples.map { Int32($0) << 16 })
    #expect(info.tags.title == "Tïtle")
    #expect(info.tags.artist == "Artist")
    #expect(info.tags.comment == "made by a test")
    if container == .flac, let flac = await runTool("flac", ["-t", "-s", path]) {
      #expect(flac.status == 0, "flac -t: \(flac.output)")
    }
    if let info = await runTool("sndfile-info", [path]) {
      #expect(info.output.contains("Sample Rate : 44100"))
      #expect(info.output.contains("Frames      : 1000"))
    }
  }

  @Test("24-bit WAV and FLAC keep all 24 bits", arguments: [AudioContainer.wav, .flac])
  func int24RoundTrip(container: AudioContainer) throws {
    let path = "\(Scratch.folder())/x.\(container.rawValue)"
    let writer = try AudioFileWriter(
      path: path, format: AudioFormat(container: container, encoding: .pcm24, sampleRate: 96_000))
    let samples = (0..<(Self.frames * 2)).map { Int32(($0 * 8_388 - 8_388_608) % 8_388_607) << 8 }
    try samples.withUnsafeBufferPointer { try writer.write(.int24($0)) }
    try writer.finish()
    let (info, read) = try AudioFileReader.readInt32(path: path)
    #expect(info.encoding == "24")
    #expect(info.sampleRate == 96_000)
    #expect(read == samples)
  }

  @Test("32-bit float WAV is exact and byte-reproducible (no PEAK timestamp)")
  func floatRoundTrip() async throws {
    let folder = Scratch.folder()
    let samples = (0..<(Self.frames * 2)).map { Float($0) / Float(Self.frames * 2) - 0.5 }
    var bytes: [Data] = []
    for name in ["a.wav", "b.wav"] {
      let writer = try AudioFileWriter(
        path: "\(folder)/\(name)", format: AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000))
      try samples.withUnsafeBufferPointer { try writer.write(.float32($0)) }
      try writer.finish()
      bytes.append(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)")))
      if name == "a.wav" { try await Task.sleep(for: .seconds(1)) }  // a PEAK chunk would now hold another second
    }
    #expect(bytes[0] == bytes[1])
    let (info, read) = try AudioFileReader.readFloat(path: "\(folder)/a.wav")
    #expect(info.encoding == "32f")
    #expect(read == samples)
  }

  @Test("FLAC cannot hold floats and odd rates are refused before anything is written")
  func unsupportedFormats() {
    let folder = Scratch.folder()
    #expect(throws: AudioIOError.self) {
      try AudioFileWriter(
        path: "\(folder)/x.flac", format: AudioFormat(container: .flac, encoding: .float32, sampleRate: 48_000))
    }
    #expect(throws: AudioIOError.self) {
      try AudioFileWriter(
        path: "\(folder)/x.wav", format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 12_345))
    }
    #expect((try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true)
  }

  @Test("a cancelled write leaves no file and does not touch the existing one")
  func atomicWrite() throws {
    let folder = Scratch.folder()
    let path = "\(folder)/song.wav"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
    do {
      let writer = try AudioFileWriter(
        path: path, format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000))
      try Self.int16Samples().withUnsafeBufferPointer { try writer.write(.int16($0)) }
      #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
      writer.cancel()
      #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
    }
    do {
      // Dropped without finish(): the same.
      let writer = try AudioFileWriter(
        path: path, format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000))
      try Self.int16Samples().withUnsafeBufferPointer { try writer.write(.int16($0)) }
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["song.wav"])
  }

  @Test("an unwritable destination is an error, not a crash")
  func unwritable() {
    #expect(throws: AudioIOError.self) {
      try AudioFileWriter(
        path: "/nonexistent-folder/x.wav", format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000))
    }
  }
}
