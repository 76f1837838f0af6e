import Testing

@testable import PatternLanguage

/// `Attribute` keeps plain one-line attributes in a compact form and the rest boxed: either way its fields read
/// back exactly as written, changes go to the right form, and equality is the fields' equality.
@Suite("Attribute storage")
struct AttributeStorageTests {
  static func at(_ offset: Int, line: Int = 3, column: Int) -> PatternLanguage.SourceLocation {
    PatternLanguage.SourceLocation(offset: offset, line: line, column: column)
  }

  /// `vel=0.8` at byte 100, column 5 of line 3 (compact), and variants that are not.
  static let name = Name("vel", SourceRange(at(100, column: 5), at(103, column: 8)))
  static let value = NumberLiteral(
    value: BeatTime(4, 5), text: "0.8", range: SourceRange(at(104, column: 9), at(107, column: 12)))

  static func fields(_ a: Attribute) -> String {
    "\(a.name.text) \(a.name.range) \(a.value.text) \(a.value.value) \(a.value.range) \(a.range) "
      + "\(a.automation.map { "\($0)" } ?? "-") \(a.spread?.text ?? "-")"
  }

  @Test("fields read back as given, compact or boxed")
  func roundTrip() {
    let plain = Attribute(name: Self.name, value: Self.value, range: Self.name.range.union(Self.value.range))
    var spaced = Self.value
    spaced.range = SourceRange(Self.at(106, column: 11), Self.at(109, column: 14))  // `vel = 0.8`
    var otherLine = Self.value
    otherLine.range = SourceRange(Self.at(106, line: 4, column: 1), Self.at(109, line: 4, column: 4))
    var wide = Self.value
    wide.range = SourceRange(Self.at(104, column: 9), Self.at(108, column: 12))  // a 2-byte character
    let spread = NumberLiteral(
      value: BeatTime(1, 10), text: "0.1", range: SourceRange(Self.at(110, column: 15), Self.at(113, column: 18)))
    let cases: [(Name, NumberLiteral, SourceRange, NumberLiteral?)] = [
      (Self.name, Self.value, Self.name.range.union(Self.value.range), nil),
      (Self.name, spaced, Self.name.range.union(spaced.range), nil),
      (Self.name, otherLine, Self.name.range.union(otherLine.range), nil),
      (Self.name, wide, Self.name.range.union(wide.range), nil),
      (Self.name, Self.value, Self.name.range.union(spread.range), spread),
      (Self.name, Self.value, Self.name.range, nil),  // a range that is not name…value
    ]
    for (name, value, range, spread) in cases {
      let a = Attribute(name: name, value: value, range: range, spread: spread)
      #expect(a.name == name && a.value == value && a.range == range && a.spread == spread && a.automation == nil)
      #expect(a.nameText == name.text && a.exactValue == value.value)
      #expect(a.noteKind == .vel)
    }
    #expect(plain.name.range.end == Self.at(103, column: 8))
  }

  @Test("the kind an attribute's name spells is the one NoteAttribute.named finds, however it was read; 72 bytes")
  func kinds() {
    for kind in NoteAttribute.allCases {
      let name = Name(
        kind.rawValue,
        SourceRange(
          Self.at(100, column: 5), Self.at(100 + kind.rawValue.utf8.count, column: 5 + kind.rawValue.utf8.count)))
      let start = name.range.end.offset + 1
      let value = NumberLiteral(
        value: BeatTime(1, 2), text: "1/2",
        range: SourceRange(Self.at(start, column: start - 95), Self.at(start + 3, column: start - 92)))
      let token = Attribute(name: name, value: value, range: name.range.union(value.range))
      let plain = Attribute(
        plainName: kind.rawValue, kind: NoteAttribute.named(kind.rawValue), text: "1/2", value: BeatTime(1, 2),
        start: name.range.start, nameLength: kind.rawValue.utf8.count, valueOffset: start - 100,
        valueEnd: start + 3 - 100)
      #expect(token.noteKind == kind && plain.noteKind == kind, "\(kind)")
      #expect(token == plain, "\(kind): both readers build the same attribute")
    }
    let unknown = Attribute(
      name: Name("volume", SourceRange(Self.at(100, column: 5), Self.at(106, column: 11))),
      value: NumberLiteral(
        value: .one, text: "1", range: SourceRange(Self.at(107, column: 12), Self.at(108, column: 13))),
      range: SourceRange(Self.at(100, column: 5), Self.at(108, column: 13)))
    #expect(unknown.noteKind == nil)
    // A long name that spells nothing reads back as written.
    let long = String(repeating: "x", count: 130)
    let boxed = Attribute(
      plainName: long, kind: nil, text: "1", value: .one, start: Self.at(100, column: 5), nameLength: 130,
      valueOffset: 131, valueEnd: 132)
    #expect(boxed.name.text == long && boxed.name.range.end == Self.at(230, column: 135))
    #expect(boxed.value.range == SourceRange(Self.at(231, column: 136), Self.at(232, column: 137)))
    #expect(boxed.noteKind == nil && boxed.exactValue == .one)
    // Eight per note: the compact form must not grow (a fresh page costs more than parsing what fills it). The
    // kind took it from 64 to 72 bytes; packed into the name's length byte it kept 64 but measured slower.
    #expect(MemoryLayout<Attribute>.stride == 72)
  }

  @Test("changing a field moves the attribute between forms; equal fields are equal attributes")
  func changes() {
    let range = Self.name.range.union(Self.value.range)
    let plain = Attribute(name: Self.name, value: Self.value, range: range)
    var changed = plain
    let spread = NumberLiteral(
      value: BeatTime(1, 10), text: "0.1", range: SourceRange(Self.at(110, column: 15), Self.at(113, column: 18)))
    changed.spread = spread
    changed.range = Self.name.range.union(spread.range)
    #expect(changed.spread == spread && changed.value == Self.value && changed != plain)
    changed.spread = nil
    changed.range = range
    #expect(changed == plain && changed.hashValue == plain.hashValue)
    #expect(Self.fields(changed) == Self.fields(plain))
    var renamed = plain
    renamed.name = Name("dur", Self.name.range)
    #expect(renamed.name.text == "dur" && renamed.value == Self.value && renamed != plain)
  }

  @Test("a parsed statement's attributes have the ranges the parser gives them")
  func parsed() {
    let text = "melody { piano C4 0 dur=1/2  vel = 0.8 ~ 0.1 cutoff=300 -> 900 over 2 pan=-0.5; }"
    let (file, diagnostics) = Parser.parse(SourceFile(name: "t.pattern", text: text))
    #expect(diagnostics.isEmpty)
    guard case .note(let s)? = file.blocks.first?.statements.first else {
      Issue.record("no statement")
      return
    }
    func slice(_ r: SourceRange) -> String {
      String(decoding: Array(text.utf8)[r.start.offset..<r.end.offset], as: UTF8.self)
    }
    #expect(
      s.attributes.map { slice($0.range) } == ["dur=1/2", "vel = 0.8 ~ 0.1", "cutoff=300 -> 900 over 2", "pan=-0.5"])
    #expect(s.attributes.map { slice($0.value.range) } == ["1/2", "0.8", "300", "-0.5"])
    #expect(s.attributes.map { $0.range.start.column - 1 } == s.attributes.map { $0.range.start.offset })
  }

  @Test("each attribute kind has its own slot in AttributeValues' table: ordinals in declaration order, under 24")
  func ordinals() {
    #expect(NoteAttribute.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
    #expect(NoteAttribute.allCases.count <= 24)  // InlineArray<24, BeatTime> and UInt32 masks
    #expect(Set(NoteAttribute.allCases.map(\.bit)).count == NoteAttribute.allCases.count)
  }
}
