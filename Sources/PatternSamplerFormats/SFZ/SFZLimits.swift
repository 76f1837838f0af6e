/// Hard bounds that keep the reader total on hostile input (it is fuzzed). Every limit that is hit
/// produces one located warning; the load still returns what was read so far.
public struct SFZLimits: Hashable, Sendable {
  /// Nesting depth of `#include` (the top-level file is depth 1).
  public var maxIncludeDepth = 16
  /// Total number of `#include` files opened in one load (stops include fan-out bombs).
  public var maxIncludedFiles = 1_000
  /// Total bytes of SFZ text read in one load, all files together.
  public var maxTextBytes = 32 << 20
  /// Regions produced (further `<region>` headers are ignored, with one warning).
  public var maxRegions = 100_000
  /// Longest result of one `$NAME` expansion, bytes; `#define` chains that grow past it are cut.
  public var maxExpansionBytes = 1 << 16
  /// Rounds of re-expansion of one value (sfizz re-expands until no `$` is left; `#define $A $A` never ends).
  public var maxExpansionRounds = 16
  /// Bytes produced by `$` expansion in one load, all values together.
  public var maxTotalExpansionBytes = 32 << 20
  /// Warnings kept; one more says how many were dropped.
  public var maxWarnings = 10_000

  public init() {}
}

/// Collects warnings up to `SFZLimits.maxWarnings`.
/// Why a class: the syntax parser, the opcode reader and the region builder all append to one list.
final class WarningLog {
  private(set) var items: [ReaderWarning] = []
  private(set) var dropped = 0
  let limit: Int

  init(limit: Int) { self.limit = max(0, limit) }

  func add(_ location: SourceLocation, _ message: String) {
    if items.count < limit { items.append(location.warning(message)) } else { dropped += 1 }
  }

  /// The kept warnings plus, when some were dropped, one summary line.
  func finish(file: String) -> [ReaderWarning] {
    guard dropped > 0 else { return items }
    return items + [
      ReaderWarning(
        file: file, line: 0, column: 0,
        message: "\(dropped) further warnings were dropped (limit \(limit))")
    ]
  }
}
