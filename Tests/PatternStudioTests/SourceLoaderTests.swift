import Foundation
import Glibc
import PatternAudioIO
import PatternLanguage
import TestSupport
import Testing

@testable import PatternStudio

/// `SourceLoader` reads a song straight into one array with POSIX calls: the file's bytes exactly, whatever its
/// size, from a pipe that has no size, and the same errors as before for a missing file, a folder and a file it
/// may not read.
@Suite("Source loader")
struct SourceLoaderTests {
  /// `count` bytes that cycle through every value, so a byte out of place shows.
  static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

  @Test("files of 0, 1, 4,096, 65,537 and 300,000 bytes read back exactly")
  func sizes() throws {
    let folder = Scratch.folder()
    for count in [0, 1, 4_096, 65_537, 300_000] {
      let path = folder + "/s\(count).pattern"
      let bytes = Self.pattern(count)
      FileManager.default.createFile(atPath: path, contents: Data(bytes))
      #expect(try SourceLoader.bytes(at: path) == bytes, "\(count) bytes")
    }
  }

  @Test("a pipe (no size to read up to) is read to its end, past several 64 KB chunks", .timeLimit(.minutes(1)))
  func pipe() throws {
    let path = Scratch.folder() + "/fifo.pattern"
    try #require(mkfifo(path, 0o600) == 0)
    let bytes = Self.pattern(200_000)
    // A reader that stopped early must fail the test, not kill the process with SIGPIPE.
    let previous = signal(SIGPIPE, SIG_IGN)
    defer { signal(SIGPIPE, previous) }
    let finished = DispatchSemaphore(value: 0)
    let writer = Thread {
      defer { finished.signal() }
      let fd = open(path, O_WRONLY)
      guard fd >= 0 else { return }
      bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
          let n = write(fd, raw.baseAddress! + done, min(4_096, raw.count - done))
          if n <= 0 { break }
          done += n
        }
      }
      close(fd)
    }
    writer.start()
    #expect(try SourceLoader.bytes(at: path) == bytes)
    finished.wait()
  }

  @Test("a missing file and a folder give the read errors users see; an unreadable file too, when not root")
  func errors() throws {
    let folder = Scratch.folder()
    let missing = #expect(throws: AudioIOError.self) { try SourceLoader.load(folder + "/missing.pattern") }
    #expect(missing.map { "\($0)".contains("No such file or directory (errno 2)") } == true)
    let notAFile = #expect(throws: AudioIOError.self) { try SourceLoader.load(folder) }
    #expect(notAFile.map { "\($0)".contains("it is a folder, not a pattern file") } == true)
    // Root reads any file whatever its mode: only checked when the tests run as another user.
    if getuid() != 0 {
      let path = folder + "/locked.pattern"
      FileManager.default.createFile(atPath: path, contents: Data("melody { }".utf8))
      chmod(path, 0)
      let locked = #expect(throws: AudioIOError.self) { try SourceLoader.load(path) }
      #expect(locked.map { "\($0)".contains("Permission denied") } == true)
      // A folder it may not open is still named as a folder.
      let closed = folder + "/closed"
      try FileManager.default.createDirectory(atPath: closed, withIntermediateDirectories: false)
      chmod(closed, 0)
      let closedFolder = #expect(throws: AudioIOError.self) { try SourceLoader.load(closed) }
      #expect(closedFolder.map { "\($0)".contains("it is a folder") } == true)
    }
  }
}
