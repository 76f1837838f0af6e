/// The top level of a SoundFont file: the `RIFF sfbk` form's chunks and its version, checked the same way for a
/// full parse (`SoundFont.init(bytes:)`) and a preset listing (`SoundFont.presetList(bytes:)`).
struct SoundFontForm {
  let top: [RIFFChunk]
  /// Said when the RIFF size passes the end of the file (the form is read up to the end).
  let truncation: String?

  init(_ r: ByteReader, count: Int) throws(SoundFontError) {
    guard count >= 12 else { throw .malformed("RIFF", "file is \(count) bytes, too short for a RIFF header") }
    guard r.fourCC(0) == "RIFF" else { throw .malformed("RIFF", "not a RIFF file (starts with '\(r.fourCC(0))')") }
    guard r.fourCC(8) == "sfbk" else { throw .malformed("RIFF", "form type '\(r.fourCC(8))' is not 'sfbk'") }
    var riffEnd = 8 + Int(r.u32(4))
    guard riffEnd >= 12 else { throw .malformed("RIFF", "size \(riffEnd - 8) is too small for the 'sfbk' form type") }
    truncation =
      riffEnd > count ? "RIFF: size says \(riffEnd) bytes but the file has \(count) (truncated?)" : nil
    riffEnd = min(riffEnd, count)
    top = try RIFFChunk.children(of: 12..<riffEnd, in: r, path: "")
  }

  /// The `LIST` chunk of `type` (INFO, sdta, pdta).
  func list(_ type: String) throws(SoundFontError) -> RIFFChunk {
    guard let c = top.first(where: { $0.id == "LIST" && $0.listType == type }) else {
      throw .malformed("LIST \(type)", "chunk missing")
    }
    return c
  }
}
