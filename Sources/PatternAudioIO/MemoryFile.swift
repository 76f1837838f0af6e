/// `AudioMemoryWriter`'s "file" for libsndfile: bytes with a position, in a growable array or in memory the
/// caller lends (a region), until the file outgrows it and moves to an array.
final class MemoryFile: VirtualFile {
  private var bytes: [UInt8]
  private var region: UnsafeMutableRawBufferPointer?
  /// The file's length while it is in `region`.
  private var regionLength = 0
  var position = 0
  /// The expected length (a hint): the array's capacity, reserved once.
  private let capacity: Int

  init(capacity: Int, region: UnsafeMutableRawBufferPointer?) {
    bytes = []
    self.region = region
    self.capacity = capacity
    // Reserved when the bytes go to the array from the start; otherwise when they move there.
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
    header.withUnsafeBytes { _ = write($0.baseAddress!, count: $0.count) }
    position = keep
  }

  /// The bytes: an array, or empty and the length when they are in the region.
  func take() -> (bytes: [UInt8], inRegion: Int?) {
    defer { bytes = [] }
    return region == nil ? (bytes, nil) : ([], regionLength)
  }

  func read(into pointer: UnsafeMutableRawPointer, count: Int) -> Int {
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

  func write(_ pointer: UnsafeRawPointer, count n: Int) -> Int {
    let source = UnsafeRawBufferPointer(start: pointer, count: n)
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
      // Outgrown: the file moves to an array, once, reserved for the whole expected length (not doubled up to it
      // from the region's size).
      bytes.reserveCapacity(max(capacity, position + n))
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: region[0..<regionLength]))
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
}
