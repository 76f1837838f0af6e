import Testing

@testable import PatternSamplerFormats

@Suite struct SyntaxTests {
  @Test func headerInheritance() {
    let inst = parse(
      """
      <global> volume=-6 pan=10 lovel=5
      <master> pan=20 transpose=1
      <group> pan=30 tune=7
      <region> sample=a.wav
      <region> sample=b.wav pan=40
      <group> hivel=100
      <region> sample=c.wav
      <master> lokey=10
      <region> sample=d.wav
      <global>
      <region> sample=e.wav
      """)
    let r = inst.regions
    #expect(r.count == 5)
    #expect(r[0].pan == 0.3 && r[0].gainDb == -6 && r[0].tuneCents == 107 && r[0].velLow == 5)
    #expect(r[1].pan == 0.4)
    // a new <group> resets group opcodes only
    #expect(r[2].pan == 0.2 && r[2].tuneCents == 100 && r[2].velHigh == 100)
    // a new <master> resets master and group
    #expect(r[3].pan == 0.1 && r[3].tuneCents == 0 && r[3].velHigh == 127 && r[3].keyLow == 10)
    // a new <global> resets everything
    #expect(r[4].pan == 0 && r[4].gainDb == 0 && r[4].velLow == 0 && r[4].keyLow == 0)
    #expect(inst.warnings.isEmpty)
  }

  @Test func commentsAndLineEnds() {
    let inst = parse("<region> sample=a.wav // key=1\r\n/* <region> sample=x.wav\n */ <region>sample=b.wav/*c*/key=3\n")
    #expect(inst.regions.map(path) == ["/sfz/a.wav", "/sfz/b.wav"])
    #expect(inst.regions[0].keyLow == 0 && inst.regions[1].keyLow == 3)
  }

  @Test func unterminatedBlockCommentWarns() {
    let inst = parse("<region> sample=a.wav /* never closed\n key=5")
    #expect(inst.regions.count == 1 && inst.regions[0].keyLow == 0)
    #expect(inst.warnings.count == 1 && inst.warnings[0].message.contains("unterminated"))
  }

  @Test func samplePathsWithSpaces() {
    let inst = parse(
      """
      <region> sample=My Piano C4 (soft).wav lokey=1 hikey=2
      <region> sample=dir\\Sub Dir\\x y.wav   <region> sample= trailing spaces.wav\t\t
      <region> sample=a b.wav#define X 1
      <region> sample=c d.wav #define $Y 2
      """, file: "/lib/inst/piano.sfz")
    #expect(
      inst.regions.map(path) == [
        "/lib/inst/My Piano C4 (soft).wav", "/lib/inst/dir/Sub Dir/x y.wav",
        "/lib/inst/trailing spaces.wav", "/lib/inst/a b.wav#define X 1",
        "/lib/inst/c d.wav",
      ])
    #expect(inst.regions[0].keyHigh == 2)
  }

  @Test func defaultPathAndRelativeFolders() {
    let inst = parse(
      """
      <control> default_path=..\\Samples\\
      <region> sample=a.wav
      <region> sample=/abs/b.wav
      <control>
      <region> sample=./c.wav
      """, file: "/lib/inst/piano.sfz")
    #expect(inst.regions.map(path) == ["/lib/Samples/a.wav", "/lib/Samples/abs/b.wav", "/lib/inst/c.wav"])
  }

  @Test func defines() {
    let inst = parse(
      """
      #define $KEY 60
      #define $NAME piano
      #define $OP lokey
      #define $LONG first second
      <region> sample=$NAME_$KEY.wav key=$KEY
      $OP=50
      <region> sample=$UNDEFINED.wav hikey=$LONG
      """)
    #expect(inst.regions.count == 2)
    #expect(path(inst.regions[0]) == "/sfz/piano_60.wav")
    #expect(inst.regions[0].keyLow == 50 && inst.regions[0].keyHigh == 60 && inst.regions[0].rootKey == 60)
    #expect(path(inst.regions[1]) == "/sfz/.wav")
    #expect(inst.warnings.contains { $0.message.contains("`$UNDEFINED` is not defined") && $0.line == 7 })
    // ARIA rule: a #define value is one word; "second" is then parsed as an opcode and fails.
    #expect(inst.warnings.contains { $0.line == 4 && $0.column == 21 })
  }

  @Test func recursiveDefineIsBounded() {
    let inst = parse("#define $A $A$A\n<region> sample=$A.wav")
    #expect(inst.regions.count == 1)
    #expect(inst.warnings.contains { $0.message.contains("expansion") })
  }

  @Test func includesRelativeToTopLevelThenIncludingFolder() throws {
    let files = [
      "/i/main.sfz": "#include \"sub/a.sfz\"\n<region> sample=m.wav key=$K",
      "/i/sub/a.sfz": "#define $K 61\n<group> volume=-2\n#include \"b.sfz\"\n#include \"sub/c.sfz\"",
      "/i/sub/b.sfz": "<region> sample=b.wav",
      "/i/sub/c.sfz": "<region> sample=c.wav",
    ]
    let inst = try SFZInstrument.load(path: "/i/main.sfz", readFile: memoryLoader(files))
    #expect(inst.regions.map(path) == ["/i/b.wav", "/i/c.wav", "/i/m.wav"])
    #expect(inst.regions.allSatisfy { $0.gainDb == -2 })
    #expect(inst.regions[2].keyLow == 61)
    #expect(inst.warnings.isEmpty)
  }

  @Test func includeCycleAndMissingFile() throws {
    let files = [
      "/c/main.sfz": "<region> sample=0.wav\n#include \"a.sfz\"\n#include \"missing.sfz\"",
      "/c/a.sfz": "<region> sample=a.wav\n  #include \"main.sfz\"",
    ]
    let inst = try SFZInstrument.load(path: "/c/main.sfz", readFile: memoryLoader(files))
    #expect(inst.regions.count == 2)
    let cycle = inst.warnings.first { $0.message.contains("cycle") }
    #expect(cycle?.file == "/c/a.sfz" && cycle?.line == 2 && cycle?.column == 3)
    #expect(inst.warnings.contains { $0.message.contains("cannot read") && $0.line == 3 })
  }

  @Test func includeDepthIsBounded() throws {
    var files: [String: String] = [:]
    for i in 0..<40 { files["/d/f\(i).sfz"] = "<region> sample=\(i).wav\n#include \"f\(i + 1).sfz\"" }
    var limits = SFZLimits()
    limits.maxIncludeDepth = 16
    let inst = try SFZInstrument.load(path: "/d/f0.sfz", limits: limits, readFile: memoryLoader(files))
    #expect(inst.regions.count == 16)
    #expect(inst.warnings.count == 1 && inst.warnings[0].message.contains("depth"))
  }

  @Test func includeFanOutIsBounded() throws {
    // Every file includes the next one twice: 2^20 includes without the count limit.
    var files: [String: String] = [:]
    for i in 0..<20 { files["/f/\(i).sfz"] = "#include \"\(i + 1).sfz\"\n#include \"\(i + 1).sfz\"" }
    files["/f/20.sfz"] = "<region> sample=x.wav"
    var limits = SFZLimits()
    limits.maxIncludeDepth = 32
    let inst = try SFZInstrument.load(path: "/f/0.sfz", limits: limits, readFile: memoryLoader(files))
    #expect(inst.regions.count <= limits.maxIncludedFiles)
    #expect(inst.warnings.contains { $0.message.contains("includes") })
  }

  @Test func unknownOpcodeWarnsOnceAtItsLocation() {
    let inst = parse(
      "<group> bogus_opcode=1\n<region> sample=a.wav\n<region> sample=b.wav\n<region>  sample=c.wav  Foo_bar=2")
    #expect(inst.regions.count == 3)
    #expect(inst.warnings.count == 2)
    #expect(inst.warnings[0].line == 1 && inst.warnings[0].column == 9 && inst.warnings[0].file == "/sfz/test.sfz")
    #expect(inst.warnings[1].line == 4 && inst.warnings[1].column == 25)
  }

  @Test func malformedLinesRecover() {
    let inst = parse("<region sample=a.wav\n< bad>\nkey =4\n=5\n#bogus\n<region> sample=ok.wav key=5\nlokey=1")
    #expect(inst.regions.count == 1 && inst.regions[0].keyLow == 1)
    #expect(inst.warnings.count == 5)
  }

  @Test func opcodeBeforeAnyHeaderAndIgnoredHeaders() {
    let inst = parse("volume=3\n<curve> v000=1\n<midi> x=1\n<foo> y=2\n<region> sample=a.wav")
    #expect(inst.regions.count == 1)
    #expect(inst.warnings.map(\.line) == [1, 2, 3, 4])
  }

  @Test func regionCountIsBounded() {
    var limits = SFZLimits()
    limits.maxRegions = 100
    let text = String(repeating: "<region> sample=a.wav\n", count: 250)
    let inst = SFZInstrument.parse(text: text, fileName: "x.sfz", limits: limits)
    #expect(inst.regions.count == 100)
    #expect(inst.warnings.count == 1 && inst.warnings[0].line == 101)
  }

  @Test func richFixtureLoadsFromDisk() throws {
    let inst = try SFZInstrument.load(path: fixturesFolder + "/rich.sfz")
    #expect(inst.regions.count == 10)
    #expect(inst.gatedOut == 1)
    #expect(inst.regions[0].loopMode == .oneShot)  // from the include
    #expect(path(inst.regions[1]).hasSuffix("/Fixtures/samples/piano/Grand Piano C4 soft.wav"))
    #expect(inst.warnings.count == 5)
  }
}
