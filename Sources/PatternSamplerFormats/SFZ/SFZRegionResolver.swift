import Foundation

/// Resolves the merged opcodes of one `<region>` (global ⊕ master ⊕ group ⊕ region) into a
/// `SamplerRegion` in physical units. Warnings here are located at the `<region>` header.
struct SFZRegionResolver {
  enum Outcome {
    case region(SamplerRegion)
    /// Can never sound at the instrument's default controller state (CC gate, `hikey=-1`, round robin
    /// position past the length): counted, not warned about.
    case gatedOut
    /// Unusable (no sample, generator, empty range): warned about.
    case dropped
  }

  let rootDirectory: String
  let warnings: WarningLog

  func resolve(_ s: OpcodeSet, control: SFZControl, at location: SourceLocation) -> Outcome {
    guard let path = samplePath(s, control: control, at: location) else { return .dropped }
    var r = SamplerRegion(sample: .file(path: path), sampleRate: 0)  // rate: from the WAV (integrator)

    // Mapping. sfizz: `hikey=-1` / `key=-1` = not triggered by notes; `lokey=-1` falls back to 0.
    let hikey = s.number("hikey") ?? 127
    if hikey < 0 { return .gatedOut }
    r.keyLow = Int(max(0, s.number("lokey") ?? 0))
    r.keyHigh = Int(hikey)
    r.velLow = Int(s.number("lovel") ?? 0)
    r.velHigh = Int(s.number("hivel") ?? 127)
    if s.word("pitch_keycenter") == "sample" {
      r.rootKeyFromSample = true
      r.rootKey = 60
    } else {
      r.rootKey = Int(s.number("pitch_keycenter") ?? 60)
    }
    applyKeyShift(control.keyShift, to: &r)
    if r.keyLow > r.keyHigh || r.velLow > r.velHigh {
      warnings.add(location, "region key or velocity range is empty (lo > hi); dropped")
      return .dropped
    }
    if !passesControllerGates(s, control: control) { return .gatedOut }

    // Pitch.
    r.tuneCents = (s.number("pitch") ?? 0) + 100 * (s.number("transpose") ?? 0)
    r.keyTrackCents = s.number("pitch_keytrack") ?? 100

    // Level: dB opcodes add, percent opcodes multiply (sfizz `getBaseGain`, `volume`).
    let volume = ["volume", "global_volume", "master_volume", "group_volume"].reduce(0.0) { $0 + (s.number($1) ?? 0) }
    let amplitude = ["amplitude", "global_amplitude", "master_amplitude", "group_amplitude"]
      .reduce(1.0) { $0 * (s.number($1) ?? 100) / 100 }
    r.gainDb = amplitude > 0 ? max(-144, volume + 20 * log10(amplitude)) : -144  // amplitude 0 = silent
    r.pan = (s.number("pan") ?? 0) / 100
    r.velocityCurve = .sfz(
      velTrackPercent: s.number("amp_veltrack") ?? 100,
      points: Self.velocityPoints(s.velocityPoints))

    // Playback. SFZ `end` and `loop_end` name the last frame played (inclusive); SamplerRegion is exclusive.
    r.offset = Int(s.number("offset") ?? 0)
    if let end = s.number("end") {
      r.end = Int(end) + 1
      if r.end! <= r.offset {
        warnings.add(location, "region end (\(Int(end))) is before its offset (\(r.offset)); dropped")
        return .dropped
      }
    }
    r.releaseTrigger = s.word("trigger") == "release"
    applyLoop(s, to: &r, at: location)

    // Filter: only low-pass is rendered (see `fil_type` warnings).
    let filterType = s.word("fil_type") ?? "lpf_2p"
    if let cutoff = s.number("cutoff"), filterType.hasPrefix("lpf_") {
      r.filterCutoffHz = cutoff
      r.filterResonanceDb = s.number("resonance") ?? 0
      r.filterVelTrackCents = s.number("fil_veltrack") ?? 0
    }
    r.velocityToFilterCents = 0

    SFZModulation.apply(s, to: &r, at: location, warnings: warnings)

    // Articulation.
    r.exclusiveClass = Int(s.number("group") ?? 0)
    r.offBy = Int(s.number("off_by") ?? 0)
    r.releaseDecayDbPerSecond = s.number("rt_decay") ?? 0
    r.sequenceLength = Int(s.number("seq_length") ?? 1)
    r.sequencePosition = Int(s.number("seq_position") ?? 1)
    if r.sequencePosition > r.sequenceLength { return .gatedOut }  // sfizz: counter % length never reaches it
    r.randomLow = s.number("lorand") ?? 0
    r.randomHigh = s.number("hirand") ?? 1
    return .region(r)
  }

  /// `default_path` + `sample`, backslashes to slashes, relative to the top-level .sfz file's folder.
  private func samplePath(_ s: OpcodeSet, control: SFZControl, at location: SourceLocation) -> String? {
    guard let sample = s.word("sample") else {
      warnings.add(location, "region has no sample=; dropped")
      return nil
    }
    if sample.hasPrefix("*") {
      warnings.add(location, "generator sample=\(sample) is not supported; region dropped")
      return nil
    }
    return SFZPath.resolve(control.defaultPath + SFZPath.slashes(sample), in: rootDirectory)
  }

  /// sfizz `offsetAllKeys`: the key range moves only when it is not the full range; all clamp to 0 … 127.
  private func applyKeyShift(_ shift: Int, to r: inout SamplerRegion) {
    guard shift != 0 else { return }
    let clampKey = { (k: Int) in min(127, max(0, k + shift)) }
    if r.keyLow != 0 || r.keyHigh != 127 {
      r.keyLow = clampKey(r.keyLow)
      r.keyHigh = clampKey(r.keyHigh)
    }
    r.rootKey = clampKey(r.rootKey)
  }

  /// `loccN`/`hiccN` against `set_ccN` (unset CCs are 0): a region whose range excludes the default
  /// value never sounds in an offline render without controller input.
  private func passesControllerGates(_ s: OpcodeSet, control: SFZControl) -> Bool {
    for cc in Set(s.ccLow.keys).union(s.ccHigh.keys) {
      let value = control.ccDefaults[cc] ?? 0
      if value < (s.ccLow[cc] ?? 0) || value > (s.ccHigh[cc] ?? 127) { return false }
    }
    return true
  }

  /// Explicit points plus sfizz's implied ends (velocity 0 → 0, 127 → 1) when any point is given, so the
  /// engine only interpolates linearly (sfizz `Curve::buildFromVelcurvePoints`, linear). Empty = (v/127)².
  static func velocityPoints(_ given: [Int: Double]) -> [Int: Double] {
    guard !given.isEmpty else { return [:] }
    var points = given
    if points[0] == nil { points[0] = 0 }
    if points[127] == nil { points[127] = 1 }
    return points
  }

  private func applyLoop(_ s: OpcodeSet, to r: inout SamplerRegion, at location: SourceLocation) {
    r.loopModeExplicit = s.has("loop_mode")
    r.loopStartExplicit = s.has("loop_start")
    r.loopEndExplicit = s.has("loop_end")
    switch s.word("loop_mode") {
    case "one_shot"?: r.loopMode = .oneShot
    case "loop_continuous"?: r.loopMode = .continuous
    case "loop_sustain"?: r.loopMode = .untilRelease
    case "no_loop"?: r.loopMode = .noLoop
    default: r.loopMode = r.releaseTrigger ? .oneShot : .noLoop  // sfizz, when the WAV has no loop either
    }
    r.loopStart = Int(s.number("loop_start") ?? 0)
    r.loopEnd = s.number("loop_end").map { Int($0) + 1 } ?? 0
    if r.loopEndExplicit && r.loopEnd <= r.loopStart {
      // sfizz: an invalid loop range disables the loop (the WAV's loop included).
      if r.loopMode == .continuous || r.loopMode == .untilRelease {
        warnings.add(location, "loop_end (\(r.loopEnd - 1)) is before loop_start (\(r.loopStart)); loop disabled")
        r.loopMode = .noLoop
      }
      r.loopModeExplicit = true
    }
  }
}
