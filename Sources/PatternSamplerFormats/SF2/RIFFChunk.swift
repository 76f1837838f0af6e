/// One RIFF chunk located inside the font: where its data starts and how long it is (bytes).
struct RIFFChunk {
  /// Four-character id ("LIST", "smpl", "phdr"…).
  var id: String
  /// For a "LIST" chunk, its list type ("INFO", "sdta", "pdta"); empty otherwise.
  var listType: String
  /// Byte offset of the chunk's data in the file (after the 8-byte header and, for a LIST, the 4-byte type).
  var dataOffset: Int
  /// Data length in bytes (for a LIST, excluding the 4-byte type).
  var size: Int

  var dataRange: Range<Int> { dataOffset..<(dataOffset + size) }

  /// Splits `range` of the file into its chunks.
  ///
  /// Each step advances at least 8 bytes, so this ends on any input. A chunk whose size runs past the
  /// enclosing range is an error naming it (`path`/id), which is what a truncated file looks like.
  /// Trailing bytes too short for a chunk header are ignored (some writers pad).
  static func children(
    of range: Range<Int>, in reader: ByteReader, path: String
  ) throws(SoundFontError) -> [RIFFChunk] {
    var result: [RIFFChunk] = []
    var pos = range.lowerBound
    while range.upperBound - pos >= 8 {
      let id = reader.fourCC(pos)
      let size = Int(reader.u32(pos + 4))
      let left = range.upperBound - (pos + 8)
      let name = path.isEmpty ? id : "\(path)/\(id)"
      guard size <= left else {
        let label = id == "LIST" && left >= 4 ? "LIST \(reader.fourCC(pos + 8))" : name
        throw .malformed(
          label, "size \(size) exceeds the \(left) bytes left in \(path.isEmpty ? "RIFF" : path) (truncated file?)")
      }
      if id == "LIST" {
        guard size >= 4 else { throw .malformed(name, "LIST size \(size) is too small for a list type") }
        result.append(RIFFChunk(id: id, listType: reader.fourCC(pos + 8), dataOffset: pos + 12, size: size - 4))
      } else {
        result.append(RIFFChunk(id: id, listType: "", dataOffset: pos + 8, size: size))
      }
      // Odd sizes are followed by a pad byte (RIFF rule); a missing final pad byte is tolerated.
      pos = pos + 8 + size + (size & 1)
    }
    return result
  }
}
