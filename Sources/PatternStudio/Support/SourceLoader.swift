import Foundation
import PatternAudioIO
import PatternLanguage

/// Reads pattern source from a path, or standard input for `-`.
public enum SourceLoader {
  /// - Throws: `AudioIOError` (operation `.read`, with the path and errno) when the file cannot be read.
  public static func load(_ path: String) throws -> SourceFile {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      return SourceFile(name: "<stdin>", bytes: Array(data))
    }
    return SourceFile(name: path, bytes: try bytes(at: path))
  }

  /// The file's bytes, read straight into one array: through `FileManager`'s `Data` and a copy of it, a 4 MB
  /// song's read was three buffers' worth of page faults.
  static func bytes(at path: String) throws -> [UInt8] {
    let folder = AudioIOError(.read, path: path, detail: "it is a folder, not a pattern file")
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let failure = errno
      // A folder this user may not open is still named as a folder.
      var info = stat()
      if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { throw folder }
      throw AudioIOError(.read, path: path, errno: failure)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw AudioIOError(.read, path: path, errno: errno) }
    if info.st_mode & S_IFMT == S_IFDIR { throw folder }
    var failure: Int32 = 0
    /// Reads into `buffer` until it is full or the file ends; the bytes read.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
      var count = 0
      while count < buffer.count {
        let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
        if n > 0 {
          count += n
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          if n < 0 { failure = errno }
          break
        }
      }
      return count
    }
    // The size the file has now, and one byte more to see its end; a pipe, or a file still growing, goes on
    // in chunks.
    let expected = max(0, Int(info.st_size)) + 1
    var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
      count = fill(UnsafeMutableRawBufferPointer(buffer))
    }
    if bytes.count == expected {
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      while failure == 0 {
        let n = chunk.withUnsafeMutableBytes { fill($0) }
        bytes += chunk[..<n]
        if n < chunk.count { break }
      }
    }
    if failure != 0 { throw AudioIOError(.read, path: path, errno: failure) }
    return bytes
  }
}
