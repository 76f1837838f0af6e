/// "Did you mean …?" suggestions by edit distance.
public enum Suggestions {
  /// The candidate closest to `word` (case-insensitively), if it is close enough to be a likely typo:
  /// at most one edit for words of up to four letters, two for longer ones. Ties go to the earliest candidate,
  /// so the answer never depends on hashing order.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased().unicodeScalars)
    guard !w.isEmpty, w.count <= 64 else { return nil }
    let limit = w.count <= 4 ? 1 : 2
    var best: (String, Int)?
    for c in candidates {
      let cs = Array(c.lowercased().unicodeScalars)
      guard abs(cs.count - w.count) <= limit, cs.count <= 64 else { continue }
      let d = distance(w, cs)
      if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
  }

  /// A hint sentence for `closest(to:in:)`, or nil.
  public static func hint(for word: String, in candidates: [String]) -> String? {
    closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
  }

  /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions: "kcik" → "kick" is 1).
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          cur[j] = Swift.min(cur[j], prev2[j - 2] + 1)
        }
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }
}
