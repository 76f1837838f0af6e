import Foundation
import Synchronization
import TestSupport
import Testing

@testable import PatternAudioIO

@Suite("Temporary files: nothing left behind")
struct TemporaryFileTests {
  @Test("a killed writer's leftover (dead pid) is removed by the next writer; a live one is kept")
  func staleLeftovers() throws {
    let dir = Scratch.folder()
    // pid 1 is always alive; a pid above the kernel's maximum never is.
    let dead = "\(dir)/.song.wav.4194305.1.partial"
    let alive = "\(dir)/.song.wav.1.1.partial"
    let other = "\(dir)/.other.wav.4194305.1.partial"
    for path in [dead, alive, other] { FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
    let writer = try AudioFileWriter(
      path: "\(dir)/song.wav", format: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000))
    #expect(!FileManager.default.fileExists(atPath: dead))
    #expect(FileManager.default.fileExists(atPath: alive))
    #expect(FileManager.default.fileExists(atPath: other))  // another destination's: not ours to judge
    #expect(
      TemporaryFiles.lock.withLock { _ in (0..<TemporaryFiles.capacity).contains { TemporaryFiles.slots[$0] != nil } })
    writer.cancel()
    #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
  }

  @Test("the registry forgets files once they are finished or cancelled")
  func registry() throws {
    let dir = Scratch.folder()
    let format = AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000)
    // By path: other tests in this process write files (and register them) at the same time.
    let registered = { (path: String) in
      TemporaryFiles.lock.withLock { _ in
        (0..<TemporaryFiles.capacity).contains { TemporaryFiles.slots[$0].map { String(cString: $0) } == path }
      }
    }
    let a = try AudioFileWriter(path: "\(dir)/a.wav", format: format)
    let b = try AudioFileWriter(path: "\(dir)/b.wav", format: format)
    #expect(registered(a.temporaryPath) && registered(b.temporaryPath))
    try a.finish()
    b.cancel()
    #expect(!registered(a.temporaryPath) && !registered(b.temporaryPath))
  }
}
