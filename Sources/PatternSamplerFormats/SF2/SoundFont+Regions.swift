extension SoundFont {
  /// The playable regions of preset `bank`/`program`, fully resolved (SF2.04 §8, §9), plus warnings.
  ///
  /// One region per (preset zone × instrument zone) pair whose intersected key and velocity ranges are not
  /// empty. Units and conventions:
  /// - `ampEnv`/`modEnv` seconds are 2^(tc/1200). `decay`/`release` are the SF2 times for the full
  ///   100 dB (1000 cB) fall, linear in dB; the actual decay to `sustain` takes the proportional part
  ///   (FluidSynth uses the same slope). Delay/hold at the −12000 tc minimum are 0; attack/decay/release
  ///   are at least 0.001 s. Key tracking (keynumTo…Hold/Decay) is in `holdKeyTrackTimecents` /
  ///   `decayKeyTrackTimecents`; use `EnvelopeSpec.hold(forKey:)` / `decay(forKey:)`.
  /// - `ampEnv.sustain` = 10^(−cB/200) (cB clamped 0…1440); `modEnv.sustain` = 1 − v/1000.
  /// - `gainDb` = −0.4 × initialAttenuation(cB) / 10 (FluidSynth's factor); the velocity curve is the SF2
  ///   default modulator `.sf2Concave(rangeCentibels: 960)` and `velocityToFilterCents` is −2400.
  /// - `pan` already includes the stereo side: a left sample gets pan − 1, a right one pan + 1, clamped
  ///   to −1…1 (`stereoSide` says which half it is; do not add it again).
  /// - A stereo half (`sampleType` left/right) plays where its zone's pan generator puts it; its partner
  ///   (`sampleLink`) plays only through a zone of its own. That is what FluidSynth, the reference player,
  ///   does; `stereoSide` still records which half a region is.
  /// - `pmod`/`imod` modulators are not applied (not even those redefining a default modulator, as
  ///   FluidSynth in practice); their count is reported as one warning.
  ///
  /// Throws `.noSuchPreset`, `.romSample` (a used sample lives in ROM), or `.malformed` for an
  /// instrument/sample index that points past its table.
  public func regions(bank: Int, program: Int) throws(SoundFontError) -> (regions: [SamplerRegion], warnings: [String])
  {
    guard let p = presetIndices.first(where: { data.presets[$0].bank == bank && data.presets[$0].program == program })
    else {
      throw SoundFontError(.noSuchPreset, chunk: "pdta/phdr", "no preset with bank \(bank) program \(program)")
    }
    return try resolve(preset: p)
  }

  /// The regions of a preset from `presets`.
  public func regions(for preset: Preset) throws(SoundFontError) -> (regions: [SamplerRegion], warnings: [String]) {
    try regions(bank: preset.bank, program: preset.program)
  }

  /// Most (preset zone × instrument zone) pairs one preset may examine. Real presets stay far below
  /// (a GM drum kit is ~100 pairs); the cap keeps a hostile font from costing 65535² steps or
  /// gigabytes of regions.
  static let maxZonePairs = 1 << 16

  private func resolve(preset p: Int) throws(SoundFontError) -> (regions: [SamplerRegion], warnings: [String]) {
    let header = data.presets[p]
    var warnings = WarningList()
    var regions: [SamplerRegion] = []
    let pz = data.presetZones(p)
    var modulators = ModulatorTally()
    if let global = pz.global { modulators.add(global.modulators, of: data.presetMods) }
    var instruments: [Int: InstrumentZones] = [:]
    var pairs = 0
    if pz.discarded > 0 {
      warnings.add("preset '\(header.name)': \(pz.discarded) zone(s) without an instrument ignored")
    }
    for local in pz.locals {
      modulators.add(local.modulators, of: data.presetMods)
      let inst = local.target ?? -1
      guard inst >= 0, inst + 1 < data.instruments.count else {
        throw .malformed(
          "pdta/pgen",
          "preset '\(header.name)': instrument index \(inst) past inst's \(data.instruments.count - 1) instruments")
      }
      let presetGens = (pz.global?.gens ?? GeneratorSet()).overlaid(by: local.gens)
      // A preset-level redefinition of velocity → filter adds to the instrument's amount.
      let presetVelocityToFilter =
        ModRecord.velocityToFilterAmount(local.modulators, of: data.presetMods)
        ?? pz.global.flatMap { ModRecord.velocityToFilterAmount($0.modulators, of: data.presetMods) } ?? 0
      let instName = data.instruments[inst].name
      let iz: InstrumentZones
      if let cached = instruments[inst] {
        iz = cached
      } else {
        iz = InstrumentZones(data.instrumentZones(inst), mods: data.instrumentMods)
        instruments[inst] = iz
        for range in iz.modulators { modulators.add(range, of: data.instrumentMods) }
        if iz.discarded > 0 {
          warnings.add("instrument '\(instName)': \(iz.discarded) zone(s) without a sample ignored")
        }
      }
      pairs += iz.locals.count
      guard pairs <= Self.maxZonePairs else {
        throw .malformed("pdta/pbag", "preset '\(header.name)' combines more than \(Self.maxZonePairs) zone pairs")
      }
      for zone in iz.locals {
        let g = ResolvedGenerators(instrument: zone.gens, preset: presetGens)
        guard g.isPlayable else { continue }
        let s = try sample(zone.sample, instrument: instName, preset: header.name)
        var side = data.samples[s].stereoSide
        let link = data.samples[s].sampleLink
        if side != 0, link == s || link + 1 >= data.samples.count || data.samples[link].stereoSide != -side {
          warnings.add("sample '\(data.samples[s].name)': stereo link \(link) is not a matching sample; played as mono")
          side = 0
        }
        let velocityToFilter = Double((zone.velocityToFilter ?? -2400) + presetVelocityToFilter)
        if var r = RegionBuilder.region(
          g, sample: data.samples[s], side: side, smplCount: sampleData.count,
          warnings: &warnings)
        {
          r.velocityToFilterCents = velocityToFilter
          regions.append(r)
        }
      }
    }
    if let w = modulators.warning { warnings.add(w) }
    return (regions, warnings.items)
  }

  /// Checks a sample index from `igen` (or a stereo link) and that the sample is playable RAM data.
  private func sample(_ s: Int, instrument: String, preset: String) throws(SoundFontError) -> Int {
    guard s >= 0, s + 1 < data.samples.count else {
      throw .malformed(
        "pdta/igen", "instrument '\(instrument)': sample index \(s) past shdr's \(data.samples.count - 1) samples")
    }
    let h = data.samples[s]
    if h.isROM {
      let type = String(h.sampleType, radix: 16)
      throw SoundFontError(
        .romSample, chunk: "pdta/shdr",
        "sample '\(h.name)' (preset '\(preset)', instrument '\(instrument)') is a ROM sample (sampleType 0x\(type)); ROM samples are not supported"
      )
    }
    return s
  }
}
