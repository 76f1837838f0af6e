import Glibc

/// Starts writing a file's dirty pages back to disk without waiting (Linux `sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`), so a later `fsync` has little left to do. Durability still comes from that
/// `fsync`. (Glibc declares `sync_file_range` only under `_GNU_SOURCE`, which Swift's Glibc module does not
/// set: the symbol is looked up once at run time; where it is missing this does nothing.)
enum Writeback {
  private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
  /// `SYNC_FILE_RANGE_WRITE` from <fcntl.h>.
  private static let write: UInt32 = 2

  private static let syncFileRange: SyncFileRange? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
    return unsafeBitCast(symbol, to: SyncFileRange.self)
  }()

  /// Starts writeback of every dirty page of `descriptor` (offset 0, length 0: to the end of the file).
  static func start(_ descriptor: Int32) {
    _ = syncFileRange?(descriptor, 0, 0, write)
  }
}
