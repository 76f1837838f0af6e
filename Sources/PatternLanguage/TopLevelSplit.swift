/// Where a file can be cut into parts that parse on their own: just after a `;` or a `}` that ends a top-level
/// item (nothing open around it), found by one pass over the bytes that skips strings and comments.
///
/// The cut is only a guess from the bytes: a part parsed on its own is trusted only when neither part reports
/// anything (`Parser.parseInParts`), which is when the whole file would have parsed to the same items.
enum TopLevelSplit {
  /// Up to `parts − 1` cut offsets, increasing, each the candidate nearest an equal share of the file; nil when
  /// the file has fewer places to cut, or closes more than it opens.
  static func points(in bytes: [UInt8], parts: Int) -> [Int]? {
    guard parts >= 2, !bytes.isEmpty else { return nil }
    var cuts: [Int] = []
    var next = 1
    var target = bytes.count * next / parts
    var before: Int?
    return bytes.withUnsafeBufferPointer { b -> [Int]? in
      let count = b.count
      var i = 0
      var depth = 0
      while i < count {
        let c = b[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""):
          // A string: to its closing quote, or the end of the line (where the lexer stops it too).
          while i < count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\n") {
            i += b[i] == UInt8(ascii: "\\") ? 2 : 1
          }
          i += 1
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
          depth += 1
          continue
        case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
          depth -= 1
          guard depth >= 0 else { return nil }
          // `let m = { … };` goes on to its `;`: the cut comes after that.
          guard c == UInt8(ascii: "}"), depth == 0, !semicolonFollows(b, i) else { continue }
        case UInt8(ascii: ";") where depth == 0:
          break
        default:
          continue
        }
        // `i` is a place to cut: keep the one nearest the target.
        if i < target {
          before = i
          continue
        }
        let best = before.map { target - $0 < i - target ? $0 : i } ?? i
        if best < count, cuts.last.map({ best > $0 }) ?? true { cuts.append(best) }
        next += 1
        if next == parts { break }
        target = count * next / parts
        before = i < target ? i : nil
      }
      if next < parts, let before, before < count, cuts.last.map({ before > $0 }) ?? true { cuts.append(before) }
      return cuts.isEmpty ? nil : cuts
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
