/// A file libsndfile reads and writes through virtual I/O (`VirtualFileHandle`): bytes with a length and a
/// position. `MemoryFile` keeps them in memory, `DirectFile` writes them past the page cache.
protocol VirtualFile: AnyObject {
  /// Bytes in the file.
  var length: Int { get }
  /// Where the next read or write starts, bytes.
  var position: Int { get set }
  /// Reads up to `count` bytes at `position` into `target` and moves past them; returns how many.
  func read(into target: UnsafeMutableRawPointer, count: Int) -> Int
  /// Writes `count` bytes at `position` and moves past them; returns how many (fewer on failure).
  func write(_ source: UnsafeRawPointer, count: Int) -> Int
}
