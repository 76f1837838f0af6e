/// SF2.04 §8.1.2 generator numbers, default values and legal ranges.
///
/// Plain `Int` constants (not an enum) because the resolver indexes fixed-size arrays with them.
enum Gen {
  static let startAddrsOffset = 0, endAddrsOffset = 1, startloopAddrsOffset = 2, endloopAddrsOffset = 3
  static let startAddrsCoarseOffset = 4, modLfoToPitch = 5, vibLfoToPitch = 6, modEnvToPitch = 7
  static let initialFilterFc = 8, initialFilterQ = 9, modLfoToFilterFc = 10, modEnvToFilterFc = 11
  static let endAddrsCoarseOffset = 12, modLfoToVolume = 13, chorusEffectsSend = 15, reverbEffectsSend = 16
  static let pan = 17, delayModLFO = 21, freqModLFO = 22, delayVibLFO = 23, freqVibLFO = 24
  static let delayModEnv = 25, attackModEnv = 26, holdModEnv = 27, decayModEnv = 28, sustainModEnv = 29
  static let releaseModEnv = 30, keynumToModEnvHold = 31, keynumToModEnvDecay = 32
  static let delayVolEnv = 33, attackVolEnv = 34, holdVolEnv = 35, decayVolEnv = 36, sustainVolEnv = 37
  static let releaseVolEnv = 38, keynumToVolEnvHold = 39, keynumToVolEnvDecay = 40
  static let instrument = 41, keyRange = 43, velRange = 44, startloopAddrsCoarseOffset = 45
  static let keynum = 46, velocity = 47, initialAttenuation = 48, endloopAddrsCoarseOffset = 50
  static let coarseTune = 51, fineTune = 52, sampleID = 53, sampleModes = 54, scaleTuning = 56
  static let exclusiveClass = 57, overridingRootKey = 58, endOper = 60

  /// Number of generator slots (0 … 60); higher numbers are unknown and ignored (spec §9.2).
  static let count = 61

  /// Instrument-level default of every generator (spec §8.1.3); ranges are handled separately.
  static let defaults: [Int] = {
    var d = [Int](repeating: 0, count: count)
    d[initialFilterFc] = 13500
    for g in [
      delayModLFO, delayVibLFO, delayModEnv, attackModEnv, holdModEnv, decayModEnv, releaseModEnv,
      delayVolEnv, attackVolEnv, holdVolEnv, decayVolEnv, releaseVolEnv,
    ] { d[g] = -12000 }
    d[keyRange] = 127 << 8
    d[velRange] = 127 << 8
    d[keynum] = -1
    d[velocity] = -1
    d[scaleTuning] = 100
    d[overridingRootKey] = -1
    return d
  }()

  /// Legal range of the final (instrument + preset) value; nil = not clamped here (addresses, ranges, ids).
  static let limits: [ClosedRange<Int>?] = {
    var r = [ClosedRange<Int>?](repeating: nil, count: count)
    for g in [modLfoToPitch, vibLfoToPitch, modEnvToPitch, modLfoToFilterFc, modEnvToFilterFc] {
      r[g] = -12000...12000
    }
    r[initialFilterFc] = 1500...13500
    r[initialFilterQ] = 0...960
    r[modLfoToVolume] = -960...960
    r[chorusEffectsSend] = 0...1000
    r[reverbEffectsSend] = 0...1000
    r[pan] = -500...500
    for g in [delayModLFO, delayVibLFO, delayModEnv, holdModEnv, delayVolEnv, holdVolEnv] { r[g] = -12000...5000 }
    for g in [attackModEnv, decayModEnv, releaseModEnv, attackVolEnv, decayVolEnv, releaseVolEnv] {
      r[g] = -12000...8000
    }
    r[freqModLFO] = -16000...4500
    r[freqVibLFO] = -16000...4500
    r[sustainModEnv] = 0...1000
    r[sustainVolEnv] = 0...1440
    for g in [keynumToModEnvHold, keynumToModEnvDecay, keynumToVolEnvHold, keynumToVolEnvDecay] {
      r[g] = -1200...1200
    }
    r[initialAttenuation] = 0...1440
    r[coarseTune] = -120...120
    r[fineTune] = -99...99
    r[scaleTuning] = 0...1200
    r[exclusiveClass] = 0...127
    r[overridingRootKey] = -1...127
    r[keynum] = -1...127
    r[velocity] = -1...127
    r[sampleModes] = 0...3
    return r
  }()

  /// True for generators a preset zone may NOT set (spec §8.5: instrument-only, ignored at preset level),
  /// plus the unused/reserved slots and `endOper`.
  static let instrumentOnly: [Bool] = {
    var f = [Bool](repeating: false, count: count)
    for g in [
      startAddrsOffset, endAddrsOffset, startloopAddrsOffset, endloopAddrsOffset, startAddrsCoarseOffset,
      endAddrsCoarseOffset, startloopAddrsCoarseOffset, endloopAddrsCoarseOffset, keynum, velocity,
      sampleID, sampleModes, exclusiveClass, overridingRootKey, 14, 18, 19, 20, 42, 49, 55, 59, endOper,
    ] {
      f[g] = true
    }
    return f
  }()
}

/// The generator values one zone sets (a sparse overlay on the defaults).
struct GeneratorSet: Sendable {
  /// Raw amounts (signed; for key/vel ranges `lo | hi << 8`). Meaningful only where `isSet`.
  private(set) var amounts = [Int](repeating: 0, count: Gen.count)
  private(set) var mask: UInt64 = 0

  func isSet(_ g: Int) -> Bool { g >= 0 && g < Gen.count && mask & (1 << UInt64(g)) != 0 }

  func value(_ g: Int) -> Int? { isSet(g) ? amounts[g] : nil }

  mutating func set(_ g: Int, _ v: Int) {
    guard g >= 0, g < Gen.count else { return }
    amounts[g] = v
    mask |= 1 << UInt64(g)
  }

  /// `self` with every generator `local` sets replacing ours (a local zone over its global zone, §9.4).
  func overlaid(by local: GeneratorSet) -> GeneratorSet {
    var r = self
    for g in 0..<Gen.count where local.isSet(g) { r.set(g, local.amounts[g]) }
    return r
  }

  /// A key or velocity range generator as a closed range (defaults to 0…127; lo > hi means empty).
  func range(_ g: Int) -> (lo: Int, hi: Int) {
    guard let v = value(g) else { return (0, 127) }
    return (v & 0xFF, (v >> 8) & 0xFF)
  }
}
