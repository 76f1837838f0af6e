// Builds tiny SF2 files in memory for the tests: one RIFF with INFO, sdta and pdta from simple descriptions.

/// A generator record (operator, raw 16-bit amount).
struct G {
  var op: Int
  var amount: UInt16

  /// A signed generator value.
  init(_ op: Int, _ value: Int) {
    self.op = op
    self.amount = UInt16(bitPattern: Int16(truncatingIfNeeded: value))
  }

  /// A key or velocity range.
  static func range(_ op: Int, _ lo: Int, _ hi: Int) -> G {
    var g = G(op, 0)
    g.amount = UInt16(lo & 0xFF) | UInt16(hi & 0xFF) << 8
    return g
  }

  static func keys(_ lo: Int, _ hi: Int) -> G { range(43, lo, hi) }
  static func vels(_ lo: Int, _ hi: Int) -> G { range(44, lo, hi) }
}

struct TestFont {
  struct Sample {
    var name = "Sine"
    var frames: [Int16] = (0..<100).map { Int16($0 * 100) }
    var rate = 44100
    var pitch = 60
    var correction = 0
    /// Relative to the sample's first frame.
    var loopStart = 10, loopEnd = 90
    var type = 1
    var link = 0
  }

  struct Zone {
    var gens: [G]
    /// Instrument (preset zone) or sample (instrument zone) index, appended last; nil = global zone.
    var target: Int?
    var modulators = 0
    init(_ gens: [G] = [], target: Int?, modulators: Int = 0) {
      self.gens = gens
      self.target = target
      self.modulators = modulators
    }
  }

  struct Instrument {
    var name = "Inst"
    var zones: [Zone] = [Zone(target: 0)]
  }

  struct Preset {
    var name = "Piano"
    var bank = 0
    var program = 0
    var zones: [Zone] = [Zone(target: 0)]
  }

  var version: (Int, Int) = (2, 4)
  var name = "Test Font"
  var samples = [Sample()]
  var instruments = [Instrument()]
  var presets = [Preset()]
  var sm24: [UInt8]? = nil
  /// Replaces a chunk's data by id ("pgen", "smpl", "ifil"…).
  var overrides: [String: [UInt8]] = [:]
  /// Chunk ids (or "LIST xxxx") to leave out.
  var omitted: Set<String> = []

  var bytes: [UInt8] {
    var smpl: [UInt8] = []
    var shdr: [UInt8] = []
    for s in samples {
      let start = smpl.count / 2
      for f in s.frames { smpl += le16(Int(UInt16(bitPattern: f))) }
      smpl += [UInt8](repeating: 0, count: 46 * 2)
      shdr += name20(s.name) + le32(start) + le32(start + s.frames.count) + le32(start + s.loopStart)
      shdr += le32(start + s.loopEnd) + le32(s.rate) + [UInt8(s.pitch & 0xFF), UInt8(bitPattern: Int8(s.correction))]
      shdr += le16(s.link) + le16(s.type)
    }
    shdr += name20("EOS") + [UInt8](repeating: 0, count: 26)

    var (ibag, igen, imod, inst) = ([UInt8](), [UInt8](), [UInt8](), [UInt8]())
    var (bagCount, genCount, modCount) = (0, 0, 0)
    for i in instruments {
      inst += name20(i.name) + le16(bagCount)
      for z in i.zones {
        ibag += le16(genCount) + le16(modCount)
        bagCount += 1
        for g in z.gens + (z.target.map { [G(53, $0)] } ?? []) {
          igen += le16(g.op) + le16(Int(g.amount)); genCount += 1
        }
        for _ in 0..<z.modulators { imod += modulator; modCount += 1 }
      }
    }
    inst += name20("EOI") + le16(bagCount)
    ibag += le16(genCount) + le16(modCount)
    igen += [0, 0, 0, 0]
    imod += [UInt8](repeating: 0, count: 10)

    var (pbag, pgen, pmod, phdr) = ([UInt8](), [UInt8](), [UInt8](), [UInt8]())
    (bagCount, genCount, modCount) = (0, 0, 0)
    for p in presets {
      phdr += name20(p.name) + le16(p.program) + le16(p.bank) + le16(bagCount) + [UInt8](repeating: 0, count: 12)
      for z in p.zones {
        pbag += le16(genCount) + le16(modCount)
        bagCount += 1
        for g in z.gens + (z.target.map { [G(41, $0)] } ?? []) {
          pgen += le16(g.op) + le16(Int(g.amount)); genCount += 1
        }
        for _ in 0..<z.modulators { pmod += modulator; modCount += 1 }
      }
    }
    phdr += name20("EOP") + le16(0) + le16(0) + le16(bagCount) + [UInt8](repeating: 0, count: 12)
    pbag += le16(genCount) + le16(modCount)
    pgen += [0, 0, 0, 0]
    pmod += [UInt8](repeating: 0, count: 10)

    let info = list("INFO", [chunk("ifil", le16(version.0) + le16(version.1)), chunk("INAM", Array(name.utf8) + [0])])
    let sdta = list("sdta", [chunk("smpl", smpl)] + (sm24.map { [chunk("sm24", $0)] } ?? []))
    let pdta = list(
      "pdta",
      [
        chunk("phdr", phdr), chunk("pbag", pbag), chunk("pmod", pmod), chunk("pgen", pgen), chunk("inst", inst),
        chunk("ibag", ibag), chunk("imod", imod), chunk("igen", igen), chunk("shdr", shdr),
      ])
    let body = Array("sfbk".utf8) + info + sdta + pdta
    return Array("RIFF".utf8) + le32(body.count) + body
  }

  /// velocity → attenuation with another amount (a record redefining a default modulator).
  private var modulator: [UInt8] { le16(0x0502) + le16(48) + le16(480) + le16(0) + le16(0) }

  private func chunk(_ id: String, _ data: [UInt8]) -> [UInt8] {
    if omitted.contains(id) { return [] }
    let d = overrides[id] ?? data
    return Array(id.utf8) + le32(d.count) + d + (d.count % 2 == 1 ? [0] : [])
  }

  private func list(_ type: String, _ chunks: [[UInt8]]) -> [UInt8] {
    if omitted.contains("LIST \(type)") { return [] }
    let body = Array(type.utf8) + chunks.flatMap { $0 }
    return Array("LIST".utf8) + le32(body.count) + body
  }
}

func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16((v >> 16) & 0xFFFF) }
func name20(_ s: String) -> [UInt8] { Array((Array(s.utf8) + [UInt8](repeating: 0, count: 20)).prefix(20)) }
