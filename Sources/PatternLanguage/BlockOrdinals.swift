/// Top-level blocks counted by kind as they are met (`melody` 1, `rhythm` 1, `melody` 2 …): a block's ordinal names
/// its track and keys its random streams.
///
/// A fixed table, not a `[BlockKind: Int]`: making the first such dictionary has the Swift runtime look up
/// `BlockKind: Hashable` by scanning every conformance record in `pstudio` (the statically linked Foundation and
/// packages included), ~0.1 ms on the front end's one-thread path for W2 (`perf`, 60 fresh `check`s).
struct BlockOrdinals {
  private var counts = InlineArray<4, Int>(repeating: 0)

  /// The ordinal of the next block of `kind`, from 1.
  mutating func next(_ kind: BlockKind) -> Int {
    let slot = kind.slot
    counts[slot] += 1
    return counts[slot]
  }
}

extension BlockKind {
  /// The kind's place in declaration order (0 … 3).
  fileprivate var slot: Int {
    switch self {
    case .melody: 0
    case .rhythm: 1
    case .harmony: 2
    case .contrast: 3
    }
  }
}
