/// The `<control>` state that applies to the regions that follow it (sfizz `handleControlOpcodes`).
/// Control opcodes are not region defaults: sfizz reads only these here and ignores the rest.
struct SFZControl: Sendable {
  /// Prefix for `sample=` paths, slashes normalised; reset by every `<control>` header.
  var defaultPath = ""
  /// `set_ccN` values, 0 … 127 (`set_hdccN` is stored × 127). Unset CCs are 0.
  var ccDefaults: [Int: Double] = [:]
  /// `note_offset` + 12 · `octave_offset`, semitones added to key ranges and `pitch_keycenter`.
  var noteOffset = 0
  var octaveOffset = 0

  var keyShift: Int { noteOffset + 12 * octaveOffset }

  mutating func apply(
    name rawName: String, value: String, valueAt location: SourceLocation,
    nameAt nameLocation: SourceLocation, warnings: WarningLog
  ) {
    let name = rawName.lowercased()
    let reader = ValueReader(name: rawName, value: value, location: location, warnings: warnings)
    if name == "default_path" {
      defaultPath = SFZPath.slashes(value)
      return
    }
    if name == "note_offset" {
      if let v = reader.integer(-127...127) { noteOffset = Int(v) }
      return
    }
    if name == "octave_offset" {
      if let v = reader.integer(-10...10) { octaveOffset = Int(v) }
      return
    }
    if let (prefix, n) = OpcodeCatalog.trailingNumber(name), n <= 512 {
      switch prefix {
      case "set_cc":
        if let v = reader.number(0...127) { ccDefaults[n] = v }
        return
      case "set_hdcc", "set_realcc":
        if let v = reader.number(0...1) { ccDefaults[n] = v * 127 }
        return
      case "label_cc", "label_key":
        return  // UI labels: nothing to render
      default: break
      }
    }
    if name.hasPrefix("hint_") || name == "image" || name == "image_controls" { return }
    warnings.add(nameLocation, "`\(rawName)` is not a <control> opcode; ignored")
  }
}
