/// The region-level opcodes this reader understands: canonical names, aliases, value kinds and ranges,
/// and the parsing of one `name=value` into an `OpcodeSet` (with located warnings).
/// Ranges are sfizz's (`Defaults.cpp`) where sfizz enforces them, and generous physical bounds where
/// sfizz is permissive; a value outside is clamped with a warning.
enum OpcodeCatalog {
  enum Kind {
    case number(ClosedRange<Double>)
    /// sfizz reads a leading integer ("1.5" is 1).
    case integer(ClosedRange<Double>)
    /// Integer or note name (c4 = 60), 0 … 127; `-1` allowed where sfizz means "not triggered by notes".
    case key(allowsMinusOne: Bool)
    /// `pitch_keycenter`: a key or the word `sample`.
    case keycenter
    case loopMode
    case trigger
    case filterType
    /// Free text (`sample=`).
    case text
    /// Recognised and deliberately ignored without a warning, as sfizz does.
    case silent
  }

  static let int32 = Double(-Int32.max)...Double(Int32.max)
  static let frames = 0.0...Double(Int32.max)
  static let egTime = 0.0...100.0
  static let percent = 0.0...100.0

  static let kinds: [String: Kind] = {
    var k: [String: Kind] = [
      "sample": .text,
      "lokey": .key(allowsMinusOne: true), "hikey": .key(allowsMinusOne: true), "key": .key(allowsMinusOne: true),
      "lovel": .integer(0...127), "hivel": .integer(0...127),
      "pitch_keycenter": .keycenter,
      "transpose": .number(-127...127), "pitch": .number(-9600...9600), "pitch_keytrack": .number(-1200...1200),
      "volume": .number(-144...48), "global_volume": .number(-144...48),
      "master_volume": .number(-144...48), "group_volume": .number(-144...48),
      "amplitude": .number(0...10000), "global_amplitude": .number(0...10000),
      "master_amplitude": .number(0...10000), "group_amplitude": .number(0...10000),
      "pan": .number(-100...100), "amp_veltrack": .number(-100...100),
      "offset": .integer(frames), "end": .integer(frames),
      "loop_mode": .loopMode, "loop_start": .integer(frames), "loop_end": .integer(frames),
      "trigger": .trigger, "rt_decay": .number(0...200),
      "group": .integer(int32), "off_by": .integer(int32),
      "seq_length": .integer(1...100), "seq_position": .integer(1...100),
      "lorand": .number(0...1), "hirand": .number(0...1),
      "cutoff": .number(0...20000), "resonance": .number(0...96), "fil_type": .filterType,
      "fil_veltrack": .number(-12000...12000),
      "fileg_depth": .number(-12000...12000), "pitcheg_depth": .number(-12000...12000),
      "amplfo_depth": .number(-48...48), "pitchlfo_depth": .number(-12000...12000),
      "fillfo_depth": .number(-12000...12000),
      // sfizz ignores these silently (Region.cpp "Ignored opcodes", sw_lokey/sw_hikey).
      "lochan": .silent, "hichan": .silent, "ampeg_depth": .silent, "ampeg_veltodepth": .silent,
      "sw_lokey": .silent, "sw_hikey": .silent,
    ]
    for eg in ["ampeg_", "fileg_", "pitcheg_"] {
      for stage in ["delay", "attack", "hold", "decay", "release"] { k[eg + stage] = .number(egTime) }
      k[eg + "sustain"] = .number(percent)
      k[eg + "start"] = .number(percent)
    }
    for lfo in ["amplfo_", "pitchlfo_", "fillfo_"] {
      k[lfo + "freq"] = .number(0...100)
      k[lfo + "delay"] = .number(0...30)
    }
    return k
  }()

  /// sfizz `OpcodeCleanup.re` aliases (only those that lead to opcodes read here).
  static let aliases: [String: String] = [
    "loopmode": "loop_mode", "loopstart": "loop_start", "loopend": "loop_end", "offby": "off_by",
    "tune": "pitch", "gain": "volume", "polyphony_group": "group", "filtype": "fil_type",
    "fil1_type": "fil_type", "fil1type": "fil_type", "cutoff1": "cutoff", "resonance1": "resonance",
    "fil1_veltrack": "fil_veltrack", "ampeg_vel2depth": "ampeg_veltodepth",
  ]

  /// Lower-cased, aliases applied.
  static func canonicalName(_ raw: String) -> String {
    let lower = raw.lowercased()
    return aliases[lower] ?? lower
  }

  /// Splits `locc64` into ("locc", 64). nil without a trailing number (or an absurd one).
  static func trailingNumber(_ name: String) -> (prefix: String, number: Int)? {
    let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 6, let n = Int(String(digits.reversed())) else { return nil }
    return (String(name.dropLast(digits.count)), n)
  }

  /// Reads one opcode of a `<global>`/`<master>`/`<group>`/`<region>` block into `set`.
  static func apply(
    name rawName: String, value: String, at location: SourceLocation,
    valueAt valueLocation: SourceLocation, to set: inout OpcodeSet, warnings: WarningLog
  ) {
    let name = canonicalName(rawName)
    let reader = ValueReader(name: rawName, value: value, location: valueLocation, warnings: warnings)
    if let (prefix, n) = trailingNumber(name) {
      switch prefix {
      case "amp_velcurve_" where n <= 127:
        if let v = reader.number(0...1) { set.velocityPoints[n] = v }
        return
      case "locc" where n < 512, "hicc" where n < 512:
        if let v = reader.number(0...127) {
          if prefix == "locc" { set.ccLow[n] = v } else { set.ccHigh[n] = v }
        }
        return
      default: break
      }
    }
    guard let kind = kinds[name] else {
      warnings.add(location, "unknown or unsupported opcode `\(rawName)`; ignored")
      return
    }
    switch kind {
    case .silent:
      return
    case .text:
      guard !value.isEmpty else {
        warnings.add(valueLocation, "`\(rawName)=` has an empty value; ignored")
        return
      }
      set.values[name] = .word(value)
    case .number(let range):
      if let v = reader.number(range) { set.values[name] = .number(v) }
    case .integer(let range):
      if let v = reader.integer(range) { set.values[name] = .number(v) }
    case .key(let allowsMinusOne):
      guard let v = reader.key(allowsMinusOne: allowsMinusOne) else { return }
      if name == "key" {
        set.values["lokey"] = .number(v)
        set.values["hikey"] = .number(v)
        if v >= 0 { set.values["pitch_keycenter"] = .number(v) }
      } else {
        set.values[name] = .number(v)
      }
    case .keycenter:
      if value.lowercased() == "sample" {
        set.values[name] = .word("sample")
      } else if let v = reader.key(allowsMinusOne: false) {
        set.values[name] = .number(v)
      }
    case .loopMode:
      let v = value.lowercased()
      guard ["no_loop", "one_shot", "loop_continuous", "loop_sustain"].contains(v) else {
        warnings.add(valueLocation, "unknown \(rawName) `\(value)`; ignored")
        return
      }
      set.values[name] = .word(v)
    case .trigger:
      let v = value.lowercased()
      if v != "attack" && v != "release" {
        warnings.add(valueLocation, "trigger=\(value) is not supported; treated as attack")
      }
      set.values[name] = .word(v == "release" ? "release" : "attack")
    case .filterType:
      let v = value.lowercased()
      if v.hasPrefix("lpf_") && v != "lpf_2p" {
        warnings.add(valueLocation, "fil_type=\(value) is not supported; rendered as lpf_2p")
      } else if v != "lpf_2p" {
        warnings.add(valueLocation, "fil_type=\(value) is not supported; the region is rendered without a filter")
      }
      set.values[name] = .word(v)
    }
  }
}

/// Reads one value as a number, integer or key, with sfizz's leniency and located warnings.
struct ValueReader {
  let name: String
  let value: String
  let location: SourceLocation
  let warnings: WarningLog

  func number(_ range: ClosedRange<Double>) -> Double? {
    guard let r = SFZNumber.leadingDouble(value) else { return bad() }
    trailing(r.hasTrailing)
    return clamp(r.value, range)
  }

  func integer(_ range: ClosedRange<Double>) -> Double? {
    if let r = SFZNumber.leadingInt(value) {
      trailing(r.hasTrailing)
      return clamp(Double(r.value), range)
    }
    guard let r = SFZNumber.leadingDouble(value) else { return bad() }  // e.g. beyond Int64
    return clamp(r.value.rounded(.towardZero), range)
  }

  /// An integer or a note name; `-1` kept when allowed.
  func key(allowsMinusOne: Bool) -> Double? {
    if let r = SFZNumber.leadingInt(value) {
      trailing(r.hasTrailing)
      if allowsMinusOne && r.value == -1 { return -1 }
      return clamp(Double(r.value), 0...127)
    }
    if let n = SFZNumber.noteNumber(value) { return Double(n) }
    warnings.add(location, "`\(name)=\(value)` is not a MIDI note number or note name; opcode ignored")
    return nil
  }

  private func bad() -> Double? {
    warnings.add(location, "`\(name)=\(value)` is not a number; opcode ignored")
    return nil
  }

  private func trailing(_ has: Bool) {
    if has { warnings.add(location, "`\(name)=\(value)`: characters after the number are ignored") }
  }

  private func clamp(_ v: Double, _ range: ClosedRange<Double>) -> Double {
    if range.contains(v) { return v }
    let c = min(max(v, range.lowerBound), range.upperBound)
    warnings.add(
      location,
      "`\(name)=\(value)` is outside \(fmt(range.lowerBound)) … \(fmt(range.upperBound)); clamped to \(fmt(c))")
    return c
  }

  private func fmt(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
  }
}
