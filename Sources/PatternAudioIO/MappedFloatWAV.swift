import Glibc

/// The samples of a 32-bit float WAV file, mapped into memory rather than read: an album unit (a song's
/// pre-master sum, tens of MB) is finished two or three times, and reading it each time copied every byte out
/// of the page cache into freshly zeroed memory and converted it through libsndfile. Little-endian float is
/// already what the CPU holds, so the mapping is the samples.
///
/// Only plain files are mapped: RIFF/WAVE with a `fmt ` chunk saying IEEE float (format 3, or extensible with
/// the float subformat), 32 bits, and a `data` chunk that lies inside the file at a 4-byte-aligned offset.
/// Anything else returns nil from `init`, and the caller reads the file as before.
public final class MappedFloatWAV {
  /// Interleaved samples (valid while this object lives).
  public let samples: UnsafeBufferPointer<Float>
  public let channels: Int
  public let sampleRate: Int
  private let base: UnsafeMutableRawPointer
  private let length: Int

  /// Maps `path`; nil when it is not a plain float WAV (or cannot be opened or mapped).
  public init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size >= 44 else { return nil }
    let length = Int(st.st_size)
    guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
    guard let layout = Self.layout(UnsafeRawBufferPointer(start: mapped, count: length)) else {
      munmap(mapped, length)
      return nil
    }
    // The samples are read once, front to back.
    madvise(mapped, length, MADV_SEQUENTIAL)
    base = mapped
    self.length = length
    channels = layout.channels
    sampleRate = layout.sampleRate
    samples = UnsafeBufferPointer(
      start: (mapped + layout.offset).assumingMemoryBound(to: Float.self), count: layout.bytes / 4)
  }

  deinit { munmap(base, length) }

  /// Where a plain float WAV's samples are, or nil.
  static func layout(_ file: UnsafeRawBufferPointer) -> (offset: Int, bytes: Int, channels: Int, sampleRate: Int)? {
    func u16(_ at: Int) -> Int { Int(file[at]) | Int(file[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func tag(_ at: Int) -> [UInt8] { Array(file[at..<at + 4]) }
    guard file.count >= 12, tag(0) == Array("RIFF".utf8), tag(8) == Array("WAVE".utf8) else { return nil }
    var at = 12
    var format: (channels: Int, rate: Int)? = nil
    while at + 8 <= file.count {
      let size = u32(at + 4)
      let body = at + 8
      guard size <= file.count - body else { return nil }
      if tag(at) == Array("fmt ".utf8) {
        guard size >= 16 else { return nil }
        let code = u16(body)
        // Extensible: the subformat GUID starts with the format code it stands for.
        let float = code == 3 || (code == 0xFFFE && size >= 40 && u16(body + 24) == 3)
        guard float, u16(body + 14) == 32, u16(body + 2) > 0 else { return nil }
        format = (u16(body + 2), u32(body + 4))
      } else if tag(at) == Array("data".utf8) {
        guard let format, body % 4 == 0 else { return nil }
        let bytes = size - size % (4 * format.channels)
        return (body, bytes, format.channels, format.rate)
      }
      // Chunks are padded to an even length.
      at = body + size + (size & 1)
    }
    return nil
  }
}
