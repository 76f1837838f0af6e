import PatternSamplerFormats
import Testing

/// SF2.04 generator numbers used by the tests (the library's table is internal).
enum N {
  static let startOffset = 0, endOffset = 1, startLoopOffset = 2, endLoopOffset = 3, startCoarse = 4
  static let modLfoToPitch = 5, vibLfoToPitch = 6, modEnvToPitch = 7, filterFc = 8, filterQ = 9
  static let endCoarse = 12, modLfoToVolume = 13, pan = 17, delayModLFO = 21, freqModLFO = 22
  static let delayVibLFO = 23, freqVibLFO = 24, attackModEnv = 26, sustainModEnv = 29
  static let delayVolEnv = 33, attackVolEnv = 34, holdVolEnv = 35, decayVolEnv = 36, sustainVolEnv = 37
  static let releaseVolEnv = 38, keynumToVolEnvHold = 39, keynumToVolEnvDecay = 40
  static let attenuation = 48, coarseTune = 51, fineTune = 52, sampleModes = 54, scaleTuning = 56
  static let exclusiveClass = 57, overridingRootKey = 58, startLoopCoarse = 45
}

/// Parses `font` and resolves its preset 0/0.
func resolve(_ font: TestFont, bank: Int = 0, program: Int = 0) throws -> (regions: [SamplerRegion], warnings: [String])
{
  try SoundFont(bytes: font.bytes).regions(bank: bank, program: program)
}

func close(_ a: Double, _ b: Double, _ eps: Double = 1e-9) -> Bool { abs(a - b) <= eps * max(1, abs(b)) }

@Suite struct RegionTests {
  @Test func defaultsOfAnEmptyZone() throws {
    var font = TestFont()
    font.samples[0].correction = -7
    let (regions, warnings) = try resolve(font)
    #expect(warnings.isEmpty)
    let r = try #require(regions.first)
    #expect(regions.count == 1)
    #expect(r.sample == .fontData(start: 0, end: 100))
    #expect(r.sampleRate == 44100)
    #expect((r.keyLow, r.keyHigh, r.velLow, r.velHigh) == (0, 127, 0, 127))
    #expect(r.rootKey == 60 && r.tuneCents == -7 && r.keyTrackCents == 100)
    #expect(r.gainDb == 0 && r.pan == 0 && r.stereoSide == 0)
    #expect(r.velocityCurve == .sf2Concave(rangeCentibels: 960) && r.velocityToFilterCents == -2400)
    #expect(r.offset == 0 && r.end == nil && r.loopMode == .noLoop && r.loopStart == 10 && r.loopEnd == 90)
    #expect(r.ampEnv.delay == 0 && r.ampEnv.attack == 0.001 && r.ampEnv.hold == 0 && r.ampEnv.decay == 0.001)
    #expect(r.ampEnv.sustain == 1 && r.ampEnv.release == 0.001)
    #expect(r.modEnv.sustain == 1)
    #expect(r.filterCutoffHz == nil && r.filterResonanceDb == 0)
    #expect(close(r.vibLFO.frequency, 8.176) && r.vibLFO.delay == 0 && r.modLFO.toVolumeDb == 0)
    #expect(r.exclusiveClass == 0 && r.fixedKey == nil && r.fixedVelocity == nil)
  }

  @Test func presetGeneratorsAddToInstrumentOnes() throws {
    var font = TestFont()
    font.instruments[0].zones = [
      TestFont.Zone(
        [
          G(N.coarseTune, 2), G(N.fineTune, 10), G(N.attenuation, 100),
          G(N.pan, -100), G(N.attackVolEnv, 1200),
        ], target: 0)
    ]
    font.presets[0].zones = [
      TestFont.Zone(
        [
          G(N.coarseTune, 1), G(N.attenuation, 50), G(N.pan, 350),
          G(N.attackVolEnv, -1200),
          // instrument-only: ignored at preset level
          G(N.overridingRootKey, 30), G(N.sampleModes, 1), G(N.startOffset, 5),
        ],
        target: 0)
    ]
    let r = try #require(try resolve(font).regions.first)
    #expect(r.tuneCents == 310)
    #expect(close(r.gainDb, -6))  // -0.4 × 150 cB / 10
    #expect(close(r.pan, 0.5))
    #expect(close(r.ampEnv.attack, 1))  // 1200 − 1200 tc = 0 tc = 1 s
    #expect(r.rootKey == 60 && r.loopMode == .noLoop && r.offset == 0)
  }

  @Test func sumsAreClampedToTheSpecRanges() throws {
    var font = TestFont()
    font.instruments[0].zones = [
      TestFont.Zone([G(N.attenuation, 1400), G(N.coarseTune, 100), G(N.pan, 400)], target: 0)
    ]
    font.presets[0].zones = [TestFont.Zone([G(N.attenuation, 200), G(N.coarseTune, 100), G(N.pan, 400)], target: 0)]
    let r = try #require(try resolve(font).regions.first)
    #expect(close(r.gainDb, -57.6))
    #expect(r.tuneCents == 12000)
    #expect(r.pan == 1)
  }

  @Test func rangesIntersectAndEmptyOnesAreDropped() throws {
    var font = TestFont()
    font.instruments[0].zones = [
      TestFont.Zone([G.keys(60, 100), G.vels(0, 90)], target: 0),
      TestFont.Zone([G.keys(0, 30)], target: 0),
      TestFont.Zone([G.keys(40, 80), G.vels(100, 127)], target: 0),
    ]
    font.presets[0].zones = [TestFont.Zone([G.keys(40, 80), G.vels(20, 95)], target: 0)]
    let (regions, _) = try resolve(font)
    #expect(regions.count == 1)
    #expect((regions[0].keyLow, regions[0].keyHigh, regions[0].velLow, regions[0].velHigh) == (60, 80, 20, 90))
    let listed = try SoundFont(bytes: font.bytes).presets
    // The listing looks at key ranges only (the 40…80 zone is unreachable by velocity but still counted).
    #expect(listed.map(\.keyRange) == [40...80])
  }

  @Test func globalZonesAreDefaults() throws {
    var font = TestFont()
    font.instruments[0].zones = [
      TestFont.Zone([G(N.attackVolEnv, 1200), G(N.fineTune, 5)], target: nil),
      TestFont.Zone([G.keys(0, 59)], target: 0),
      TestFont.Zone([G.keys(60, 127), G(N.attackVolEnv, 0)], target: 0),
    ]
    font.presets[0].zones = [
      TestFont.Zone([G(N.fineTune, 3)], target: nil),
      TestFont.Zone([G.keys(0, 127)], target: 0),
    ]
    let (regions, _) = try resolve(font)
    #expect(regions.count == 2)
    #expect(close(regions[0].ampEnv.attack, 2) && regions[0].tuneCents == 8)
    #expect(close(regions[1].ampEnv.attack, 1) && regions[1].tuneCents == 8)
  }

  @Test func timecentsAndUnitConversions() throws {
    var font = TestFont()
    font.instruments[0].zones = [
      TestFont.Zone(
        [
          G(N.delayVolEnv, -2400), G(N.holdVolEnv, 0), G(N.decayVolEnv, -1200), G(N.sustainVolEnv, 200),
          G(N.releaseVolEnv, 2400), G(N.keynumToVolEnvHold, 100), G(N.keynumToVolEnvDecay, -50),
          G(N.attackModEnv, 1200), G(N.sustainModEnv, 250), G(N.modEnvToPitch, 300),
          G(N.filterFc, 6900), G(N.filterQ, 100), G(N.delayVibLFO, 0), G(N.freqVibLFO, 1200), G(N.vibLfoToPitch, 50),
          G(N.delayModLFO, -1200), G(N.freqModLFO, -1200), G(N.modLfoToVolume, 60), G(N.modLfoToPitch, -20),
          G(N.scaleTuning, 50), G(N.exclusiveClass, 3), G(N.overridingRootKey, 72),
        ], target: 0)
    ]
    let r = try #require(try resolve(font).regions.first)
    #expect(close(r.ampEnv.delay, 0.25) && close(r.ampEnv.hold, 1) && close(r.ampEnv.decay, 0.5))
    #expect(close(r.ampEnv.sustain, 0.1) && close(r.ampEnv.release, 4))
    #expect(r.ampEnv.holdKeyTrackTimecents == 100 && r.ampEnv.decayKeyTrackTimecents == -50)
    #expect(close(r.ampEnv.hold(forKey: 48), 2) && close(r.ampEnv.decay(forKey: 36), 0.25))
    #expect(close(r.modEnv.attack, 2) && close(r.modEnv.sustain, 0.75) && r.modEnvToPitchCents == 300)
    #expect(close(try #require(r.filterCutoffHz), 440.0, 1e-3) && r.filterResonanceDb == 10)
    #expect(r.vibLFO.delay == 1 && close(r.vibLFO.frequency, 16.352) && r.vibLFO.toPitchCents == 50)
    #expect(close(r.modLFO.delay, 0.5) && close(r.modLFO.frequency, 4.088) && r.modLFO.toVolumeDb == 6)
    #expect(r.modLFO.toPitchCents == -20 && r.keyTrackCents == 50 && r.exclusiveClass == 3 && r.rootKey == 72)
  }

  @Test func addressOffsetsAndLoopModes() throws {
    var font = TestFont()
    font.samples[0].frames = [Int16](repeating: 1, count: 70000)
    font.samples[0].loopStart = 100
    font.samples[0].loopEnd = 60000
    font.instruments[0].zones = [
      TestFont.Zone(
        [
          G(N.startOffset, 10), G(N.endOffset, -5), G(N.startLoopOffset, -20), G(N.endLoopOffset, 4),
          G(N.sampleModes, 1),
        ], target: 0),
      TestFont.Zone([G(N.startCoarse, 1), G(N.startLoopCoarse, 1), G(N.sampleModes, 3)], target: 0),
      TestFont.Zone([G(N.sampleModes, 2)], target: 0),
    ]
    let (regions, warnings) = try resolve(font)
    #expect(warnings.isEmpty)
    #expect(
      regions[0].offset == 10 && regions[0].end == 69995 && regions[0].loopStart == 80 && regions[0].loopEnd == 60004)
    #expect(regions[0].loopMode == .continuous)
    #expect(regions[1].offset == 32768 && regions[1].loopStart == 32868 && regions[1].loopMode == .untilRelease)
    #expect(regions[2].loopMode == .noLoop)
  }

  @Test func brokenLoopsAreSanitisedWithAWarning() throws {
    var font = TestFont()
    font.samples = [
      TestFont.Sample(name: "Past", loopStart: 10, loopEnd: 500),
      TestFont.Sample(name: "Reversed", loopStart: 80, loopEnd: 20),
      TestFont.Sample(name: "Tiny", loopStart: 40, loopEnd: 41),
      TestFont.Sample(name: "Unlooped", loopStart: 400, loopEnd: 1),
    ]
    font.instruments[0].zones =
      (0..<3).map { TestFont.Zone([G(N.sampleModes, 1)], target: $0) }
      + [TestFont.Zone([], target: 3)]
    let (regions, warnings) = try resolve(font)
    #expect(regions.count == 4)
    #expect(regions[0].loopStart == 10 && regions[0].loopEnd == 100 && regions[0].loopMode == .continuous)
    #expect(regions[1].loopStart == 20 && regions[1].loopEnd == 80 && regions[1].loopMode == .continuous)
    #expect(regions[2].loopMode == .noLoop)
    #expect((0...100).contains(regions[3].loopStart) && (0...100).contains(regions[3].loopEnd))
    #expect(warnings.count == 3)
    #expect(warnings[0].contains("'Past'") && warnings[0].contains("loop end"))
    #expect(warnings[1].contains("'Reversed'") && warnings[2].contains("'Tiny'"))
  }

  @Test func stereoPairs() throws {
    var font = TestFont()
    font.samples = [TestFont.Sample(name: "L", type: 4, link: 1), TestFont.Sample(name: "R", type: 2, link: 0)]
    // Only the left half has a zone: it plays alone, where its pan generator puts it (centre), as in FluidSynth.
    font.instruments[0].zones = [TestFont.Zone([G.keys(10, 20), G(N.attenuation, 10)], target: 0)]
    var (regions, _) = try resolve(font)
    #expect(regions.count == 1)
    #expect(regions[0].sample == .fontData(start: 0, end: 100) && regions[0].stereoSide == -1 && regions[0].pan == 0)
    // Both halves have zones over the same ranges: no duplicates.
    font.instruments[0].zones = [
      TestFont.Zone([G.keys(10, 20), G(N.pan, -500)], target: 0),
      TestFont.Zone([G.keys(10, 20), G(N.pan, 500)], target: 1),
    ]
    (regions, _) = try resolve(font)
    #expect(regions.map(\.stereoSide) == [-1, 1] && regions.map(\.pan) == [-1, 1])
  }

  @Test func terminalGeneratorsCloseTheZone() throws {
    var font = TestFont()
    // sampleID first: the coarseTune after it is not part of the zone; a later zone without a sample is dropped.
    font.instruments[0].zones = [
      TestFont.Zone([G(53, 0), G(N.coarseTune, 5)], target: 0),
      TestFont.Zone([G(N.fineTune, 9)], target: nil),
    ]
    font.presets[0].zones = [TestFont.Zone([G(41, 0), G(N.coarseTune, 7)], target: 0)]
    let (regions, warnings) = try resolve(font)
    #expect(regions.count == 1 && regions[0].tuneCents == 0)
    #expect(warnings == ["instrument 'Inst': 1 zone(s) without a sample ignored"])
  }

  @Test func modulatorsAreCountedOnce() throws {
    var font = TestFont()
    font.instruments[0].zones = [TestFont.Zone([], target: 0, modulators: 2)]
    font.presets[0].zones = [
      TestFont.Zone([G.keys(0, 60)], target: 0, modulators: 1),
      TestFont.Zone([G.keys(61, 127)], target: 0),
    ]
    let (regions, warnings) = try resolve(font)
    #expect(regions.count == 2)
    #expect(
      warnings == [
        "3 non-default modulators ignored (pmod/imod); 3 redefine the default velocity → attenuation modulator"
      ])
  }

  @Test func framesDecode() throws {
    var font = TestFont()
    font.samples[0].frames = [0, 16384, -32768, 32767]
    let bytes = font.bytes
    let sf = try SoundFont(bytes: bytes)
    let r = try #require(try sf.regions(bank: 0, program: 0).regions.first)
    #expect(try sf.frames(for: r.sample, in: bytes) == [0, 0.5, -1, Float(32767) / 32768])
    #expect(throws: SoundFontError.self) { try sf.frames(for: .fontData(start: 0, end: 10_000), in: bytes) }
    #expect(throws: SoundFontError.self) { try sf.frames(for: .file(path: "/x.wav"), in: bytes) }
    // 24-bit: low bytes from sm24.
    font.sm24 = [UInt8](repeating: 0x80, count: 4 + 46)
    let bytes24 = font.bytes
    let sf24 = try SoundFont(bytes: bytes24)
    #expect(sf24.sampleData.sm24Offset != nil)
    let f = try sf24.frames(for: .fontData(start: 0, end: 2), in: bytes24)
    #expect(f[0] == Float(0x80) / 8_388_608 && f[1] == Float(16384 * 256 + 0x80) / 8_388_608)
  }
}
