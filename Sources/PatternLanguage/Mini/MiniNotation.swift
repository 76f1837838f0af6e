/// A mini-notation string as parsed: `"kick*2 [snare clap] hh*4"`, `"c4 e4 <g4 [a4 b4]> ~"`.
///
/// The syntax is Strudel's (and TidalCycles'): sequences, `~` rests, `[ ]` subdivision, `.` feet, `*` and `/`,
/// `<…>` alternation, `{…}%n` polymeter, `!` replication, `@` and `_` elongation, `?` degradation, `,` stacks,
/// `|` random choice and `(k,n,r)` Euclid. Every leaf keeps the source range of its characters, so errors and
/// events point at the exact word inside the string.
public struct MiniNotation: Hashable, Sendable {
  /// The pattern: one cycle of it spans the statement's `over` beats.
  public var root: MiniNode
  /// The words of the string, in source order; `MiniNode.atom` and `MiniNode.number` index into it.
  public var leaves: [MiniLeaf]
  /// The string as written, without its quotes.
  public var text: String
  /// The string's range, quotes included.
  public var range: SourceRange
}

/// One word of a mini-notation string.
public struct MiniLeaf: Hashable, Sendable {
  /// The word as written (`c4`, `bd`, `Kick`, `^3`, `60`, `2`).
  public var text: String
  public var range: SourceRange
  /// The value of a word in a number position (after `*`, `/`, `%`, inside `( )`); nil for a sound.
  public var number: BeatTime?
}

/// The structure of a mini-notation pattern. Times are in cycles; the semantics are Strudel's, operation for
/// operation (see `MiniQuery`).
public indirect enum MiniNode: Hashable, Sendable {
  /// `~` or `-`: nothing.
  case silence
  /// A sound word, by its index in `MiniNotation.leaves`: one event per cycle.
  case atom(Int)
  /// Steps side by side in one cycle, each taking a share of it proportional to its weight (`@`, `_`, `!`).
  case sequence([MiniStep])
  /// `a, b`: all at once.
  case stack([MiniNode])
  /// `a | b | c`: one per cycle, drawn from the statement's seeded stream (`site` numbers the `|` groups).
  case choice([MiniNode], site: Int)
  /// `x*2`, `x/3`, `x*<2 3>`: faster (or slower) by a factor, which may itself be a pattern of numbers.
  case fast(MiniNode, by: MiniArgument)
  case slow(MiniNode, by: MiniArgument)
  /// `x!3`: three copies in a step of weight 3, each copy playing the cycle the one step would have
  /// (Strudel's `repeatCycles(3).fast(3)`).
  case replicate(MiniNode, count: Int)
  /// `x(3,8,2)`: x on the onsets of E(3,8), rotated left by 2 steps (as `euclid(…)`; Strudel rotates right).
  case euclid(MiniNode, pulses: MiniArgument, steps: MiniArgument, rotation: MiniArgument?)
  /// `x?`, `x?0.3`: each event dropped with that probability, drawn from the statement's seeded stream by its
  /// onset (`site` numbers the `?` marks).
  case degrade(MiniNode, amount: BeatTime, site: Int)
  /// `{a b, c d e}%4` and `<a b, c d e>`: each sequence `fast(steps / its weight)`, where `steps` is the
  /// argument, or nil for the first sequence's weight. Alternation `<…>` is a polymeter of one step per cycle.
  case polymeter([MiniNode], steps: MiniArgument?)
}

/// A step of a sequence and its share of the cycle.
public struct MiniStep: Hashable, Sendable {
  public var node: MiniNode
  /// 1 unless elongated (`@3`, `_`) or replicated (`!3` weighs 3).
  public var weight: BeatTime
}

/// A factor, a Euclid count or a polymeter's steps: a number, or a pattern of numbers (`<3 5>`, `[2 4]`).
public indirect enum MiniArgument: Hashable, Sendable {
  case constant(BeatTime)
  case pattern(MiniNode)
}

extension MiniNode {
  /// The weight `<…>` and `{…}` count a sequence by: the sum of its steps' weights (1 for anything else).
  var weight: BeatTime {
    guard case .sequence(let steps) = self else { return .one }
    return steps.reduce(.zero) { $0 + $1.weight }
  }
}
