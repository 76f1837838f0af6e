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
}
