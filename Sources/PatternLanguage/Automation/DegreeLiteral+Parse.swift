extension DegreeLiteral {
  /// Why a `^…` word is not a degree, as the diagnostic to report.
  struct Problem: Error {
    var diagnostic: Diagnostic
  }

  /// `^3`, `^b3`, `^##4` (1 … 15, at most two accidentals of one kind, before the number).
  static func parse(_ text: String, at range: SourceRange) -> Result<DegreeLiteral, Problem> {
    let body = text.dropFirst()
    let signs = body.prefix { $0 == "b" || $0 == "#" }
    let digits = body.dropFirst(signs.count)
    let hint = "degrees are ^1 … ^15, with b or # before the number: ^b3, ^#4"
    func problem(_ message: String, _ hint: String) -> Result<DegreeLiteral, Problem> {
      .failure(Problem(diagnostic: .error(message, at: range, hint: hint)))
    }
    guard !digits.isEmpty, digits.allSatisfy(\.isNumber), digits.count <= 2, let number = Int(digits) else {
      let backwards = body.first?.isNumber == true && (body.last == "b" || body.last == "#")
      let message = body.isEmpty ? "expected a degree number after '^'" : "'\(text)' is not a scale degree"
      let fix =
        backwards
        ? "accidentals come before the number: ^\(body.last!)\(body.dropLast())"
        : body.contains("'") ? "a named chord's root is a pitch (C4'maj); in degrees write the chord: [^1 ^3 ^5]" : hint
      return problem(message, fix)
    }
    guard signs.count <= 2, Set(signs).count <= 1 else {
      return problem("'\(text)' has too many accidentals", "at most two: ^bb7, ^##4")
    }
    guard (1...15).contains(number) else {
      return problem(
        "degree \(text) is out of range",
        "degrees run from ^1 to ^15; for lower notes set a lower tonic (scale D3:minor;) or transpose")
    }
    let accidental = signs.first == "#" ? signs.count : -signs.count
    return .success(DegreeLiteral(number: number, accidental: accidental, text: text, range: range))
  }
}
