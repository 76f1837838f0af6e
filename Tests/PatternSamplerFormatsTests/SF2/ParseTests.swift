import PatternSamplerFormats
import Testing

/// The error `body` throws, or nil.
func error(_ body: () throws -> Void) -> SoundFontError? {
  do { try body() } catch let e as SoundFontError { return e } catch { return nil }
  return nil
}

@Suite struct ParseTests {
  @Test func metadataAndPresetList() throws {
    var font = TestFont()
    font.presets = [
      TestFont.Preset(name: "Drums", bank: 128, program: 0),
      TestFont.Preset(name: "Organ", bank: 0, program: 19, zones: [TestFont.Zone([G.keys(36, 96)], target: 0)]),
      TestFont.Preset(name: "Piano", bank: 0, program: 0),
    ]
    let sf = try SoundFont(bytes: font.bytes)
    #expect(sf.version == SoundFont.Version(major: 2, minor: 4))
    #expect(sf.name == "Test Font")
    #expect(sf.presets.map(\.name) == ["Piano", "Organ", "Drums"])
    #expect(sf.presets.map(\.keyRange) == [0...127, 36...96, 0...127])
    #expect(sf.samples.count == 1 && sf.samples[0].name == "Sine")
    #expect(sf.warnings.isEmpty)
    #expect(error { _ = try sf.regions(bank: 5, program: 5) }?.kind == .noSuchPreset)
  }

  @Test func sf3IsRejected() {
    var font = TestFont()
    font.version = (3, 1)
    let e = error { _ = try SoundFont(bytes: font.bytes) }
    #expect(e?.kind == .compressedSF3)
    #expect(e?.description == "SF3 (compressed, Ogg Vorbis) fonts are not supported; convert to SF2")
    font.version = (2, 4)
    font.samples[0].type = 0x11
    #expect(error { _ = try SoundFont(bytes: font.bytes) }?.kind == .compressedSF3)
  }

  @Test func romSamplesFailOnlyThePresetsUsingThem() throws {
    var font = TestFont()
    font.samples = [TestFont.Sample(name: "RAM"), TestFont.Sample(name: "ROMPiano", type: 0x8001)]
    font.instruments = [
      TestFont.Instrument(name: "A", zones: [TestFont.Zone(target: 0)]),
      TestFont.Instrument(name: "B", zones: [TestFont.Zone(target: 1)]),
    ]
    font.presets = [
      TestFont.Preset(name: "Uses RAM", program: 0, zones: [TestFont.Zone(target: 0)]),
      TestFont.Preset(name: "Uses ROM", program: 1, zones: [TestFont.Zone(target: 1)]),
    ]
    let sf = try SoundFont(bytes: font.bytes)
    #expect(try sf.regions(bank: 0, program: 0).regions.count == 1)
    let e = error { _ = try sf.regions(bank: 0, program: 1) }
    #expect(e?.kind == .romSample)
    #expect(e?.description.contains("'ROMPiano'") == true)
  }

  @Test func chunkErrorsNameTheChunk() {
    var font = TestFont()
    font.overrides["pgen"] = [UInt8](repeating: 0, count: 13)
    #expect(error { _ = try SoundFont(bytes: font.bytes) }?.description == "pdta/pgen: size 13 is not a multiple of 4")

    font = TestFont()
    font.omitted = ["smpl"]
    #expect(error { _ = try SoundFont(bytes: font.bytes) }?.description == "sdta/smpl: chunk missing")

    font = TestFont()
    font.omitted = ["LIST pdta"]
    #expect(error { _ = try SoundFont(bytes: font.bytes) }?.description == "LIST pdta: chunk missing")

    font = TestFont()
    font.omitted = ["imod"]
    #expect(error { _ = try SoundFont(bytes: font.bytes) }?.description == "pdta/imod: chunk missing")

    // phdr pointing past pbag: preset 0 bag index 900.
    font = TestFont()
    var phdr = name20("Piano") + le16(0) + le16(0) + le16(900) + [UInt8](repeating: 0, count: 12)
    phdr += name20("EOP") + le16(0) + le16(0) + le16(1) + [UInt8](repeating: 0, count: 12)
    font.overrides["phdr"] = phdr
    #expect(
      error { _ = try SoundFont(bytes: font.bytes) }?.description
        == "pdta/phdr: bag index 900 of 'Piano' past pbag's 2 records")

    // A preset zone naming a missing instrument fails that preset only.
    font = TestFont()
    font.presets[0].zones = [TestFont.Zone(target: 7)]
    let e = error { _ = try SoundFont(bytes: font.bytes).regions(bank: 0, program: 0) }
    #expect(e?.chunk == "pdta/pgen" && e?.message.contains("instrument index 7") == true)
  }

  @Test func truncatedFilesNameTheTruncatedChunk() throws {
    let bytes = TestFont().bytes
    var named: Set<String> = []
    for cut in stride(from: 0, to: bytes.count, by: 1) {
      let e = error { _ = try SoundFont(bytes: Array(bytes.prefix(cut))) }
      let err = try #require(e, "a file cut at \(cut) of \(bytes.count) bytes parsed")
      #expect(!err.chunk.isEmpty)
      named.insert(err.chunk)
    }
    #expect(named.isSuperset(of: ["RIFF", "LIST INFO", "LIST sdta", "LIST pdta"]))
  }

  @Test func emptyAndGarbageInput() {
    #expect(error { _ = try SoundFont(bytes: []) }?.chunk == "RIFF")
    #expect(error { _ = try SoundFont(bytes: Array("RIFF\u{4}\0\0\0WAVE".utf8)) }?.description.contains("sfbk") == true)
  }
}
