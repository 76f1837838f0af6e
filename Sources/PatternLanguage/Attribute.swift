/// `dur=2`, `vel=0.8`, `pan=-0.5`, `vel=0.8 ~ 0.1`.
///
/// Stored compactly: a song holds eight of these per note, and each fresh page of memory the front end touches
/// costs ~2.8 µs on the CI machine (a VM) — more than parsing what fills it. An attribute written on one line in plain ASCII with a
/// constant value (almost all of them) keeps its two texts, the note attribute its name spells (found once per
/// spelling when it is read, so lowering looks up no name per note), its value, where it starts and three byte
/// counts (72 bytes); anything else keeps every field in a box. Either way the properties read and write as plain
/// fields, and two attributes are equal exactly when their fields are.
public struct Attribute: Hashable, Sendable {
  private var storage: Storage

  private enum Storage: Hashable, Sendable {
    case compact(Compact)
    indirect case full(Full)
  }

  /// `name=value` on one line, ASCII from the name's start to the value's end, constant, no spread.
  private struct Compact: Hashable, Sendable {
    var name: String
    /// The note attribute `name` spells (`NoteAttribute.named`), found when the attribute is read.
    var kind: NoteAttribute?
    var text: String
    var value: BeatTime
    var start: SourceLocation
    /// Bytes (= columns) of the name, from the name's start to the value's, and of the value.
    var nameLength: UInt8
    var valueOffset: UInt8
    var valueLength: UInt8

    var valueEnd: UInt8 { valueOffset + valueLength }

    /// The place `bytes` bytes (and as many columns) after the name's start.
    func location(_ bytes: UInt8) -> SourceLocation {
      SourceLocation(offset: start.offset + Int(bytes), line: start.line, column: start.column + Int(bytes))
    }
  }

  private struct Full: Hashable, Sendable {
    var name: Name
    var value: NumberLiteral
    var range: SourceRange
    var automation: AutomationExpr?
    var spread: NumberLiteral?
  }

  init(
    name: Name, value: NumberLiteral, range: SourceRange, automation: AutomationExpr? = nil,
    spread: NumberLiteral? = nil
  ) {
    storage =
      Self.compact(name: name, value: value, range: range, automation: automation, spread: spread).map {
        .compact($0)
      } ?? .full(Full(name: name, value: value, range: range, automation: automation, spread: spread))
  }

  /// `name=value` read from plain ASCII on one line, at most 255 bytes from the name's start to the value's end
  /// (`Parser.readPlainAttributes`): the compact form, without checking again what that reader made sure of.
  /// `start` is the name's; the counts are bytes from it.
  /// `kind` is the note attribute `name` spells, as `NoteAttribute.named` finds it (the reader's cache has it).
  init(
    plainName name: String, kind: NoteAttribute?, text: String, value: BeatTime, start: SourceLocation,
    nameLength: Int, valueOffset: Int, valueEnd: Int
  ) {
    storage = .compact(
      Compact(
        name: name, kind: kind, text: text, value: value, start: start, nameLength: UInt8(nameLength),
        valueOffset: UInt8(valueOffset), valueLength: UInt8(valueEnd - valueOffset)))
  }

  /// The compact form of these fields, when it holds them exactly.
  private static func compact(
    name: Name, value: NumberLiteral, range: SourceRange, automation: AutomationExpr?, spread: NumberLiteral?
  ) -> Compact? {
    guard automation == nil, spread == nil else { return nil }
    let start = name.range.start
    let nameLength = name.range.end.offset - start.offset
    let valueOffset = value.range.start.offset - start.offset
    let valueLength = value.range.end.offset - value.range.start.offset
    guard (0...255).contains(nameLength), valueOffset >= 0, valueLength >= 0, valueOffset + valueLength <= 255,
      name.text.utf8.count == nameLength,
      Self.plain(name.range.end, from: start, bytes: nameLength),
      Self.plain(value.range.start, from: start, bytes: valueOffset),
      Self.plain(value.range.end, from: start, bytes: valueOffset + valueLength),
      range.start == start, range.end == value.range.end,
      let compact = Optional(
        Compact(
          name: name.text, kind: NoteAttribute.named(name.text), text: value.text, value: value.value, start: start,
          nameLength: UInt8(nameLength),
          valueOffset: UInt8(valueOffset), valueLength: UInt8(valueLength)))
    else { return nil }
    return compact
  }

  /// Whether `location` is `bytes` bytes after `start` on the same line, one column per byte (offset, line and
  /// column all equal, so `Compact` can rebuild it).
  private static func plain(_ location: SourceLocation, from start: SourceLocation, bytes: Int) -> Bool {
    location == SourceLocation(offset: start.offset + bytes, line: start.line, column: start.column + bytes)
  }

  /// The fields, whichever the form.
  private var full: Full {
    switch storage {
    case .full(let f): return f
    case .compact(let c):
      let valueEnd = c.location(c.valueEnd)
      return Full(
        name: Name(c.name, SourceRange(c.start, c.location(c.nameLength))),
        value: NumberLiteral(value: c.value, text: c.text, range: SourceRange(c.location(c.valueOffset), valueEnd)),
        range: SourceRange(c.start, valueEnd), automation: nil, spread: nil)
    }
  }

  /// Stores changed fields in whichever form holds them.
  private mutating func update(_ change: (inout Full) -> Void) {
    var f = full
    change(&f)
    self = Attribute(name: f.name, value: f.value, range: f.range, automation: f.automation, spread: f.spread)
  }

  public var name: Name {
    get {
      guard case .compact(let c) = storage else { return full.name }
      return Name(c.name, SourceRange(c.start, c.location(c.nameLength)))
    }
    set { update { $0.name = newValue } }
  }

  /// The value, or where a moving value starts (`300` in `cutoff=300 -> 6000`; an LFO's `center=`, if given).
  public var value: NumberLiteral {
    get {
      guard case .compact(let c) = storage else { return full.value }
      return NumberLiteral(
        value: c.value, text: c.text, range: SourceRange(c.location(c.valueOffset), c.location(c.valueEnd)))
    }
    set { update { $0.value = newValue } }
  }

  public var range: SourceRange {
    get {
      guard case .compact(let c) = storage else { return full.range }
      return SourceRange(c.start, c.location(c.valueEnd))
    }
    set { update { $0.range = newValue } }
  }

  /// `name.text` and `value.value`, read without building the rest (lowering reads these of every attribute).
  var nameText: String {
    switch storage {
    case .compact(let c): return c.name
    case .full(let f): return f.name.text
    }
  }

  /// The note attribute the name spells (`NoteAttribute.named(nameText)`), found when a plain one was read.
  var noteKind: NoteAttribute? {
    switch storage {
    case .compact(let c): return c.kind
    case .full(let f): return NoteAttribute.named(f.name.text)
    }
  }

  var exactValue: BeatTime {
    switch storage {
    case .compact(let c): return c.value
    case .full(let f): return f.value.value
    }
  }

  /// How the value moves over time (`-> … over …`, `curve(…)`, `lfo(…)`), nil when it is constant.
  public var automation: AutomationExpr? {
    get { if case .full(let f) = storage { f.automation } else { nil } }
    set { update { $0.automation = newValue } }
  }

  /// `~ 0.1` after the value: each note draws its value uniformly in value ± spread (only `vel=` takes one).
  public var spread: NumberLiteral? {
    get { if case .full(let f) = storage { f.spread } else { nil } }
    set { update { $0.spread = newValue } }
  }
}
