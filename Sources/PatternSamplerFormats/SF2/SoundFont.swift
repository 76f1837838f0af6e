/// A parsed SoundFont 2 file: its metadata, preset/instrument/sample tables and where its sample data lies.
///
/// Parsing is a pure function of the bytes and never traps on malformed input: every read is bounds
/// checked, every table size comes from its chunk size, and every loop advances. The sample data is not
/// copied — only its offsets are kept; pass the same bytes to `frames(for:in:)` to decode a sample.
public struct SoundFont: Sendable {
  /// The `ifil` version (2.01, 2.04…).
  public struct Version: Hashable, Sendable {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
      self.major = major
      self.minor = minor
    }
  }

  /// One preset as listed by `presets`.
  public struct Preset: Hashable, Sendable {
    public var name: String
    /// MIDI bank (0 … 128; 128 = percussion by convention).
    public var bank: Int
    /// MIDI program 0 … 127.
    public var program: Int
    /// MIDI notes covered by its zones: lowest … highest key of the preset ∩ instrument key ranges (velocity
    /// ranges are not considered, so a zone no velocity reaches still counts); nil if no zone has a key.
    public var keyRange: ClosedRange<Int>?
  }

  /// Where the 16-bit (and optional 24-bit low byte) sample data lies in the file.
  public struct SampleData: Hashable, Sendable {
    /// Byte offset of `smpl`'s data in the file.
    public var smplOffset: Int
    /// Number of 16-bit sample points in `smpl`.
    public var count: Int
    /// Byte offset of `sm24`'s data (one low byte per sample point), nil when absent or ignored.
    public var sm24Offset: Int?
  }

  public let version: Version
  /// `INAM`, the font's name.
  public let name: String
  public let sampleData: SampleData
  /// Sample headers, without the terminal "EOS" record.
  public var samples: [SampleHeader] { Array(data.samples.dropLast()) }
  /// Presets sorted by bank, then program.
  public let presets: [Preset]
  /// Problems the parser tolerated (truncated RIFF size, ignored `sm24`…).
  public let warnings: [String]

  let data: PresetData
  /// Index into `data.presets` of each entry of `presets`.
  let presetIndices: [Int]

  /// Parses a font from its bytes (see the type's doc comment).
  public init(bytes: [UInt8]) throws(SoundFontError) {
    let result = bytes.withUnsafeBytes { raw in Result { () throws(SoundFontError) in try SoundFont(bytes: raw) } }
    self = try result.get()
  }

  /// Parses a font from raw memory (e.g. a memory-mapped file). The memory is only read during the call.
  public init(bytes: UnsafeRawBufferPointer) throws(SoundFontError) {
    let r = ByteReader(bytes: bytes)
    let form = try SoundFontForm(r, count: bytes.count)
    var warnings = form.truncation.map { [$0] } ?? []
    let list = form.list

    // INFO: version first, so an SF3 font gets the SF3 message rather than a confusing sdta error.
    let info = try RIFFChunk.children(of: try list("INFO").dataRange, in: r, path: "INFO")
    guard let ifil = info.first(where: { $0.id == "ifil" }) else { throw .malformed("INFO/ifil", "chunk missing") }
    guard ifil.size >= 4 else { throw .malformed("INFO/ifil", "size \(ifil.size) is smaller than 4") }
    let version = Version(major: Int(r.u16(ifil.dataOffset)), minor: Int(r.u16(ifil.dataOffset + 2)))
    if version.major == 3 { throw .sf3 }
    if version.major != 2 {
      warnings.append("INFO/ifil: version \(version.major).\(version.minor) is not 2.x; reading it as SF2")
    }
    let name =
      info.first(where: { $0.id == "INAM" }).map { r.string($0.dataOffset, maxLength: min($0.size, 256)) } ?? ""

    let sdta = try RIFFChunk.children(of: try list("sdta").dataRange, in: r, path: "sdta")
    guard let smpl = sdta.first(where: { $0.id == "smpl" }) else { throw .malformed("sdta/smpl", "chunk missing") }
    var layout = SampleData(smplOffset: smpl.dataOffset, count: smpl.size / 2, sm24Offset: nil)
    if let sm24 = sdta.first(where: { $0.id == "sm24" }) {
      // sm24 is only defined from 2.04 on and must hold one byte per smpl point (§7.2, as FluidSynth checks).
      if version.major == 2 && version.minor < 4 {
        warnings.append("sdta/sm24: ignored in a version \(version.major).\(version.minor) font (needs 2.04)")
      } else if sm24.size < layout.count {
        warnings.append("sdta/sm24: size \(sm24.size) is smaller than smpl's \(layout.count) points; ignored")
      } else {
        layout.sm24Offset = sm24.dataOffset
      }
    }

    let pdta = try RIFFChunk.children(of: try list("pdta").dataRange, in: r, path: "pdta")
    let data = try PresetData(chunks: pdta, reader: r)

    self.version = version
    self.name = name
    self.sampleData = layout
    self.data = data
    self.warnings = warnings
    let order = (0..<max(0, data.presets.count - 1)).sorted {
      (data.presets[$0].bank, data.presets[$0].program, $0) < (data.presets[$1].bank, data.presets[$1].program, $1)
    }
    self.presetIndices = order
    let keyRanges = data.keyRanges()
    self.presets = order.map { i in
      let h = data.presets[i]
      return Preset(name: h.name, bank: h.bank, program: h.program, keyRange: keyRanges[i])
    }
  }
}

extension PresetData {
  /// Keys each preset's zones reach (preset ∩ instrument key ranges, global zones as defaults), indexed like
  /// `presets`; references that do not resolve are skipped here (`regions` reports them). Linear in the
  /// number of zones: each instrument's key set is computed once.
  func keyRanges() -> [ClosedRange<Int>?] {
    var instrumentKeys: [Int: KeySet] = [:]
    return (0..<max(0, presets.count - 1)).map { p in
      let pz = presetZones(p)
      var keys = KeySet()
      for local in pz.locals {
        guard let inst = local.target, inst + 1 < instruments.count else { continue }
        let ik = instrumentKeys[inst] ?? InstrumentZones(instrumentZones(inst)).keys
        instrumentKeys[inst] = ik
        let k = (pz.global?.gens ?? GeneratorSet()).overlaid(by: local.gens).range(Gen.keyRange)
        keys.formUnion(ik.intersection(k.lo, k.hi))
      }
      return keys.span
    }
  }
}
