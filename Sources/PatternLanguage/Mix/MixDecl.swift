/// `reverb(decay=2.4, key=rhythm)`: one effect as written.
public struct EffectCall: Hashable, Sendable {
  public var name: Name
  public var arguments: [EffectArgument]
  public var range: SourceRange
}

/// `decay=2.4`, or `key=rhythm` / `key="melody 2"`.
public struct EffectArgument: Hashable, Sendable {
  public enum Value: Hashable, Sendable {
    case number(NumberLiteral)
    /// A track name: a bare word (`rhythm`) or a string (`"melody 2"`).
    case name(Name)
  }
  public var name: Name
  public var value: Value
  public var range: SourceRange
  /// How a number moves over time (`freq=300 -> 6000 over 8`), nil when constant.
  public var automation: AutomationExpr? = nil
}

/// `bus room = reverb(…) -> delay(…);`
public struct BusDecl: Hashable, Sendable {
  public var name: Name
  public var chain: [EffectCall]
  public var range: SourceRange
}

/// `master(fx=comp(…) -> limit(ceiling=-1));`
public struct MasterDecl: Hashable, Sendable {
  public var chain: [EffectCall]
  public var range: SourceRange
}

/// `send room=-12` inside a block's parentheses.
public struct SendDecl: Hashable, Sendable {
  public var bus: Name
  public var level: NumberLiteral
  public var range: SourceRange
  /// How the level moves over time (`send room=-30 -> -8 over 8 at 32`), nil when constant.
  public var automation: AutomationExpr? = nil
}
