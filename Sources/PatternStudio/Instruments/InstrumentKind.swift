/// The kinds of instrument file (`"kind"` in `NAME.json`), each with the fields it takes besides the common
/// ones (`kind`, `description`, `gain`, `pan`, `program`).
enum InstrumentKind: String, CaseIterable, CustomStringConvertible {
  case synth, pluck, piano, grand, kit, sampler

  var description: String { rawValue }

  /// The fields of this kind.
  var fields: [String] {
    switch self {
    case .kit: ["hits"]
    case .sampler: ["zones", "envelope"]
    case .synth: ["range", "envelope", "wave", "oscillators", "filter"]
    case .pluck, .piano, .grand: ["range", "envelope"]
    }
  }

  /// The notes a pitched kind plays when the file gives no `range`.
  var defaultRange: ClosedRange<Int> {
    switch self {
    case .synth: 12...120
    case .pluck: 28...76
    default: 21...108
    }
  }
}
