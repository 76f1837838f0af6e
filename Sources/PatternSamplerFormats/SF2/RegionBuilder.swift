/// Turns resolved generators plus a sample header into a `SamplerRegion` in physical units.
///
/// Conventions (see also `SoundFont.regions(bank:program:)`):
/// - times: timecents → 2^(tc/1200) s; delay/hold at the −12000 minimum → 0, attack/decay/release ≥ 0.001 s.
/// - volume sustain: cB of attenuation (0…1440) → linear amplitude 10^(−cB/200);
///   modulation sustain: 0.1 % units of decrease → level 1 − v/1000.
/// - gain: −0.4 × initialAttenuation / 10 dB (FluidSynth's 0.4 factor); pan −500…500 → −1…1 plus the
///   stereo side; filter: initialFilterFc ≥ 13500 cents → nil, else 8.176 × 2^(c/1200) Hz; Q cB → dB /10.
enum RegionBuilder {
  /// Builds the region, or nil (with a warning) when the sample's points are unusable.
  static func region(
    _ g: ResolvedGenerators, sample s: SampleHeader, side: Int, smplCount: Int, warnings: inout WarningList
  ) -> SamplerRegion? {
    guard s.start < s.end, s.end <= smplCount else {
      warnings.add(
        "sample '\(s.name)': points \(s.start)…\(s.end) are not inside smpl's \(smplCount) points; zone skipped")
      return nil
    }
    var r = SamplerRegion(sample: .fontData(start: s.start, end: s.end), sampleRate: s.sampleRate)
    r.keyLow = g.keyLow; r.keyHigh = g.keyHigh
    r.velLow = g.velLow; r.velHigh = g.velHigh
    r.stereoSide = side

    // Pitch
    let overridden = g[Gen.overridingRootKey]
    r.rootKey = overridden >= 0 ? overridden : (s.originalPitch <= 127 ? s.originalPitch : 60)
    r.tuneCents = Double(g[Gen.coarseTune] * 100 + g[Gen.fineTune] + s.pitchCorrection)
    r.keyTrackCents = Double(g[Gen.scaleTuning])
    if g[Gen.keynum] >= 0 { r.fixedKey = g[Gen.keynum] }
    if g[Gen.velocity] >= 0 { r.fixedVelocity = g[Gen.velocity] }

    // Level
    r.gainDb = -0.4 * Double(g[Gen.initialAttenuation]) / 10
    // The pan generator alone, as FluidSynth plays it (it does not pan stereo halves by their sample type).
    r.pan = min(1, max(-1, Double(g[Gen.pan]) / 500))
    r.velocityCurve = .sf2Concave(rangeCentibels: 960)
    r.velocityToFilterCents = -2400

    // Playback range and loop
    guard placePoints(g, sample: s, into: &r, warnings: &warnings) else { return nil }

    // Envelopes
    r.ampEnv = envelope(g, delay: Gen.delayVolEnv)
    r.ampEnv.sustain = Timecents.pow2(-Double(g[Gen.sustainVolEnv]) / 200 * 3.321_928_094_887_362)
    r.modEnv = envelope(g, delay: Gen.delayModEnv)
    r.modEnv.sustain = 1 - Double(g[Gen.sustainModEnv]) / 1000
    r.modEnvToPitchCents = Double(g[Gen.modEnvToPitch])
    r.modEnvToFilterCents = Double(g[Gen.modEnvToFilterFc])

    // Filter
    let fc = g[Gen.initialFilterFc]
    r.filterCutoffHz = fc >= 13500 ? nil : Timecents.hertz(absoluteCents: fc)
    r.filterResonanceDb = Double(g[Gen.initialFilterQ]) / 10

    // LFOs
    r.vibLFO.delay = Timecents.delaySeconds(g[Gen.delayVibLFO])
    r.vibLFO.frequency = Timecents.hertz(absoluteCents: g[Gen.freqVibLFO])
    r.vibLFO.toPitchCents = Double(g[Gen.vibLfoToPitch])
    r.modLFO.delay = Timecents.delaySeconds(g[Gen.delayModLFO])
    r.modLFO.frequency = Timecents.hertz(absoluteCents: g[Gen.freqModLFO])
    r.modLFO.toPitchCents = Double(g[Gen.modLfoToPitch])
    r.modLFO.toFilterCents = Double(g[Gen.modLfoToFilterFc])
    r.modLFO.toVolumeDb = Double(g[Gen.modLfoToVolume]) / 10

    r.exclusiveClass = g[Gen.exclusiveClass]
    return r
  }

  /// The six envelope generators start at `delay` in the order delay, attack, hold, decay, sustain,
  /// release, keynumToHold, keynumToDecay for both envelopes (§8.1.2), so one function reads either.
  private static func envelope(_ g: ResolvedGenerators, delay d: Int) -> EnvelopeSpec {
    var e = EnvelopeSpec()
    e.delay = Timecents.delaySeconds(g[d])
    e.attack = Timecents.rampSeconds(g[d + 1])
    e.hold = Timecents.delaySeconds(g[d + 2])
    e.decay = Timecents.rampSeconds(g[d + 3])
    e.release = Timecents.rampSeconds(g[d + 5])
    e.holdKeyTrackTimecents = Double(g[d + 6])
    e.decayKeyTrackTimecents = Double(g[d + 7])
    return e
  }

  /// Applies the address offsets and sanitises start/end and the loop like FluidSynth
  /// (`fluid_sample_sanitize_loop` for the header, `fluid_rvoice_check_sample_sanity` per voice):
  /// points are clamped into the sample, reversed pairs swapped, a loop shorter than 2 frames switches
  /// looping off. Returns false when nothing is left to play.
  private static func placePoints(
    _ g: ResolvedGenerators, sample s: SampleHeader, into r: inout SamplerRegion, warnings: inout WarningList
  ) -> Bool {
    let length = s.end - s.start
    let modes = g[Gen.sampleModes] & 3
    r.loopMode = modes == 1 ? .continuous : modes == 3 ? .untilRelease : .noLoop
    let looped = r.loopMode != .noLoop
    func warn(_ text: String) { if looped { warnings.add("sample '\(s.name)': \(text)") } }

    // Header loop, relative to the sample start.
    var ls = s.loopStart - s.start, le = s.loopEnd - s.start
    if ls > le {
      warn("loop \(s.loopStart)…\(s.loopEnd) reversed; swapped")
      swap(&ls, &le)
    }
    if ls < 0 || ls > length {
      warn("loop start \(s.loopStart) outside the sample (\(s.start)…\(s.end)); moved to the sample start")
      ls = 0
    }
    if le < 0 || le > length {
      warn("loop end \(s.loopEnd) outside the sample (\(s.start)…\(s.end)); moved to the sample end")
      le = length
    }

    // Zone offsets, then the per-voice clamps.
    func clamp(_ v: Int) -> Int { min(max(v, 0), length) }
    var start = clamp(g.address(fine: Gen.startAddrsOffset, coarse: Gen.startAddrsCoarseOffset))
    var end = clamp(length + g.address(fine: Gen.endAddrsOffset, coarse: Gen.endAddrsCoarseOffset))
    if start > end { swap(&start, &end) }
    guard start < end else {
      warnings.add("sample '\(s.name)': start/end offsets leave nothing to play; zone skipped")
      return false
    }
    var loopStart = clamp(ls + g.address(fine: Gen.startloopAddrsOffset, coarse: Gen.startloopAddrsCoarseOffset))
    var loopEnd = clamp(le + g.address(fine: Gen.endloopAddrsOffset, coarse: Gen.endloopAddrsCoarseOffset))
    if loopStart > loopEnd { swap(&loopStart, &loopEnd) }
    if looped && loopEnd - loopStart < 2 {
      warn("loop \(loopStart)…\(loopEnd) (relative) is shorter than 2 frames; looping switched off")
      r.loopMode = .noLoop
    }
    r.offset = start
    r.end = end == length ? nil : end
    r.loopStart = loopStart
    r.loopEnd = loopEnd
    return true
  }
}

/// Warnings in first-seen order without duplicates (one broken sample is often used by many zones).
struct WarningList: Sendable {
  private(set) var items: [String] = []
  private var seen: Set<String> = []

  mutating func add(_ text: String) {
    if seen.insert(text).inserted { items.append(text) }
  }
}
