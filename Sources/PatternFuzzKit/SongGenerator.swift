/// Songs for fuzzing, made from the language's grammar rather than random bytes, so they reach the resolver,
/// the scheduler and the engine: every construct, numbers at their limits and negative, deep nesting of every
/// construct, long lines, every line ending — then, half the time, a few byte-level mutations on top.
/// Deterministic: one seed, one song.
public struct SongGenerator {
  private var rng: SplitMix64
  /// This song's mood: half the songs are valid all through (they reach the engine), half are hostile.
  private var hostile = false

  public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  /// Numbers most songs use.
  static let saneNumbers = ["0", "1", "2", "3", "0.5", ".25", "1/3", "3/4", "1/2", "4", "1.5"]
  /// Numbers at the limits: ordinary ones, limits, negatives, fractions, absurd sizes.
  static let numbers = [
    "0", "1", "2", "3", "4", "8", "0.5", ".25", "1/3", "3/4", "7/8", "16", "120", "-1", "-0.5", "-3/4", "1024",
    "1025", "4096", "10000", "10001", "100000", "100001", "999999999999", "0.000000000001", "9223372036854775807",
    "-9223372036854775808", "1/0", "0/0", "1e5", "2.5.1", "00000000000001",
  ]
  static let pitches = [
    "C4", "E4", "G4", "A4", "C0", "G9", "C-1", "B#9", "Cb0", "F#3", "Bb2", "60", "0", "127", "128", "-1", "~", "Kick",
    "Snare", "HiHat", "Crash", "Tom", "Clap",
  ]
  static let sanePitches = ["C4", "E4", "G4", "A3", "F#3", "Bb4", "D5", "~"]
  static let drums = ["Kick", "Snare", "HiHat", "Crash", "Tom"]
  static let instruments = ["piano", "synth", "guitar", "sine", "saw", "square", "triangle", "noise", "keys", "kit"]
  static let saneInstruments = ["piano", "sine", "saw", "square", "triangle", "noise", "guitar"]
  /// Instruments that play every sane pitch (chords, choices).
  static let wideInstruments = ["piano", "sine", "saw", "square", "triangle", "noise"]
  static let attributes = [
    "dur", "vel", "pan", "gain", "prob", "nudge", "attack", "decay", "release", "sustain", "transpose", "length",
  ]
  static let blocks = ["melody", "rhythm", "harmony", "contrast"]

  /// The next song, as bytes.
  public mutating func song() -> [UInt8] {
    hostile = chance(0.5)
    var parts: [String] = []
    if chance(0.3) { parts.append("import keys from \"grand\";") }
    if chance(0.3) { parts.append("import kit from \"drums\";") }
    if hostile && chance(0.2) {
      parts.append("import \(pick(["x", "../x", "/etc/passwd", ""])) from \"\(pick(["nope", "../x", ""]))\";")
    }
    if chance(0.5) { parts.append(tempo()) }
    if chance(0.3) {
      parts.append(hostile ? "meter \(number())/\(number());" : "meter \(pick(["3/4", "6/8", "5/4"]));")
    }
    if chance(0.15) {
      parts.append(
        hostile
          ? "meter \(number())/\(number()) at \(time());"
          : "meter \(pick(["3/4", "7/8", "2/4"])) at \(pick(["3:1", "9:1", "8", "2:2", "5"]));")
    }
    if chance(0.3) { parts.append("seed \(hostile ? number() : pick(["0", "7", "42"]));") }
    if chance(0.2) { parts.append(hostile ? "swing \(number()) per \(number());" : "swing 1/3 per 1/2;") }
    if chance(0.2) {
      parts.append("title \"\(pick(["Song", "", "é\\u{1F3B5}", String(repeating: "t", count: 300)]))\";")
    }
    var motifs: [String] = []
    for i in 0..<below(3) {
      let name = "m\(i)"
      motifs.append(name)
      parts.append("let \(name) = { \(statements(depth: 0, motifs: Array(motifs.dropLast()))) };")
    }
    if chance(0.3) {
      // A chain of sections, sometimes absurdly deep, sometimes a cycle.
      let n = hostile && chance(0.2) ? below(200) + 60 : below(4) + 1
      for i in 0..<n {
        let inner = i + 1 < n ? "arrange { s\(i + 1)\(chance(0.2) ? " x\(count())" : ""); }" : block(motifs: motifs)
        let meter = chance(0.2) ? "meter \(pick(["6/8", "3/4", "5/4"])); " : ""
        parts.append("section s\(i)\(hostile && chance(0.1) ? "(length=\(number()))" : "") { \(meter)\(inner) }")
      }
      if hostile && chance(0.1) { parts.append("section s\(n) { arrange { s0; } }") }
      parts.append("arrange { s0\(chance(0.3) ? " x\(count())" : ""); }")
    }
    if chance(0.3) { parts.append("bus room = \(chain());") }
    if chance(0.2) { parts.append("bus echo = \(chain());") }
    if chance(0.2) { parts.append("master(fx=\(chain()));") }
    for _ in 0..<(below(4) + 1) { parts.append(block(motifs: motifs)) }
    if hostile && chance(0.1) {
      parts.append(String(repeating: pick(["*", "{", "(", "[", "é", "\u{1}", "melody {"]), count: below(20_000)))
    }
    let ending = pick(["\n", "\r\n", "\r", " "])
    var bytes = Array(parts.joined(separator: ending).utf8)
    if hostile && chance(0.6) { mutate(&bytes) }
    return bytes
  }

  static let effects = [
    "reverb", "delay", "eq", "hp", "lp", "peak", "lowshelf", "highshelf", "comp", "drive", "chorus", "limit",
  ]
  static let effectParameters = [
    "decay", "predelay", "damp", "size", "width", "time", "feedback", "pingpong", "low", "high", "hp", "lp", "mid",
    "freq", "q", "gain", "threshold", "ratio", "knee", "attack", "release", "makeup", "amount", "rate", "depth",
    "ceiling", "mix", "key",
  ]

  private mutating func tempo() -> String {
    switch below(3) {
    case 0: "tempo \(bpm());"
    case 1: "tempo \(bpm()) -> \(bpm()) over \(number());"
    default: "tempo \(bpm()) at \(number());"
    }
  }

  /// An effect chain: real effects with sane or hostile values, sometimes unknown names, keys and arguments.
  private mutating func chain() -> String {
    (0..<(below(3) + 1)).map { _ -> String in
      let name = hostile && chance(0.1) ? pick(["revrb", "", "key"]) : pick(Self.effects)
      let args = (0..<below(4)).map { _ -> String in
        let key = hostile && chance(0.1) ? pick(["mix", "key", "nope"]) : pick(Self.effectParameters)
        let value = key == "key" ? pick(["rhythm", "\"melody 2\"", "melody", "nobody"]) : hostile ? number() : "0.5"
        return "\(key)=\(chance(0.15) ? moving(value) : value)"
      }
      return "\(name)(\(args.joined(separator: ", ")))"
    }.joined(separator: " -> ")
  }

  private mutating func block(motifs: [String]) -> String {
    var attrs = chance(0.3) ? (hostile ? "(gain=\(number()), pan=\(number()))" : "(gain=-3, pan=0.2)") : ""
    if chance(0.15) { attrs = "(gain=\(moving("-6")), pan=\(moving("0")))" }
    if chance(0.25) {
      let bus = hostile && chance(0.2) ? "nobus" : pick(["room", "echo"])
      attrs = "(send \(bus)=\(hostile ? number() : "-12"), width=\(hostile ? number() : "1.2"), fx=\(chain()))"
    }
    return "\(pick(Self.blocks))\(attrs) { \(statements(depth: 0, motifs: motifs)) }"
  }

  private mutating func statements(depth: Int, motifs: [String]) -> String {
    (0..<(below(6) + 1)).map { _ in statement(depth: depth, motifs: motifs) }.joined(separator: " ")
  }

  private mutating func statement(depth: Int, motifs: [String]) -> String {
    let deep = depth < (hostile && chance(0.05) ? 80 : 3)
    switch below(10) {
    case 0 where deep: return "repeat \(count()) every \(number()) { \(statements(depth: depth + 1, motifs: motifs)) }"
    case 1 where !motifs.isEmpty:
      return
        "play \(pick(motifs)) at \(number())\(chance(0.5) ? " transpose=\(hostile ? number() : "2")" : "")\(attributes());"
    case 2:
      let rotation = chance(0.5) ? ",\(hostile ? number() : pick(["1", "2", "-1"]))" : ""
      let counts = hostile ? "\(number()),\(number())" : pick(["3,8", "5,8", "2,5", "0,4"])
      return "\(note()) euclid(\(counts)\(rotation)) step \(number()) at \(number());"
    case 3: return "\(pick(Self.wideInstruments)) [\(chord(depth: depth))] \(time())\(attributes());"
    case 4: return "\(pick(Self.wideInstruments)) choose(\(pitch()), \(pitch()), ~) \(time());"
    case 5:
      let chord = hostile ? pick(["maj", "min7", "dim", "x", ""]) : pick(["maj", "min7", "dim"])
      return "\(pick(Self.wideInstruments)) \(pick(["C4", "E4", "A3"]))'\(chord) \(time());"
    case 6 where chance(0.5):
      let drums = chance(0.4)
      let parts = [
        chance(0.6) ? " over \(hostile ? number() : pick(["1", "2", "4", "3/2"]))" : "",
        chance(0.4) ? " cycles \(hostile ? number() : pick(["1", "2", "4"]))" : "",
        chance(0.4) ? " at \(time())" : "",
      ]
      let instrument = drums ? "synth" : pick(Self.wideInstruments)
      return "\(instrument) \"\(mini(depth: 0, drums: drums))\"\(parts.joined())\(attributes());"
    default: return "\(note()) \(time())\(attributes());"
    }
  }

  /// A mini-notation string: every construct, nested; hostile songs add stray brackets, absurd factors and
  /// characters that start nothing.
  private mutating func mini(depth: Int, drums: Bool) -> String {
    let words =
      drums
      ? ["bd", "sd", "hh", "cr", "kick", "Snare", "~", "-"] : ["c4", "e4", "g4", "eb3", "f#2", "C4", "60", "~", "^3"]
    var steps: [String] = []
    for _ in 0..<(below(5) + 1) {
      var step: String
      switch below(8) {
      case 0 where depth < (hostile && chance(0.05) ? 80 : 3): step = "[\(mini(depth: depth + 1, drums: drums))]"
      case 1 where depth < 3: step = "<\(mini(depth: depth + 1, drums: drums))>"
      case 2 where depth < 3:
        step =
          "{\(mini(depth: depth + 1, drums: drums)), \(pick(words)) \(pick(words))}\(chance(0.5) ? "%\(below(5) + 1)" : "")"
      default: step = pick(words)
      }
      switch below(10) {
      case 0: step += "*\(hostile && chance(0.3) ? number() : pick(["2", "3", "1.5", "<2 3>"]))"
      case 1: step += "/\(hostile && chance(0.3) ? number() : pick(["2", "3", "[2 4]"]))"
      case 2: step += "!\(pick(["", "2", "3"]))"
      case 3: step += "@\(pick(["", "2", "1.5"]))"
      case 4: step += "?\(pick(["", "0.3", "0.9"]))"
      case 5:
        step += hostile && chance(0.3) ? "(\(number()),\(number()))" : "(\(pick(["3,8", "5,8,2", "<3 5>,8", "-3,8"])))"
      default: break
      }
      steps.append(step)
    }
    let separator = chance(0.15) ? pick([", ", " | ", " . "]) : " "
    var text = steps.joined(separator: separator)
    if hostile && chance(0.2) {
      let junk = ["[", "]", "<", ">", "{", "}", "(", ")", "*", "/", "!", "@", "?", ",", "|", ":", "..", "$", "\\", "é"]
      text.insert(contentsOf: pick(junk), at: text.index(text.startIndex, offsetBy: below(text.count + 1)))
    }
    return text
  }

  private mutating func chord(depth: Int) -> String {
    if depth < 3 && chance(0.1) { return "[\(chord(depth: depth + 1))]" }
    return (0..<(below(4) + 1)).map { _ in pitch() }.joined(separator: " ")
  }

  /// An instrument and something it can play, now and then something it cannot.
  private mutating func note() -> String {
    if hostile && chance(0.2) { return "\(pick(Self.instruments)) \(pick(Self.pitches))" }
    if chance(0.25) { return "synth \(pick(Self.drums))" }
    let instrument = pick(Self.saneInstruments)
    // Guitar notes stay within E2–E4 (it plays up to E5): the generated songs keep their old meaning.
    return "\(instrument) \(instrument == "guitar" && !hostile ? pick(["E2", "A2", "D3", "G3", "B3"]) : pitch())"
  }

  private mutating func pitch() -> String { hostile && chance(0.2) ? pick(Self.pitches) : pick(Self.sanePitches) }

  private mutating func time() -> String {
    hostile && chance(0.2) ? "\(number()):\(number())" : chance(0.8) ? pick(["0", "0.5", "1", "1/3", "2"]) : number()
  }

  /// A value that moves: a ramp, a curve or an LFO (sane or hostile), or the value itself.
  private mutating func moving(_ value: String) -> String {
    switch below(4) {
    case 0: return "\(value) -> \(hostile ? number() : "0") over \(number())\(chance(0.5) ? " at \(time())" : "")"
    case 1: return "curve(\(value) at 0, \(hostile ? number() : "0.5") at \(number()), \(number()) at \(number()))"
    case 2:
      let shape = hostile && chance(0.2) ? pick(["wobble", ""]) : pick(["sine", "tri", "saw", "square"])
      return
        "lfo(\(shape), period=\(number()), depth=\(hostile ? number() : "0.2")\(chance(0.3) ? ", phase=\(number())" : ""))"
    default: return value
    }
  }

  private mutating func attributes() -> String {
    if chance(0.1) {
      return
        " \(pick(["cutoff", "res", "bend", "rate", "glide", "fenv", "start"]))=\(moving(hostile ? number() : "800"))"
    }
    return (0..<below(3)).map { _ in
      hostile
        ? " \(pick(Self.attributes))=\(number())"
        : " \(pick(["dur=0.5", "vel=0.8", "pan=-0.5", "gain=-6", "prob=0.5", "nudge=0.01", "release=0.1", "sustain=0.5"]))"
    }.joined()
  }

  private mutating func number() -> String {
    hostile && chance(0.3) ? pick(Self.numbers) : pick(Self.saneNumbers)
  }
  private mutating func count() -> String { hostile && chance(0.3) ? pick(Self.numbers) : pick(["2", "3", "4"]) }
  private mutating func bpm() -> String { hostile && chance(0.3) ? pick(Self.numbers) : pick(["90", "120", "140"]) }

  /// A few byte-level edits: delete, duplicate or swap a span, insert a fragment, flip a byte.
  private mutating func mutate(_ bytes: inout [UInt8]) {
    for _ in 0..<(below(4) + 1) where !bytes.isEmpty {
      let i = below(bytes.count)
      let j = min(bytes.count, i + below(16) + 1)
      switch below(5) {
      case 0: bytes.removeSubrange(i..<j)
      case 1: bytes.insert(contentsOf: bytes[i..<j], at: below(bytes.count))
      case 2:
        bytes.insert(contentsOf: Array(pick([";", "{", "}", "-", "/", "\"", "x99", "\r", "0/0", "//"]).utf8), at: i)
      case 3: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
      default: bytes.insert(contentsOf: bytes[i..<j], at: i)
      }
    }
  }

  private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
  private mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / Double(1 << 53) < p }
  private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014). The fuzzers and the tests'
/// mutators share it.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
