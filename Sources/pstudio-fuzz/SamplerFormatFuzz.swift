import Foundation
import PatternFuzzKit
import PatternSamplerFormats

/// Fuzzing of the SoundFont 2 and SFZ readers: mutated real fonts (their sample data cut to 64 KB, the preset
/// tables whole) and mutated or random SFZ text. A case passes when the reader returns, whatever it returns;
/// a crash, trap or hang fails it (the watchdog and the address-space limit of `main.swift` apply).
enum SamplerFormatFuzz {
  /// The SF2 seeds: the system fonts found, reduced.
  static let fonts: [[UInt8]] = ["/usr/share/sounds/sf2/sf_GMbank.sf2", "/usr/share/sounds/sf2/TimGM6mb.sf2"]
    .compactMap { path in FileManager.default.contents(atPath: path).flatMap { reduced(Array($0)) } }

  /// Per seed font: where its preset tables start, and its chunk ids (found once, not per case).
  static let pdtas = fonts.map(pdtaStart)
  static let tags = fonts.map(chunkTags)

  /// A font with its `smpl` data cut to 64 KB: INFO, a short sdta and the whole pdta.
  static func reduced(_ b: [UInt8]) -> [UInt8]? {
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    var lists: [String: [UInt8]] = [:]
    var p = 12
    while p + 12 <= b.count {
      let size = Int(b[p + 4]) | Int(b[p + 5]) << 8 | Int(b[p + 6]) << 16 | Int(b[p + 7]) << 24
      lists[String(decoding: b[p + 8..<p + 12], as: UTF8.self)] = Array(b[p..<min(b.count, p + 8 + size)])
      p += 8 + size + (size & 1)
    }
    guard let info = lists["INFO"], let pdta = lists["pdta"] else { return nil }
    let smpl = Array(lists["sdta"]?.dropFirst(20).prefix(65_536) ?? [])
    let sdtaBody = Array("sdtasmpl".utf8) + le32(smpl.count) + smpl
    let body = Array("sfbk".utf8) + info + Array("LIST".utf8) + le32(sdtaBody.count) + sdtaBody + pdta
    return Array("RIFF".utf8) + le32(body.count) + body
  }

  /// One SF2 case: a seed font with 1 … 4 mutations (bytes and 16-bit fields, mostly in the preset tables;
  /// chunk sizes; truncation; deleted ranges), parsed, three presets resolved, one region decoded.
  static func sf2(seed: UInt64) -> (bytes: [UInt8], outcome: String) {
    guard !fonts.isEmpty else { return ([], "no font") }
    var rng = SplitMix64(seed: seed)
    let which = Int(rng.next() % UInt64(fonts.count))
    var b = fonts[which]
    let pdta = pdtas[which]
    for _ in 0...(rng.next() % 4) where !b.isEmpty {
      let r = rng.next()
      // The preset tables as far as the font still reaches (an earlier mutation may have cut it).
      let tables = min(pdta, b.count - 1)..<b.count
      let at = Int((r >> 8) % UInt64(b.count))
      let inTables = tables.count > 2 ? tables.lowerBound + Int((r >> 24) % UInt64(tables.count - 1)) : at
      switch r % 8 {
      case 0, 1: b[inTables] = UInt8(truncatingIfNeeded: r >> 40)
      case 2, 3:
        // A table field (an index, a generator, an amount) set to an extreme or random value.
        let v: UInt16 = [0, 1, 0x7FFF, 0x8000, 0xFFFF, UInt16(truncatingIfNeeded: r >> 40)][Int((r >> 4) % 6)]
        if inTables + 1 < b.count { (b[inTables], b[inTables + 1]) = (UInt8(v & 0xFF), UInt8(v >> 8)) }
      case 4: b[at] ^= 1 << UInt8((r >> 4) % 8)
      case 5: b.removeLast(Int((r >> 16) % UInt64(b.count)))
      case 6:
        // A chunk size: four bytes before a chunk tag.
        if let tag = tags[which].randomPick(r), tag >= 4, tag <= b.count {
          for i in 0..<4 { b[tag - 4 + i] = UInt8(truncatingIfNeeded: (r >> 32) >> (8 * UInt64(i))) }
        }
      default: b.removeSubrange(at..<min(b.count, at + 1 + Int((r >> 40) % 16)))
      }
    }
    guard let font = try? SoundFont(bytes: b) else { return (b, "rejected") }
    for k in 0..<min(3, font.presets.count) {
      let preset = font.presets[Int((rng.next() &+ UInt64(k)) % UInt64(font.presets.count))]
      if let (regions, _) = try? font.regions(for: preset), let region = regions.first {
        _ = try? font.frames(for: region.sample, in: b)
      }
    }
    return (b, "parsed")
  }

  static func pdtaStart(_ b: [UInt8]) -> Int {
    let tag = Array("pdta".utf8)
    guard b.count >= 4 else { return 0 }
    for i in stride(from: b.count - 4, through: 0, by: -1) where b[i..<i + 4].elementsEqual(tag) { return i + 4 }
    return 0
  }

  /// Offsets of the RIFF chunk ids a size field follows (`smpl`, `phdr` … `shdr`).
  static func chunkTags(_ b: [UInt8]) -> [Int] {
    let tags = ["smpl", "phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr"].map { Array($0.utf8) }
    var found: [Int] = []
    var i = 0
    while i + 8 <= b.count {
      if tags.contains(where: { b[i..<i + 4].elementsEqual($0) }) { found.append(i + 4) }
      i += 2
    }
    return found
  }

  /// The SFZ seed: every header, opcode family, `#define`, `#include` (a cycle too), comments, odd values.
  static let sfzText = """
    // fuzz seed
    #define $V 64
    #define $SAMPLE piano C4.wav
    <control> default_path=samples\\ set_cc64=127 note_offset=0
    <global> ampeg_release=0.8 amp_veltrack=80 volume=-3
    <master> amplitude=90 rt_decay=6
    #include "inc.sfz"
    <group> lovel=1 hivel=$V ampeg_attack=0.005 ampeg_decay=2 ampeg_sustain=40 cutoff=8000 resonance=3
    fileg_depth=1200 fileg_attack=0.01 pitchlfo_freq=5 pitchlfo_depth=20 amplfo_freq=3 amplfo_depth=2
    <region> sample=$SAMPLE lokey=c4 hikey=e4 pitch_keycenter=d4 loop_mode=loop_sustain loop_start=10 loop_end=90
    <region> sample=x.wav key=61 seq_length=2 seq_position=2 lorand=0.5 hirand=1 group=1 off_by=2
    <region> sample=y.wav trigger=release locc64=64 hicc64=127 pan=-50 tune=-12 transpose=1 offset=3 end=50
    /* block
    comment */ <curve> v000=0 v127=1 <effect> type=reverb
    <region> sample=*sine key=-1 amp_velcurve_64=0.5 pitch_keycenter=sample one_shot=1 loopmode=one_shot
    """
  static let sfzInclude = "<group> group=2 <region> sample=z.wav key=60 #include \"main.sfz\"\n"

  /// One SFZ case: the seed with byte or token mutations, or a soup of random tokens.
  static func sfz(seed: UInt64) -> (bytes: [UInt8], outcome: String) {
    var rng = SplitMix64(seed: seed)
    let tokens = [
      "<", ">", "=", "$", "#", "\"", "/", "*", "//", "/*", "*/", "\n", "\r\n", "\t", " ", "\\", "é", "\u{0}",
      "<region>", "<group>", "<global>", "<master>", "<control>", "#define $X ", "#define $X $X$X ", "$X",
      "#include \"inc.sfz\"", "#include \"main.sfz\"", "sample=", "key=", "lokey=", "hivel=", "loop_end=",
      "ampeg_release=", "-1", "1e308", "nan", "99999999999999999999", "c#4", "b-1", "g9", "0.5", "seq_length=0",
    ]
    var text: [UInt8]
    if rng.next() % 4 == 0 {
      text = (0..<Int(rng.next() % 400)).flatMap { _ in Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8) }
    } else {
      text = Array(sfzText.utf8)
      for _ in 0...(rng.next() % 6) where !text.isEmpty {
        let r = rng.next()
        let at = Int((r >> 8) % UInt64(text.count))
        switch r % 4 {
        case 0: text[at] = UInt8(truncatingIfNeeded: r >> 40)
        case 1: text.insert(contentsOf: Array(tokens[Int((r >> 40) % UInt64(tokens.count))].utf8), at: at)
        case 2: text.removeSubrange(at..<min(text.count, at + 1 + Int((r >> 40) % 32)))
        default:
          // Repeat a piece (long lines, many regions).
          let piece = Array(text[at..<min(text.count, at + 1 + Int((r >> 40) % 64))])
          for _ in 0..<Int((r >> 20) % 64) { text += piece }
        }
      }
    }
    let files = ["/sfz/main.sfz": String(decoding: text, as: UTF8.self), "/sfz/inc.sfz": sfzInclude]
    let instrument = SFZInstrument.parse(
      text: files["/sfz/main.sfz"]!, fileName: "/sfz/main.sfz",
      readFile: { path in
        guard let t = files[path] else { throw CocoaError(.fileNoSuchFile) }
        return t
      })
    return (text, "\(instrument.regions.isEmpty ? "no regions" : "regions")")
  }
}

extension Array where Element == Int {
  /// An element chosen by `r` (nil when empty).
  fileprivate func randomPick(_ r: UInt64) -> Int? { isEmpty ? nil : self[Int((r >> 12) % UInt64(count))] }
}
