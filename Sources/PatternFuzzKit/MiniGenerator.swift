/// Songs of mini-notation strings for fuzzing the string reader and its evaluator: strings of random characters
/// from the notation's alphabet, well-formed strings with byte mutations, and extremes (nesting past the limit,
/// factors in the billions, long strings, patterned arguments of zeros). Deterministic: one seed, one song.
public struct MiniGenerator {
  private var rng: SplitMix64

  public init(seed: UInt64) { rng = SplitMix64(seed: seed ^ 0x4D49_4E49) }

  static let alphabet = Array("abcdgh ~-_.^#[]<>{}(),|*/!@?%:0123456789é\\\"'")
  static let pitches = ["c4", "e4", "eb3", "f#2", "C4", "60", "^3", "~", "-"]
  static let drums = ["bd", "sd", "hh", "cr", "kick", "Snare", "~", "-"]
  /// The words of the string being made: the instrument's, and now and then one it cannot play.
  private var words = MiniGenerator.pitches

  /// The next song, as bytes.
  public mutating func song() -> [UInt8] {
    var lines = ["seed \(below(100));", chance(0.8) ? "scale D:dorian;" : ""]
    for _ in 0..<(below(4) + 1) {
      let instrument = pick(["saw", "piano", "synth", "sine"])
      words = (instrument == "synth" ? Self.drums : Self.pitches) + (chance(0.2) ? ["zz", "bd", "c4"] : [])
      var tail = ""
      if chance(0.7) { tail += " over \(pick(["1", "4", "3/2", "0", "0.001", "100000"]))" }
      if chance(0.5) { tail += " cycles \(pick(["1", "2", "16", "10000", "0"]))" }
      if chance(0.3) { tail += " at \(pick(["0", "2", "3:1", "1/3"]))" }
      if chance(0.3) {
        tail += " \(pick(["dur=1/4", "vel=0.5 ~ 0.3", "prob=0.5", "nudge=0.01", "cutoff=800 -> 2000"]))"
      }
      lines.append("\(pick(["melody", "rhythm", "harmony"])) { \(instrument) \"\(string())\"\(tail); }")
    }
    return Array(lines.joined(separator: "\n").utf8)
  }

  private mutating func string() -> String {
    switch below(4) {
    case 0: return String((0..<(below(60) + 1)).map { _ in pick(Self.alphabet) })
    case 1:
      var bytes = Array(wellFormed(depth: 0).utf8)
      for _ in 0..<(below(3) + 1) where !bytes.isEmpty {
        let i = below(bytes.count)
        switch below(3) {
        case 0: bytes.remove(at: i)
        case 1: bytes.insert(pick(Array("[]<>{}(),|*/!@?%:. ".utf8)), at: i)
        default: bytes.swapAt(i, below(bytes.count))
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    case 2:
      switch below(5) {
      case 0: return String(repeating: "[", count: 70) + "a" + String(repeating: "]", count: 70)
      case 1: return "c4*\(pick(["999999999", "1000000", "0.0000001", "<0 0>", "[0 1e9]"]))"
      case 2: return (0..<2000).map { _ in pick(words) }.joined(separator: " ")
      case 3: return "{\(pick(words)) \(pick(words))}%\(pick(["0", "999999", "<0 3>"]))"
      default: return "bd(\(pick(["1024,1024", "-1024,1024", "<0 5>,<0 1>", "3,1025", "999999999999,8"])))"
      }
    default: return wellFormed(depth: 0)
    }
  }

  private mutating func wellFormed(depth: Int) -> String {
    (0..<(below(4) + 1)).map { _ in
      var step: String
      switch below(6) {
      case 0 where depth < 4: step = "[\(wellFormed(depth: depth + 1))]"
      case 1 where depth < 4: step = "<\(wellFormed(depth: depth + 1))>"
      case 2 where depth < 4: step = "{\(wellFormed(depth: depth + 1)), \(pick(words))}%\(below(5) + 1)"
      default: step = pick(words)
      }
      return step + pick(["", "", "*2", "/3", "!3", "@2", "?", "?0.3", "(3,8)", "(5,8,2)", "*<2 3>", " _"])
    }.joined(separator: pick([" ", " ", " ", ", ", " | ", " . "]))
  }

  private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
  private mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / Double(1 << 53) < p }
  private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
