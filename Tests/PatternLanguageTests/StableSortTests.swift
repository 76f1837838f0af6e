import Testing

@testable import PatternLanguage

/// `StableSort` orders as the standard library's stable sort does, equal items in their first order, on random
/// lists (few keys, so many ties), on lists made of sorted runs (a part's events, block after block), and at the
/// edges of its runs.
@Suite("Stable sort")
struct StableSortTests {
  static func expectSame(_ keys: [Int], _ what: String) {
    let items = keys.enumerated().map { (key: $0.element, position: $0.offset) }
    var sorted = items
    StableSort.sort(&sorted) { $0.key < $1.key }
    let expected = items.sorted { $0.key < $1.key }
    #expect(sorted.map(\.key) == expected.map(\.key), "\(what): keys")
    #expect(sorted.map(\.position) == expected.map(\.position), "\(what): equal keys keep their order")
  }

  @Test("random lists, with many equal keys, sort as the standard library's stable sort sorts them")
  func randomLists() {
    var state: UInt64 = 0x50_27ED
    for round in 0..<300 {
      let count = round < 80 ? round : (round * 37) % 1_500
      let distinct = 1 + round % 50
      var keys: [Int] = []
      for _ in 0..<count {
        state = StreamKey.mix(state)
        keys.append(Int(state % UInt64(distinct)))
      }
      Self.expectSame(keys, "round \(round), \(count) items, \(distinct) keys")
    }
  }

  @Test("lists of sorted runs, descending lists and sorted lists sort as the standard library's")
  func runs() {
    for blocks in [1, 2, 3, 7, 16] {
      for length in [1, 5, 31, 32, 33, 100, 640] {
        // Each block's notes in time order, every block over the same span: a part's events before sorting.
        let keys = (0..<blocks).flatMap { b in (0..<length).map { $0 * 3 + b % 3 } }
        Self.expectSame(keys, "\(blocks) runs of \(length)")
      }
    }
    Self.expectSame(Array((0..<500).reversed()), "descending")
    Self.expectSame(Array(repeating: 4, count: 300), "all equal")
    Self.expectSame(Array(0..<300), "sorted")
  }
}
