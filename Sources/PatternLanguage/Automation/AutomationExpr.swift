/// A value that moves over time, as written after `NAME=`:
///
/// - `-24 -> 0 over 16 at 32`: a ramp from the attribute's value to `to` over `over` beats from `at` (the
///   value holds before and after). On a note, `over` defaults to the note's length and `at` counts from the
///   note's start.
/// - `curve(-12 at 0, 0 at 16, -6 at 32)`: breakpoints joined by straight lines, held before the first and
///   after the last.
/// - `lfo(sine, period=4, depth=0.6, phase=0.25, center=0)`: a periodic wave around `center` (the parameter's
///   default when absent), its phase counted from beat 0 of the song.
///
/// Indirect: most attributes do not move, and an inline ramp made every `Attribute` (eight per note in a
/// typical song) about 150 bytes larger.
public indirect enum AutomationExpr: Hashable, Sendable {
  case ramp(RampExpr)
  case curve([CurvePoint], range: SourceRange)
  case lfo(LFOExpr)

  public var range: SourceRange {
    switch self {
    case .ramp(let r): return r.range
    case .curve(_, let range): return range
    case .lfo(let l): return l.range
    }
  }
}

/// `A -> B over L at T` (A is the attribute's own value).
public struct RampExpr: Hashable, Sendable {
  public var to: NumberLiteral
  public var over: NumberLiteral?
  public var at: TimeExpr?
  public var range: SourceRange
}

/// `VALUE at TIME` inside `curve(…)`.
public struct CurvePoint: Hashable, Sendable {
  public var value: NumberLiteral
  public var at: TimeExpr
  public var range: SourceRange
}

/// `lfo(SHAPE, NAME=NUM, …)`.
public struct LFOExpr: Hashable, Sendable {
  public var shape: Name
  public var arguments: [(name: Name, value: NumberLiteral)]
  public var range: SourceRange

  public static func == (a: LFOExpr, b: LFOExpr) -> Bool {
    a.shape == b.shape && a.range == b.range && a.arguments.map(\.name) == b.arguments.map(\.name)
      && a.arguments.map(\.value) == b.arguments.map(\.value)
  }

  public func hash(into h: inout Hasher) {
    h.combine(shape)
    h.combine(range)
    for a in arguments {
      h.combine(a.name)
      h.combine(a.value)
    }
  }
}
