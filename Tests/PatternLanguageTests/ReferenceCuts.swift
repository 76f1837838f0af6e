@testable import PatternLanguage

/// The scan `SourceCuts` used before its skip loop, byte by byte: the reference its cuts are compared with.
enum ReferenceCuts {
  typealias Cut = SourceCuts.Cut

  /// Up to `parts − 1` cuts, increasing, each the candidate nearest an equal share of the file's cost
  /// (`SourceCuts.cost`); nil when the file has nowhere to cut, or closes more than it opens before the last cut.
  static func cuts(in bytes: [UInt8], parts: Int) -> [Cut]? {
    guard parts >= 2, !bytes.isEmpty else { return nil }
    var cuts: [Cut] = []
    var next = 1
    let total = SourceCuts.cost(offset: bytes.count, semicolons: bytes.filter { $0 == UInt8(ascii: ";") }.count)
    var target = total * next / parts
    var before: (cut: Cut, cost: Int)?
    var semicolons = 0
    return bytes.withUnsafeBufferPointer { b -> [Cut]? in
      let count = b.count
      var i = 0
      var depth = 0
      // The item being read starts with a block kind, and its one open bracket (depth 1) is the block's `{`.
      var expectingItem = true
      var itemIsBlock = false
      var inBlockBody = false
      while i < count {
        let c = b[i]
        i += 1
        if c == UInt8(ascii: ";") { semicolons += 1 }
        var cut: Cut
        switch c {
        case UInt8(ascii: "\""):
          // A string: to its closing quote, or the end of the line (where the lexer stops it too).
          while i < count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\n") {
            i += b[i] == UInt8(ascii: "\\") ? 2 : 1
          }
          i += 1
          expectingItem = false
          continue
        case UInt8(ascii: "/") where i < count && b[i] == UInt8(ascii: "/"):
          while i < count, b[i] != UInt8(ascii: "\n") { i += 1 }
          continue
        case UInt8(ascii: "/") where i < count && b[i] == UInt8(ascii: "*"):
          i += 1
          while i + 1 < count, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
          i += 2
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["):
          if depth == 0 { inBlockBody = itemIsBlock && c == UInt8(ascii: "{") }
          depth += 1
          expectingItem = false
          continue
        case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
          depth -= 1
          guard depth >= 0 else { return nil }
          if depth == 0 { inBlockBody = false }
          // `let m = { … };` goes on to its `;`: the cut comes after that.
          guard c == UInt8(ascii: "}"), depth == 0, !semicolonFollows(b, i) else { continue }
          cut = Cut(offset: i, insideBlock: false)
          expectingItem = true
          itemIsBlock = false
        case UInt8(ascii: ";") where depth == 0:
          cut = Cut(offset: i, insideBlock: false)
          expectingItem = true
          itemIsBlock = false
        case UInt8(ascii: ";") where depth == 1 && inBlockBody:
          cut = Cut(offset: i, insideBlock: true)
        default:
          if expectingItem && depth == 0 && Lexer.isIdentifierStart(c) {
            let start = i - 1
            while i < count, Lexer.isIdentifierContinue(b[i]) { i += 1 }
            itemIsBlock = isBlockKind(b, start, i)
            expectingItem = false
          }
          continue
        }
        // A place to cut: keep the one nearest the target.
        let at = SourceCuts.cost(offset: cut.offset, semicolons: semicolons)
        if at < target {
          before = (cut, at)
          continue
        }
        let best = before.map { target - $0.cost < at - target ? $0.cut : cut } ?? cut
        if best.offset < count, cuts.last.map({ best.offset > $0.offset }) ?? true { cuts.append(best) }
        next += 1
        if next == parts { break }
        target = total * next / parts
        before = at < target ? (cut, at) : nil
      }
      if next < parts, let before = before?.cut, before.offset < count,
        cuts.last.map({ before.offset > $0.offset }) ?? true
      {
        cuts.append(before)
      }
      return cuts.isEmpty ? nil : cuts
    }
  }

  /// Whether `b[start ..< end]` spells a block kind.
  private static func isBlockKind(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    BlockKind.allCases.contains { kind in
      kind.rawValue.utf8.count == end - start && kind.rawValue.utf8.elementsEqual(b[start..<end])
    }
  }

  /// Whether the next byte after blanks from `i` is `;`.
  private static func semicolonFollows(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    var i = i
    while i < b.count,
      b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") || b[i] == UInt8(ascii: "\n")
        || b[i] == UInt8(ascii: "\r")
    {
      i += 1
    }
    return i < b.count && b[i] == UInt8(ascii: ";")
  }
}
