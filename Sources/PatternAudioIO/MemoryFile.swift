import CSndFile

/// `AudioMemoryWriter`'s "file" for libsndfile: bytes with a position, in a growable array or in memory the
/// caller lends (a region), until the file outgrows it and moves to an array.
final class MemoryFile {
  private var bytes: [UInt8]
  private var region: UnsafeMutableRawBufferPointer?
  /// The file's length while it is in `region`.
  private var regionLength = 0
  private var position = 0

  init(capacity: Int, region: UnsafeMutableRawBufferPointer?) {
    bytes = []
    self.region = region
    // Reserved only when the bytes go to the array from the start.
    if region == nil { bytes.reserveCapacity(capacity) }
  }

  var length: Int { region == nil ? bytes.count : regionLength }

  /// The first `count` bytes (fewer if the file is shorter).
  func prefix(_ count: Int) -> [UInt8] {
    guard let region else { return Array(bytes.prefix(count)) }
    return Array(UnsafeRawBufferPointer(rebasing: region[0..<min(count, regionLength)]))
  }

  /// Overwrites the first `header.count` bytes.
  func replacePrefix(with header: [UInt8]) {
    let keep = position
    position = 0
    header.withUnsafeBytes { _ = write($0) }
    position = keep
  }

  /// The bytes: an array, or empty and the length when they are in the region.
  func take() -> (bytes: [UInt8], inRegion: Int?) {
    defer { bytes = [] }
    return region == nil ? (bytes, nil) : ([], regionLength)
  }

  private func read(into pointer: UnsafeMutableRawPointer, count: Int) -> Int {
    let n = max(0, min(count, length - position))
    guard n > 0 else { return 0 }
    if let region {
      pointer.copyMemory(from: region.baseAddress! + position, byteCount: n)
    } else {
      bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
    }
    position += n
    return n
  }

  private func write(_ source: UnsafeRawBufferPointer) -> Int {
    let n = source.count
    guard n > 0 else { return 0 }
    if let region {
      if position + n <= region.count {
        // A seek past the end leaves a gap that reads as zeros, as in a file.
        if position > regionLength {
          (region.baseAddress! + regionLength).initializeMemory(
            as: UInt8.self, repeating: 0, count: position - regionLength)
        }
        (region.baseAddress! + position).copyMemory(from: source.baseAddress!, byteCount: n)
        position += n
        regionLength = max(regionLength, position)
        return n
      }
      // Outgrown: the file moves to an array, once.
      bytes = Array(UnsafeRawBufferPointer(rebasing: region[0..<regionLength]))
      self.region = nil
    }
    if position > bytes.count { bytes.append(contentsOf: repeatElement(0, count: position - bytes.count)) }
    let overlap = min(n, bytes.count - position)
    if overlap > 0 {
      bytes.withUnsafeMutableBytes { dst in
        (dst.baseAddress! + position).copyMemory(from: source.baseAddress!, byteCount: overlap)
      }
    }
    if overlap < n { bytes.append(contentsOf: source[overlap...]) }
    position += n
    return n
  }

  static func from(_ user: UnsafeMutableRawPointer?) -> MemoryFile {
    Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
  }

  /// The C callbacks (no captures: state travels in `user_data`).
  static var callbacks: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in sf_count_t(MemoryFile.from(user).length) },
      seek: { offset, whence, user in
        let file = MemoryFile.from(user)
        file.position = VirtualSeek.position(
          offset: offset, whence: whence, current: file.position, length: file.length)
        return sf_count_t(file.position)
      },
      read: { pointer, count, user in
        guard let pointer else { return 0 }
        return sf_count_t(MemoryFile.from(user).read(into: pointer, count: Int(count)))
      },
      write: { pointer, count, user in
        guard count > 0, let pointer else { return 0 }
        return sf_count_t(MemoryFile.from(user).write(UnsafeRawBufferPointer(start: pointer, count: Int(count))))
      },
      tell: { user in sf_count_t(MemoryFile.from(user).position) })
  }
}
