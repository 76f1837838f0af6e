import Testing

@testable import PatternLanguage

/// The events of a mini-notation string that start in cycles `0 ..< cycles`, as Strudel's tests print them
/// (`showFirstCycle`): `word: begin - end` in cycles, by onset.
func mini(_ text: String, cycles: Int = 1, key: UInt64 = 0) -> [String] {
  var parser = MiniParser(raw: text, origin: SourceLocation(offset: 1, line: 1, column: 2), limits: .default)
  let range = SourceRange(SourceLocation(offset: 0, line: 1, column: 1), SourceLocation(offset: 0, line: 1, column: 1))
  guard let notation = parser.parse(text: text, range: range) else {
    Issue.record("\(text): \(parser.error?.message ?? "?")")
    return []
  }
  var query = MiniQuery(notation, key: key, budget: 10_000_000)
  guard let haps = query.onsets(cycles: cycles) else {
    Issue.record("\(text): over budget")
    return []
  }
  return haps.map { "\(notation.leaves[$0.leaf].text): \($0.whole.begin) - \($0.whole.end)" }
}

/// Just the words, in onset order (Strudel's `firstCycleValues`).
func words(_ text: String, cycles: Int = 1, key: UInt64 = 0) -> [String] {
  mini(text, cycles: cycles, key: key).map { String($0.prefix { $0 != ":" }) }
}

/// Equivalence with Strudel's mini-notation: the cases of Strudel's own test suite
/// (`packages/mini/test/mini.test.mjs`), with expectations written from its documented behaviour — the same
/// events at the same rational times.
@Suite("Mini-notation: Strudel's cases")
struct MiniNotationTests {
  @Test("single elements, rests and sequences divide the cycle")
  func sequences() {
    #expect(words("a") == ["a"])
    #expect(mini("~") == [])
    #expect(mini("a b") == ["a: 0 - 1/2", "b: 1/2 - 1"])
    #expect(mini("a b c") == ["a: 0 - 1/3", "b: 1/3 - 2/3", "c: 2/3 - 1"])
    #expect(mini("a - b [- c]") == mini("a ~ b [~ c]"))
  }

  @Test("* and / are fast and slow, with exact ratios and patterned factors")
  func fastAndSlow() {
    #expect(mini("a*3 b") == mini("[a a a] b"))
    #expect(mini("[a a a]/3 b") == mini("a b"))
    #expect(mini("a/2") == ["a: 0 - 2"])
    #expect(mini("[c3 d3]/2") == ["c3: 0 - 1"])
    #expect(mini("[c3 d3]/2", cycles: 2) == ["c3: 0 - 1", "d3: 1 - 2"])
    #expect(mini("c3*2") == ["c3: 0 - 1/2", "c3: 1/2 - 1"])
    #expect(words("[c3 d3]*2") == ["c3", "d3", "c3", "d3"])
    #expect(mini("a*1.5", cycles: 2) == ["a: 0 - 2/3", "a: 2/3 - 4/3", "a: 4/3 - 2"])
    #expect(mini("[a*<3 5>]*2") == mini("[a a a] [a a a a a]"))
    #expect(mini("[a a a a a a a a]/[2 4]") == mini("[a a] a"))
  }

  @Test("<…> alternates per cycle: <a b c> is [a b c]/3")
  func alternation() {
    #expect(words("<a b>") == ["a"])
    #expect(words("<a b>", cycles: 4) == ["a", "b", "a", "b"])
    #expect(mini("<a b c>", cycles: 3) == mini("[a b c]/3", cycles: 3))
    #expect(mini("<a [b c]>", cycles: 2) == ["a: 0 - 1", "b: 1 - 3/2", "c: 3/2 - 2"])
    #expect(words("<a <b c>>", cycles: 4) == ["a", "b", "a", "c"])
    #expect(words("c4 <e4 g4>", cycles: 2) == ["c4", "e4", "c4", "g4"])
  }

  @Test("[…] subdivides, nested to any depth")
  func brackets() {
    #expect(mini("c3 [d3 e3]") == ["c3: 0 - 1/2", "d3: 1/2 - 3/4", "e3: 3/4 - 1"])
    #expect(mini("c3 [d3 [e3 f3]]") == ["c3: 0 - 1/2", "d3: 1/2 - 3/4", "e3: 3/4 - 7/8", "f3: 7/8 - 1"])
  }

  @Test("{…} polymeter at the first sequence's steps, or %n steps per cycle")
  func polymeter() {
    #expect(mini("{a b, c d e}*3") == mini("[a b a b a b, c d e c d e]"))
    #expect(mini("{a b, c [d e] f}*3") == mini("[a b a b a b, c [d e] f c [d e] f]"))
    #expect(mini("{a b c, d e}*2") == mini("[a b c a b c, d e d e d e]"))
    #expect(mini("{a b, c d e}%3") == mini("[a b a, c d e]"))
    #expect(mini("{a b, c d e}%5") == mini("[a b a b a, c d e c d]"))
    #expect(mini("{a b, c d e}%6") == mini("[a b a b a b, c d e c d e]"))
  }

  @Test(", stacks sequences")
  func stacks() {
    #expect(mini("c3,e3,g3") == ["c3: 0 - 1", "e3: 0 - 1", "g3: 0 - 1"])
    #expect(mini("[c3,e3,g3] f3") == ["c3: 0 - 1/2", "e3: 0 - 1/2", "g3: 0 - 1/2", "f3: 1/2 - 1"])
  }

  @Test("@ and _ elongate; they are interchangeable")
  func elongation() {
    #expect(mini("a@3 b") == ["a: 0 - 3/4", "b: 3/4 - 1"])
    #expect(mini("a@2 b@3") == ["a: 0 - 2/5", "b: 2/5 - 1"])
    #expect(mini("a _ b _ _") == mini("a@2 b@3"))
    #expect(mini("a @ b @ @") == mini("a _2 b _3"))
    #expect(mini("a@1.5 b") == ["a: 0 - 3/5", "b: 3/5 - 1"])
  }

  @Test("! replicates (a step per copy), also as repeated bare !")
  func replication() {
    #expect(mini("a!3 b") == ["a: 0 - 1/4", "a: 1/4 - 1/2", "a: 1/2 - 3/4", "b: 3/4 - 1"])
    #expect(mini("[<a b c>]!3 d", cycles: 3) == mini("<a b c> <a b c> <a b c> d", cycles: 3))
    #expect(mini("a ! ! b") == ["a: 0 - 1/4", "a: 1/4 - 1/2", "a: 1/2 - 3/4", "b: 3/4 - 1"])
    #expect(mini("[<a b c>]!! d", cycles: 3) == mini("<a b c> <a b c> <a b c> d", cycles: 3))
  }

  @Test("(k,n) Euclid, patterned arguments too")
  func euclid() {
    #expect(mini("a(3, 8)") == ["a: 0 - 1/8", "a: 3/8 - 1/2", "a: 3/4 - 7/8"])
    #expect(mini("[a(<3 5>, <8 16>)]*2") == mini("a(3,8) a(5,16)"))
    #expect(mini("[a b](3,8)") == ["a: 0 - 1/8", "a: 3/8 - 1/2", "b: 3/4 - 7/8"])
  }

  @Test(
    "Toussaint's Euclidean rhythms, with Strudel's corrections",
    arguments: [
      (1, 2, "x ~"), (1, 3, "x ~ ~"), (1, 4, "x ~ ~ ~"), (4, 12, "x ~ ~ x ~ ~ x ~ ~ x ~ ~"), (2, 5, "x ~ x ~ ~"),
      (3, 4, "x x x ~"), (3, 5, "x ~ x ~ x"), (3, 7, "x ~ x ~ x ~ ~"), (3, 8, "x ~ ~ x ~ ~ x ~"),
      (4, 7, "x ~ x ~ x ~ x"), (4, 9, "x ~ x ~ x ~ x ~ ~"), (4, 11, "x ~ ~ x ~ ~ x ~ ~ x ~"), (5, 6, "x x x x x ~"),
      (5, 7, "x ~ x x ~ x x"), (5, 8, "x ~ x x ~ x x ~"), (5, 9, "x ~ x ~ x ~ x ~ x"), (5, 11, "x ~ x ~ x ~ x ~ x ~ ~"),
      (5, 12, "x ~ ~ x ~ x ~ ~ x ~ x ~"), (5, 16, "x ~ ~ x ~ ~ x ~ ~ x ~ ~ x ~ ~ ~"), (7, 8, "x x x x x x x ~"),
      (7, 12, "x ~ x x ~ x ~ x x ~ x ~"), (7, 16, "x ~ ~ x ~ x ~ x ~ ~ x ~ x ~ x ~"),
      (9, 16, "x ~ x x ~ x ~ x ~ x x ~ x ~ x ~"), (11, 24, "x ~ ~ x ~ x ~ x ~ x ~ x ~ ~ x ~ x ~ x ~ x ~ x ~"),
      (13, 24, "x ~ x x ~ x ~ x ~ x ~ x ~ x x ~ x ~ x ~ x ~ x ~"),
    ])
  func toussaint(pulses: Int, steps: Int, expected: String) {
    #expect(mini("x(\(pulses),\(steps))") == mini(expected))
  }

  @Test("a rotation turns left, as euclid(…) does (Strudel's turns right: its r is our steps − r)")
  func rotation() {
    #expect(mini("x(3,8,2)") == mini("~ x ~ ~ x ~ x ~"))
    #expect(mini("x(3,8,6)") == mini("x ~ x ~ ~ x ~ ~"))  // Strudel's x(3,8,2)
    #expect(mini("x(-3,8)") == mini("~ x x ~ x x ~ x"))  // negative pulses invert, as in Strudel
  }

  @Test(". separates feet, like brackets around each")
  func feet() {
    #expect(mini("a . b c") == mini("a [b c]"))
    #expect(mini("a . b c . [d e f . g h]") == mini("a [b c] [[d e f] [g h]]"))
  }

  @Test("? drops half the events (or the share given), the same ones on every run")
  func degrade() {
    let half = mini("a?", cycles: 1000, key: 11).count
    #expect((459...541).contains(half))
    let most = mini("a?0.8", cycles: 1000, key: 11).count
    #expect(most > 0 && most < 230)
    #expect(mini("[a?]*8", cycles: 4, key: 5) != mini("[a?]*8", cycles: 4, key: 6))
    #expect(mini("a?0") == mini("a"))
    #expect(mini("a?1") == [])
  }

  @Test("| chooses one per cycle; independent uses are independent")
  func choice() {
    let values = words("[a|b] [a|b]", cycles: 1000, key: 3)
    var counts: [String: Int] = [:]
    for i in stride(from: 0, to: values.count, by: 2) { counts[values[i] + values[i + 1], default: 0] += 1 }
    #expect(counts.count == 4)
    for (_, n) in counts { #expect((215...286).contains(n), "\(counts)") }
  }

  @Test("| nests: a | [b | c] | [d | e | f] gives 1/3, 1/6 and 1/9 (chi-squared at 99 %)")
  func nestedChoice() {
    let cycles = 900
    var observed: [String: Double] = [:]
    for w in words("a | [b | c] | [d | e | f]", cycles: cycles, key: 7) { observed[w, default: 0] += 1 }
    let expected: [String: Double] = ["a": 300, "b": 150, "c": 150, "d": 100, "e": 100, "f": 100]
    let chi = expected.reduce(-Double(cycles)) { $0 + (observed[$1.key] ?? 0) * (observed[$1.key] ?? 0) / $1.value }
    #expect(chi <= 15.086, "\(observed)")
  }

  @Test("edge cases Strudel settles: no pulses, one bracketed step in <…> and {…}, @0, operator order, exponents")
  func edges() {
    #expect(mini("x(0,8)") == [])
    #expect(mini("x(-0,8) y") == mini("~ y"))
    #expect(mini("<[a b c]>", cycles: 2) == mini("[a b c]", cycles: 2))
    #expect(mini("{[a b], c d e}", cycles: 3) == mini("[a b], <c d e>", cycles: 3))
    #expect(mini("a@0 b") == mini("a b"))  // Strudel reads a weight as `weight || 1`
    #expect(mini("a!2*3") == mini("a*6"))
    #expect(mini("a*3!2") == mini("a*6"))
    #expect(mini("a!2*3 b") == mini("a*6@2 b"))
    #expect(mini("a(3,<8 16>)", cycles: 2) == mini("<a(3,8) a(3,16)>", cycles: 2))
    #expect(mini("a*1e1") == mini("a*10"))
    #expect(mini("a*2.5e-1", cycles: 4) == mini("a/4", cycles: 4))
    #expect(mini("a@.5") == mini("a@2 .5"))  // a number after an operator starts with a digit
    #expect(mini("a\u{A0}b") == mini("a b"))  // a no-break space is a blank, as in Strudel
    #expect(mini("a/<0 2>", cycles: 4) == [])  // slow by 0 is silence; by 2 no cycle starts an event
    #expect(mini("{a b}%<0 3>", cycles: 2) == ["b: 1 - 4/3", "a: 4/3 - 5/3", "b: 5/3 - 2"])
  }

  @Test("every word keeps the exact characters it was written with")
  func leafLocations() throws {
    var parser = MiniParser(
      raw: "bd*2 [sd cp]", origin: SourceLocation(offset: 1, line: 1, column: 2), limits: .default)
    let parsed = parser.parse(text: "bd*2 [sd cp]", range: SourceRange(at: .init(offset: 0, line: 1, column: 1)))
    let notation = try #require(parsed)
    #expect(
      notation.leaves.map { [$0.range.start.offset, $0.range.end.offset] } == [[1, 3], [4, 5], [7, 9], [10, 12]])
    #expect(notation.leaves.map(\.text) == ["bd", "2", "sd", "cp"])
    var wide = MiniParser(raw: "é b", origin: SourceLocation(offset: 1, line: 1, column: 2), limits: .default)
    let parsedWide = wide.parse(text: "é b", range: SourceRange(at: .init(offset: 0, line: 1, column: 1)))
    let accented = try #require(parsedWide)
    #expect(accented.leaves[1].range.start.column == 4)
    #expect(accented.leaves[1].range.start.offset == 4)
    // An error after a multi-byte character points at its own column.
    var broken = MiniParser(raw: "é [c4", origin: SourceLocation(offset: 1, line: 1, column: 2), limits: .default)
    #expect(broken.parse(text: "é [c4", range: SourceRange(at: .init(offset: 0, line: 1, column: 1))) == nil)
    #expect(broken.error?.range.start.column == 4)
    #expect(broken.error?.range.start.offset == 4)
  }

  @Test("deep and long strings stay exact and bounded")
  func bounds() {
    #expect(mini("[[[[[[a]]]]]]") == ["a: 0 - 1"])
    #expect(mini("a*1000").count == 1000)
    var parser = MiniParser(
      raw: "a*1000000000", origin: SourceLocation(offset: 1, line: 1, column: 2), limits: .default)
    let notation = parser.parse(text: "a*1000000000", range: SourceRange(at: .init(offset: 0, line: 1, column: 1)))!
    var query = MiniQuery(notation, key: 0, budget: 100_000)
    #expect(query.onsets(cycles: 1) == nil)
  }
}
