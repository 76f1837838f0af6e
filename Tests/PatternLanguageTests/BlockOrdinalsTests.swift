import Testing

@testable import PatternLanguage

/// `BlockOrdinals` numbers blocks from 1 within each kind, as the `[BlockKind: Int]` it replaced did, and has a
/// place for every kind (a kind added to `BlockKind` without one would trap here, not in a user's song).
@Suite("Block ordinals")
struct BlockOrdinalsTests {
  @Test("each kind counts its own blocks from 1, whatever the others do")
  func perKind() {
    var ordinals = BlockOrdinals()
    var reference: [BlockKind: Int] = [:]
    let kinds = BlockKind.allCases
    for step in 0..<40 {
      let kind = kinds[(step * 7 + step / 3) % kinds.count]
      reference[kind, default: 0] += 1
      #expect(ordinals.next(kind) == reference[kind], "step \(step): \(kind)")
    }
    #expect(Set(reference.keys) == Set(kinds))
  }
}
