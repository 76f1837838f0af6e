import PatternFuzzKit
import PatternSamplerFormats
import Testing

/// Offsets of every chunk size field in a RIFF file (to mutate sizes specifically).
func sizeFieldOffsets(_ b: [UInt8]) -> [Int] {
  var result = [4]
  func walk(_ from: Int, _ to: Int) {
    var p = from
    while p + 8 <= to {
      let size = Int(b[p + 4]) | Int(b[p + 5]) << 8 | Int(b[p + 6]) << 16 | Int(b[p + 7]) << 24
      result.append(p + 4)
      if b[p..<p + 4].elementsEqual("LIST".utf8) { walk(p + 12, min(to, p + 8 + size)) }
      p += 8 + size + (size & 1)
    }
  }
  walk(12, b.count)
  return result
}

/// Offset of the first byte after "pdta" in a font (0 if absent).
func pdtaStart(_ b: [UInt8]) -> Int {
  let tag = Array("pdta".utf8)
  guard b.count >= 4 else { return 0 }
  for i in 0...(b.count - 4) where b[i..<i + 4].elementsEqual(tag) { return i + 4 }
  return 0
}

/// TimGM6mb with its sample data cut to the first 64 KB: INFO + short smpl + the full pdta.
func reducedTimGM() -> [UInt8]? {
  guard let b = readFile("/usr/share/sounds/sf2/TimGM6mb.sf2") else { return nil }
  var lists: [String: [UInt8]] = [:]
  var p = 12
  while p + 12 <= b.count {
    let size = Int(b[p + 4]) | Int(b[p + 5]) << 8 | Int(b[p + 6]) << 16 | Int(b[p + 7]) << 24
    let type = String(decoding: b[p + 8..<p + 12], as: UTF8.self)
    lists[type] = Array(b[p..<min(b.count, p + 8 + size)])
    p += 8 + size + (size & 1)
  }
  guard let info = lists["INFO"], let pdta = lists["pdta"] else { return nil }
  // "LIST" size "sdta" "smpl" size = 20 bytes before the first sample point.
  let smpl = Array(lists["sdta"]?.dropFirst(20).prefix(65536) ?? [])
  let sdtaBody = Array("sdta".utf8) + Array("smpl".utf8) + le32(smpl.count) + smpl
  let sdta = Array("LIST".utf8) + le32(sdtaBody.count) + sdtaBody
  let body = Array("sfbk".utf8) + info + sdta + pdta
  return Array("RIFF".utf8) + le32(body.count) + body
}

/// A tiny font with stereo, global zones, modulators and loops, to give the mutator more to break.
func richTinyFont() -> [UInt8] {
  var font = TestFont()
  font.samples = [
    TestFont.Sample(name: "L", type: 4, link: 1), TestFont.Sample(name: "R", type: 2, link: 0),
    TestFont.Sample(name: "M", loopStart: 5, loopEnd: 50),
  ]
  font.instruments = [
    TestFont.Instrument(
      name: "St",
      zones: [
        TestFont.Zone([G(34, 100)], target: nil, modulators: 1),
        TestFont.Zone([G.keys(0, 64), G(54, 1)], target: 0),
      ]),
    TestFont.Instrument(name: "Mo", zones: [TestFont.Zone([G.keys(10, 90), G(54, 3), G(0, 4)], target: 2)]),
  ]
  font.presets = [
    TestFont.Preset(
      name: "A",
      zones: [
        TestFont.Zone([G(48, 20)], target: nil),
        TestFont.Zone([G.keys(0, 100)], target: 0, modulators: 1),
        TestFont.Zone([], target: 1),
      ]),
    TestFont.Preset(name: "B", bank: 1, program: 3, zones: [TestFont.Zone(target: 1)]),
  ]
  return font.bytes
}

/// Applies 1 … 4 random mutations.
/// Half the byte changes land in `hot` (the pdta tables), where they reach the resolver instead of the
/// chunk parser.
func mutate(_ seed: [UInt8], sizeFields: [Int], hot: Range<Int>, rng: inout SplitMix64) -> [UInt8] {
  var b = seed
  for _ in 0..<Int.random(in: 1...4, using: &rng) {
    guard !b.isEmpty else { break }
    switch Int.random(in: 0..<12, using: &rng) {
    case 0...3:  // random byte, mostly in the tables
      let o =
        Bool.random(using: &rng) && hot.upperBound <= b.count
        ? Int.random(in: hot, using: &rng)
        : Int.random(in: 0..<b.count, using: &rng)
      b[o] = UInt8.random(in: 0...255, using: &rng)
    case 9, 10:  // a table's 16-bit field (index, generator, amount) set to a random or extreme value
      guard hot.upperBound <= b.count, hot.count > 2 else { break }
      let o = Int.random(in: hot.lowerBound..<(hot.upperBound - 1), using: &rng)
      let x = [UInt16.random(in: 0...0xFFFF, using: &rng), UInt16.random(in: 0...200, using: &rng), 0xFFFF]
        .randomElement(using: &rng)!
      b[o] = UInt8(x & 0xFF)
      b[o + 1] = UInt8(x >> 8)
    case 4:  // bit flip
      b[Int.random(in: 0..<b.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
    case 5:  // truncation
      b.removeLast(Int.random(in: 0..<b.count, using: &rng))
    case 6, 7:  // size field: small nudge, zero, huge or random
      let o = sizeFields[Int.random(in: 0..<sizeFields.count, using: &rng)]
      guard o + 4 <= b.count else { break }
      let old = Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
      let new = [
        old + Int.random(in: -9...9, using: &rng), 0, 0xFFFF_FFFF, Int.random(in: 0...0xFFFF_FFFF, using: &rng),
      ]
      .randomElement(using: &rng)!
      let v = le32(max(0, min(new, 0xFFFF_FFFF)))
      for i in 0..<4 { b[o + i] = v[i] }
    case 8:  // any 16-bit field set to an extreme
      let o = Int.random(in: 0..<(b.count - 1 > 0 ? b.count - 1 : 1), using: &rng)
      guard o + 1 < b.count else { break }
      let v: [UInt16] = [0, 1, 0x7FFF, 0x8000, 0xFFFF]
      let x = v.randomElement(using: &rng)!
      b[o] = UInt8(x & 0xFF)
      b[o + 1] = UInt8(x >> 8)
    default:  // delete a range
      let a = Int.random(in: 0..<b.count, using: &rng)
      b.removeSubrange(a..<min(b.count, a + Int.random(in: 1...16, using: &rng)))
    }
  }
  return b
}

/// Parses and, when that works, resolves a few presets and decodes one region: must never crash.
func exercise(_ bytes: [UInt8], rng: inout SplitMix64) -> Bool {
  guard let sf = try? SoundFont(bytes: bytes) else { return false }
  for _ in 0..<min(3, sf.presets.count) {
    let p = sf.presets[Int.random(in: 0..<sf.presets.count, using: &rng)]
    guard let (regions, _) = try? sf.regions(for: p), let r = regions.first else { continue }
    _ = try? sf.frames(for: r.sample, in: bytes)
  }
  return true
}

@Suite struct SF2FuzzTests {
  @Test func mutatedFontsNeverCrash() throws {
    var seeds = [richTinyFont()]
    if let tim = reducedTimGM() { seeds.append(tim) }
    var rng = SplitMix64(seed: 0x5F2_F0_2026)
    let sizeFields = seeds.map(sizeFieldOffsets)
    // The pdta list is the last chunk of both seeds; its records start after the phdr header.
    let hot = seeds.map { seed in pdtaStart(seed)..<seed.count }
    var parsed = 0
    #if DEBUG
      let iterations = 4_000  // a debug build is ~20× slower; `swift test -c release` runs all 20 000
    #else
      let iterations = 20_000
    #endif
    let clock = ContinuousClock()
    let t = clock.measure {
      for i in 0..<iterations {
        // Three quarters tiny (cheap), one quarter the real font's pdta.
        let k = i % 4 == 3 ? seeds.count - 1 : 0
        if exercise(mutate(seeds[k], sizeFields: sizeFields[k], hot: hot[k], rng: &rng), rng: &rng) { parsed += 1 }
      }
    }
    print("fuzz: \(iterations) mutated fonts (\(seeds.count) seeds), \(parsed) still parsed, \(t)")
    #expect(parsed > 0)
  }
}
