import Glibc

/// Float WAV headers every reader takes without a warning. libsndfile writes 32-bit float WAV either as
/// WAVE_FORMAT_IEEE_FLOAT with a 16-byte `fmt ` chunk (no `cbSize`: sox warns "wave header missing extended
/// part of fmt chunk" on every file) or as WAVE_FORMAT_EXTENSIBLE (which sox 14.4 warns about too). We ask for
/// the extensible form and then rewrite its 40-byte `fmt ` chunk in place, same size, as the 18-byte
/// WAVEFORMATEX the format expects (IEEE float, `cbSize` 0) followed by a 14-byte `JUNK` chunk — the standard
/// RIFF padding every reader skips — so no sample moves and the PCM is untouched.
public enum FloatWAVHeader {
  /// The header bytes the rewrite needs: RIFF, WAVE, and the 40-byte `fmt ` chunk.
  public static let length = 60

  /// Rewrites `header` (at least the file's first 60 bytes) when it is an extensible float WAV header;
  /// returns whether it did.
  public static func rewrite(_ header: inout [UInt8]) -> Bool {
    func tag(_ at: Int) -> String { String(decoding: header[at..<at + 4], as: UTF8.self) }
    func u16(_ at: Int) -> Int { Int(header[at]) | Int(header[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func put(_ value: Int, at: Int, bytes: Int) {
      for i in 0..<bytes { header[at + i] = UInt8((value >> (8 * i)) & 0xFF) }
    }
    // The subformat GUID begins at 44 with the format tag it stands for: 3 is IEEE float.
    guard header.count >= length, tag(0) == "RIFF", tag(8) == "WAVE", tag(12) == "fmt ", u32(16) == 40,
      u16(20) == 0xFFFE, u16(44) == 3
    else { return false }
    put(18, at: 16, bytes: 4)
    put(3, at: 20, bytes: 2)
    // Channels, rate, bytes per second, block align and bits (22 ..< 36) stay; cbSize 0.
    put(0, at: 36, bytes: 2)
    header.replaceSubrange(38..<42, with: Array("JUNK".utf8))
    put(14, at: 42, bytes: 4)
    for i in 46..<60 { header[i] = 0 }
    return true
  }

  /// `rewrite` on the header of the file open (read and write) as `descriptor`, written back in place; the
  /// caller's `fsync` then covers it with the rest of the file. `path` names the file in errors.
  static func rewrite(descriptor fd: Int32, path: String) throws {
    var header = [UInt8](repeating: 0, count: length)
    guard pread(fd, &header, length, 0) == length, rewrite(&header) else { return }
    guard pwrite(fd, header, length, 0) == length else { throw AudioIOError(.close, path: path, errno: errno) }
  }
}
