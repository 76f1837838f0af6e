/// The nine `pdta` sub-chunks, decoded and structurally validated (SF2.04 §7.2 … §7.10).
///
/// Validation here is what every later lookup relies on: record sizes, terminal records, and monotone bag
/// indices that stay inside the next table. Cross-references (instrument and sample ids) are checked when a
/// preset is resolved, so one broken preset does not make the others unreadable.
struct PresetData: Sendable {
  /// Including the terminal "EOP" record.
  var presets: [PresetHeader] = []
  var presetBags: [ZoneBag] = []
  var presetMods: [ModRecord] = []
  var presetGens: [GenRecord] = []
  /// Including the terminal "EOI" record.
  var instruments: [InstrumentHeader] = []
  var instrumentBags: [ZoneBag] = []
  var instrumentMods: [ModRecord] = []
  var instrumentGens: [GenRecord] = []
  /// Including the terminal "EOS" record.
  var samples: [SampleHeader] = []

  init() {}

  /// Decodes the sub-chunks of `LIST pdta`.
  init(chunks: [RIFFChunk], reader r: ByteReader) throws(SoundFontError) {
    func table(_ id: String, _ recordSize: Int, minimum: Int) throws(SoundFontError) -> (offset: Int, count: Int) {
      guard let c = chunks.first(where: { $0.id == id }) else { throw .malformed("pdta/\(id)", "chunk missing") }
      guard c.size % recordSize == 0 else {
        throw .malformed("pdta/\(id)", "size \(c.size) is not a multiple of \(recordSize)")
      }
      let n = c.size / recordSize
      guard n >= minimum else {
        throw .malformed("pdta/\(id)", "\(n) records; at least \(minimum) needed (the last one is the terminal record)")
      }
      return (c.dataOffset, n)
    }

    let phdr = try table("phdr", 38, minimum: 1)
    presets = (0..<phdr.count).map { i in
      let o = phdr.offset + i * 38
      return PresetHeader(
        name: r.string(o, maxLength: 20), program: Int(r.u16(o + 20)), bank: Int(r.u16(o + 22)),
        bagIndex: Int(r.u16(o + 24)))
    }
    let pbag = try table("pbag", 4, minimum: 1)
    presetBags = Self.bags(pbag, r)
    let pmod = try table("pmod", 10, minimum: 0)
    presetMods = Self.mods(pmod, r)
    let pgen = try table("pgen", 4, minimum: 0)
    presetGens = Self.gens(pgen, r)
    let inst = try table("inst", 22, minimum: 1)
    instruments = (0..<inst.count).map { i in
      let o = inst.offset + i * 22
      return InstrumentHeader(name: r.string(o, maxLength: 20), bagIndex: Int(r.u16(o + 20)))
    }
    let ibag = try table("ibag", 4, minimum: 1)
    instrumentBags = Self.bags(ibag, r)
    let imod = try table("imod", 10, minimum: 0)
    instrumentMods = Self.mods(imod, r)
    let igen = try table("igen", 4, minimum: 0)
    instrumentGens = Self.gens(igen, r)
    let shdr = try table("shdr", 46, minimum: 1)
    samples = (0..<shdr.count).map { i in
      let o = shdr.offset + i * 46
      return SampleHeader(
        name: r.string(o, maxLength: 20), start: Int(r.u32(o + 20)), end: Int(r.u32(o + 24)),
        loopStart: Int(r.u32(o + 28)), loopEnd: Int(r.u32(o + 32)), sampleRate: Int(r.u32(o + 36)),
        originalPitch: Int(r.u8(o + 40)), pitchCorrection: Int(Int8(bitPattern: r.u8(o + 41))),
        sampleLink: Int(r.u16(o + 42)), sampleType: Int(r.u16(o + 44)))
    }

    try Self.checkHeaders(
      presets.map(\.bagIndex), names: presets.map(\.name), chunk: "phdr", bagChunk: "pbag",
      bagCount: presetBags.count)
    try Self.checkBags(
      presetBags, chunk: "pbag", genChunk: "pgen", genCount: presetGens.count,
      modChunk: "pmod", modCount: presetMods.count)
    try Self.checkHeaders(
      instruments.map(\.bagIndex), names: instruments.map(\.name), chunk: "inst",
      bagChunk: "ibag", bagCount: instrumentBags.count)
    try Self.checkBags(
      instrumentBags, chunk: "ibag", genChunk: "igen", genCount: instrumentGens.count,
      modChunk: "imod", modCount: instrumentMods.count)
    // Any Vorbis-compressed sample means an SF3 font, whatever its version says.
    if samples.dropLast().contains(where: \.isCompressed) { throw .sf3 }
  }

  private static func bags(_ t: (offset: Int, count: Int), _ r: ByteReader) -> [ZoneBag] {
    (0..<t.count).map { i in
      ZoneBag(genIndex: Int(r.u16(t.offset + i * 4)), modIndex: Int(r.u16(t.offset + i * 4 + 2)))
    }
  }

  private static func gens(_ t: (offset: Int, count: Int), _ r: ByteReader) -> [GenRecord] {
    (0..<t.count).map { i in GenRecord(oper: Int(r.u16(t.offset + i * 4)), amount: r.u16(t.offset + i * 4 + 2)) }
  }

  private static func mods(_ t: (offset: Int, count: Int), _ r: ByteReader) -> [ModRecord] {
    (0..<t.count).map { i in
      let o = t.offset + i * 10
      return ModRecord(
        source: r.u16(o), destination: r.u16(o + 2), amount: r.i16(o + 4),
        amountSource: r.u16(o + 6), transform: r.u16(o + 8))
    }
  }

  /// Preset/instrument headers: bag indices must not decrease, and each header's zones
  /// `bag[i] ..< bag[i+1]` need a following bag record to end them, so indices stay below the bag count.
  private static func checkHeaders(
    _ indices: [Int], names: [String], chunk: String, bagChunk: String, bagCount: Int
  ) throws(SoundFontError) {
    var previous = 0
    for (i, b) in indices.enumerated() {
      guard b < bagCount else {
        throw .malformed("pdta/\(chunk)", "bag index \(b) of '\(names[i])' past \(bagChunk)'s \(bagCount) records")
      }
      guard b >= previous else {
        throw .malformed("pdta/\(chunk)", "bag index \(b) of '\(names[i])' is below the previous record's \(previous)")
      }
      previous = b
    }
  }

  /// Bags: generator and modulator indices must not decrease and must stay within their tables
  /// (a zone's records are `index[i] ..< index[i+1]`, so the terminal bag may equal the count).
  private static func checkBags(
    _ bags: [ZoneBag], chunk: String, genChunk: String, genCount: Int, modChunk: String, modCount: Int
  ) throws(SoundFontError) {
    var previous = ZoneBag(genIndex: 0, modIndex: 0)
    for (i, b) in bags.enumerated() {
      guard b.genIndex <= genCount else {
        throw .malformed(
          "pdta/\(chunk)", "record \(i): generator index \(b.genIndex) past \(genChunk)'s \(genCount) records")
      }
      guard b.modIndex <= modCount else {
        throw .malformed(
          "pdta/\(chunk)", "record \(i): modulator index \(b.modIndex) past \(modChunk)'s \(modCount) records")
      }
      guard b.genIndex >= previous.genIndex, b.modIndex >= previous.modIndex else {
        throw .malformed("pdta/\(chunk)", "record \(i): generator/modulator indices decrease")
      }
      previous = b
    }
  }
}
