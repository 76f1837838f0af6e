import Foundation
import PatternFuzzKit
import Testing

@testable import PatternSamplerFormats

private let tokens: [String] = [
  "<", ">", "=", "$", "#", "\"", "/", "*", "//", "/*", "*/", "\n", "\r\n", "\t", " ", "\\", "é", "♯", "\u{0}",
  "<region>", "<group>", "<global>", "<master>", "<control>", "<curve>", "#define $X ", "#define $X $X$X ",
  "#include \"inc/articulations.sfz\"", "#include \"self.sfz\"", "#include \"", "$X", "$", "sample=",
  "key=", "lokey=-1", "hikey=-1", "=1e999", "=-1e999", "=99999999999999999999", "=c#4", "=nan", "=.", "=-",
  "loop_end=0", "end=0", "seq_position=100", "locc1=", "amp_velcurve_127=", "set_cc1=",
]

private let opcodeNames: [String] =
  Array(OpcodeCatalog.kinds.keys).sorted() + [
    "amp_velcurve_0", "amp_velcurve_64", "locc1", "hicc1", "locc511", "hicc512", "set_cc1", "set_hdcc7",
    "default_path", "note_offset", "octave_offset", "loopmode", "tune", "gain", "cutoff1", "bogus", "$X", "x$Y",
  ]

private let values: [String] = [
  "0", "1", "-1", "127", "128", "60", "c4", "db-1", "g#9", "0.5", "-0.0", "1e3", "1e", ".5", "5.", "abc", "",
  "loop_continuous", "one_shot", "loop_sustain", "no_loop", "release", "attack", "legato", "lpf_2p", "hpf_1p",
  "sample", "a b.wav", "*sine", "..\\..\\x.wav", "$X", "99999999999999999999999", "-1e308", "1e-320",
]

private func mutate(_ base: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
  var b = base
  for _ in 0..<Int.random(in: 1...8, using: &rng) {
    let i = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
    switch Int.random(in: 0..<6, using: &rng) {
    case 0 where !b.isEmpty: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...40, using: &rng)))
    case 1: b.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: i)
    case 2 where !b.isEmpty: b[i] = UInt8.random(in: 0...255, using: &rng)
    case 3 where !b.isEmpty:
      let j = min(b.count, i + Int.random(in: 1...200, using: &rng))
      b.insert(contentsOf: b[i..<j], at: Int.random(in: 0...b.count, using: &rng))
    case 4: b.insert(contentsOf: Array(values.randomElement(using: &rng)!.utf8), at: i)
    default: if !b.isEmpty { b.swapAt(i, Int.random(in: 0..<b.count, using: &rng)) }
    }
  }
  return b
}

private func soup(_ rng: inout SplitMix64) -> String {
  var s = ""
  for _ in 0..<Int.random(in: 1...60, using: &rng) {
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: s += ["<region>", "<group>", "<global>", "<master>", "<control>", "<effect>"].randomElement(using: &rng)!
    case 1:
      s += ["\n", " ", "\t", "// c\n", "/* c */", "#define $X 3 ", "#include \"self.sfz\"\n"].randomElement(
        using: &rng)!
    default:
      s += opcodeNames.randomElement(using: &rng)! + "=" + values.randomElement(using: &rng)!
    }
    s += Bool.random(using: &rng) ? " " : "\n"
  }
  return s
}

@Suite struct SFZFuzzTests {
  @Test func mutatedRichTextAndOpcodeSoupNeverCrashOrHang() throws {
    let rich = try String(contentsOfFile: fixturesFolder + "/rich.sfz", encoding: .utf8)
    let included = try String(contentsOfFile: fixturesFolder + "/inc/articulations.sfz", encoding: .utf8)
    var rng = SplitMix64(seed: 0x5F2_2026)
    let base = Array(rich.utf8)
    var limits = SFZLimits()
    limits.maxRegions = 2_000
    let clock = ContinuousClock()
    var slowest = Duration.zero
    var regions = 0
    let start = clock.now
    // A debug build is ~3× slower; `pstudio-fuzz sfz` (Scripts/fuzz, in CI) runs 100,000 in release.
    #if DEBUG
      let iterations = 4_000
    #else
      let iterations = 20_000
    #endif
    for n in 0..<iterations {
      let text = n % 4 == 3 ? soup(&rng) : String(decoding: mutate(base, &rng), as: UTF8.self)
      let incText = n % 8 == 0 ? String(decoding: mutate(Array(included.utf8), &rng), as: UTF8.self) : included
      let files = ["/fz/inc/articulations.sfz": incText, "/fz/self.sfz": text]
      let t0 = clock.now
      let inst = SFZInstrument.parse(
        text: text, fileName: "/fz/self.sfz", limits: limits, readFile: memoryLoader(files))
      slowest = max(slowest, clock.now - t0)
      regions += inst.regions.count
      for r in inst.regions {  // resolved values stay in range whatever the input
        #expect((0...127).contains(r.keyLow) && (0...127).contains(r.keyHigh) && r.keyLow <= r.keyHigh)
        #expect((0...127).contains(r.rootKey) && r.gainDb.isFinite && r.tuneCents.isFinite)
      }
    }
    let total = clock.now - start
    print("fuzz: 20000 inputs, \(regions) regions, total \(total), slowest \(slowest)")
    #expect(slowest < .seconds(2))
    #expect(total < .seconds(300))
  }

  @Test func pathologicalInputsStayCheap() {
    let clock = ContinuousClock()
    let cases = [
      String(repeating: "$", count: 200_000),
      String(repeating: "<", count: 100_000),
      String(repeating: "/*", count: 50_000),
      "#define $A $A$A\n<region> sample=" + String(repeating: "$A", count: 5_000),
      "<region> sample=" + String(repeating: "a ", count: 100_000),
      String(repeating: "<region> sample=x.wav key=60 lovel=1 hivel=2\n", count: 120_000),
      String(repeating: "x", count: 1_000_000),
      String(repeating: "\u{FFFF}é♯", count: 100_000),
      "<region> sample=a.wav " + String(repeating: "lokey=1 ", count: 100_000),  // one long line
      String(repeating: "#define $a b ", count: 50_000),
      String(repeating: "#include \"x.sfz\" ", count: 50_000),
    ]
    for text in cases {
      let t0 = clock.now
      let inst = SFZInstrument.parse(text: text, fileName: "p.sfz")
      #expect(clock.now - t0 < .seconds(30))
      #expect(inst.regions.count <= 100_000 && inst.warnings.count <= 10_001)
    }
  }
}
