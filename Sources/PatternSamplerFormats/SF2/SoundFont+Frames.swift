extension SoundFont {
  /// Decodes a sample's frames to Float in −1 … 1: 16-bit little-endian `smpl` points, plus the `sm24`
  /// low byte when the font has one (then the value is the 24-bit sample / 2^23).
  ///
  /// `bytes` must be the same file the font was parsed from. Throws `.badSampleSource` for an `.file`
  /// source or a range outside `smpl` (or a buffer shorter than the chunks it should contain).
  public func frames(for source: SampleSource, in bytes: UnsafeRawBufferPointer) throws(SoundFontError) -> [Float] {
    guard case .fontData(let start, let end) = source else {
      throw SoundFontError(.badSampleSource, chunk: "", "not SoundFont sample data: \(source)")
    }
    let layout = sampleData
    guard start >= 0, start <= end, end <= layout.count,
      layout.smplOffset >= 0, layout.smplOffset + 2 * layout.count <= bytes.count
    else {
      throw SoundFontError(
        .badSampleSource, chunk: "sdta/smpl",
        "points \(start)…\(end) are not inside smpl's \(layout.count) points (or the buffer is too short)")
    }
    let r = ByteReader(bytes: bytes)
    var out = [Float](repeating: 0, count: end - start)
    if let lowOffset = layout.sm24Offset, lowOffset >= 0, lowOffset + layout.count <= bytes.count {
      for i in 0..<(end - start) {
        let hi = Int32(r.i16(layout.smplOffset + 2 * (start + i)))
        let v = hi << 8 | Int32(r.u8(lowOffset + start + i))
        out[i] = Float(v) / 8_388_608
      }
    } else {
      for i in 0..<(end - start) {
        out[i] = Float(r.i16(layout.smplOffset + 2 * (start + i))) / 32768
      }
    }
    return out
  }

  /// `frames(for:in:)` over an array.
  public func frames(for source: SampleSource, in bytes: [UInt8]) throws(SoundFontError) -> [Float] {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(SoundFontError) in try frames(for: source, in: raw) }
    }
    return try result.get()
  }
}
