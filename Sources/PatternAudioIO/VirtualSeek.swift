import Glibc

/// libsndfile's virtual-I/O `seek`, shared by the in-memory and the direct file: the new position for
/// `offset` from `whence` (`SEEK_SET`, `SEEK_CUR` or `SEEK_END`), never before the start.
enum VirtualSeek {
  static func position(offset: Int64, whence: Int32, current: Int, length: Int) -> Int {
    let base: Int
    switch whence {
    case SEEK_CUR: base = current
    case SEEK_END: base = length
    default: base = 0
    }
    return max(0, base + Int(offset))
  }
}
