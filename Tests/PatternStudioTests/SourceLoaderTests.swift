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

  @Test("files of 0, 1, 65,535, 65,536, 65,537 and 300,000 bytes read back exactly")
  func sizes() throws {
    let folder = Scratch.folder()
    for count in [0, 1, 65_535, 65_536, 65_537, 300_000] {
      let path = folder + "/s\(count).pattern"
      let bytes = Self.pattern(count)
      FileManager.default.createFile(atPath: path, contents: Data(bytes))
      #expect(try SourceLoader.bytes(at: path) == bytes, "\(count) bytes")
    }
  }

  @Test("a pipe (no size to read up to) is read to its end, past several chunks")
  func pipe() throws {
    let path = Scratch.folder() + "/fifo.pattern"
    #expect(mkfifo(path, 0o600) == 0)
    let bytes = Self.pattern(200_000)
    let writer = Thread {
      let fd = open(path, O_WRONLY)
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
  }

  @Test("a missing file, a folder and an unreadable file give the read errors users see")
  func errors() throws {
    let folder = Scratch.folder()
    #expect(throws: AudioIOError.self) { try SourceLoader.load(folder + "/missing.pattern") }
    do {
      _ = try SourceLoader.load(folder + "/missing.pattern")
    } catch let error as AudioIOError {
      #expect("\(error)".contains("No such file or directory (errno 2)"))
    }
    do {
      _ = try SourceLoader.load(folder)
      Issue.record("a folder was read")
    } catch let error as AudioIOError {
      #expect("\(error)".contains("it is a folder, not a pattern file"))
    }
    // Root reads any file whatever its mode: only checked when the tests run as another user.
    if getuid() != 0 {
      let path = folder + "/locked.pattern"
      FileManager.default.createFile(atPath: path, contents: Data("melody { }".utf8))
      chmod(path, 0)
      do {
        _ = try SourceLoader.load(path)
        Issue.record("an unreadable file was read")
      } catch let error as AudioIOError {
        #expect("\(error)".contains("Permission denied"))
      }
    }
  }
}
