/// The benchmark songs, generated as text (the same language users write).
enum Songs {
  /// `voices` saws held for `seconds` (tempo 60: a beat is a second), at spread pitches.
  static func saws(voices: Int, seconds: Int) -> String {
    var lines = ["tempo 60;", "melody {"]
    for v in 0..<voices {
      lines.append("  saw \(36 + (v * 7) % 48) 0 dur=\(seconds) vel=0.2 pan=\(Double(v % 9 - 4) / 4);")
    }
    lines.append("}")
    return lines.joined(separator: "\n")
  }

  /// Eight piano notes a second, two hands.
  static func piano(seconds: Int) -> String {
    var lines = ["tempo 60;", "melody {"]
    for i in 0..<(seconds * 8) {
      lines.append("  piano \(48 + (i * 5) % 24) \(i)/8 dur=1/2;")
    }
    lines.append("}")
    return lines.joined(separator: "\n")
  }

  /// The effects of W3, one at a time (and none: the dry baseline).
  static let effects: [(String, String)] = [
    ("none (dry)", ""),
    ("eq(low, high, hp)", "eq(low=-2, high=2, hp=40)"),
    ("comp", "comp(threshold=-18, ratio=3, attack=0.01, release=0.2)"),
    ("reverb", "reverb(decay=1.6, predelay=0.02, damp=0.4)"),
    ("delay (ping-pong)", "delay(time=3/4, feedback=0.35, damp=0.3, pingpong=1)"),
    ("limit", "limit(ceiling=-1)"),
  ]

  /// A chord of saws through one track insert (`fx` empty: dry), for `seconds`.
  static func effect(_ fx: String, seconds: Int) -> String {
    let chain = fx.isEmpty ? "" : "(fx=\(fx))"
    return "tempo 60;\nmelody\(chain) {\n  saw C3 0 dur=\(seconds);\n  saw G3 0 dur=\(seconds);\n}"
  }

  /// Two notes a minute apart through W3's channel strip and reverb: what the effects cost idling in silence
  /// (their recursions come to rest on a flush grid; before, they sat in subnormal numbers: 14× slower on one thread).
  static let silence = """
    tempo 120;
    bus room = reverb(decay=1.6, predelay=0.02, damp=0.4);
    melody(send room=-12, fx=eq(low=-2, high=2, hp=40) -> comp(threshold=-30, ratio=3, attack=0.01, release=0.2)) {
      saw 48 0 dur=8;
      saw 55 120 dur=8;
    }
    """

  /// A W2-shaped song of `notes` notes in four blocks, for the front end.
  static func frontEndSong(notes: Int) -> String {
    var lines = ["import kit from \"drums\";", "tempo 120;"]
    let blocks = ["melody", "harmony", "contrast"]
    for (b, block) in blocks.enumerated() {
      lines.append("\(block) {")
      for i in 0..<(notes / 4) {
        lines.append(
          "  saw \(36 + (i + b) % 24) \(i)/2 dur=1/2 vel=1 pan=0 attack=0.005 decay=0.1 sustain=0.6 release=0.05;")
      }
      lines.append("}")
    }
    lines.append("rhythm {")
    for i in 0..<(notes / 4) { lines.append("  kit \(["Kick", "HiHat", "Snare", "HiHat"][i % 4]) \(i)/2 vel=1;") }
    lines.append("}")
    return lines.joined(separator: "\n")
  }
}
