/// A parsed opcode value: a number already clamped to its range, or a word (path, keyword).
enum OpcodeValue: Hashable, Sendable {
  case number(Double)
  case word(String)
}

/// The opcodes of one header block (`<global>`, `<master>`, `<group>` or `<region>`), parsed once.
/// Why parse per block and not per region: each opcode is read (and warned about) exactly once even when a
/// `<group>` is inherited by a thousand regions. Keys are canonical names (`loop_mode`, not `loopmode`);
/// `key=` is stored as its three effects (`lokey`, `hikey`, `pitch_keycenter`) so inheritance by field
/// gives the same result as sfizz's sequential application.
struct OpcodeSet: Sendable {
  var values: [String: OpcodeValue] = [:]
  /// `amp_velcurve_N`: velocity N → gain 0 … 1.
  var velocityPoints: [Int: Double] = [:]
  /// `loccN` / `hiccN`: CC number → bound 0 … 127.
  var ccLow: [Int: Double] = [:]
  var ccHigh: [Int: Double] = [:]

  /// `self` as defaults, `other` on top (later levels win).
  func overlaid(by other: OpcodeSet) -> OpcodeSet {
    if other.isEmpty { return self }
    if isEmpty { return other }
    var r = self
    r.values.merge(other.values) { _, new in new }
    r.velocityPoints.merge(other.velocityPoints) { _, new in new }
    r.ccLow.merge(other.ccLow) { _, new in new }
    r.ccHigh.merge(other.ccHigh) { _, new in new }
    return r
  }

  var isEmpty: Bool { values.isEmpty && velocityPoints.isEmpty && ccLow.isEmpty && ccHigh.isEmpty }

  func number(_ key: String) -> Double? {
    if case .number(let v)? = values[key] { return v }
    return nil
  }

  func word(_ key: String) -> String? {
    if case .word(let w)? = values[key] { return w }
    return nil
  }

  func has(_ key: String) -> Bool { values[key] != nil }

}
