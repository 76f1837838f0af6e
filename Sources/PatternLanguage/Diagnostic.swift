/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
  case note, warning, error

  public static func < (a: Severity, b: Severity) -> Bool {
    let order: [Severity] = [.note, .warning, .error]
    return order.firstIndex(of: a)! < order.firstIndex(of: b)!
  }
}

/// A problem found in the user's source: a value, never a thrown error, so one run reports all of them.
public struct Diagnostic: Hashable, Sendable {
  /// A related location, e.g. "first imported here".
  public struct Note: Hashable, Sendable {
    public var message: String
    public var range: SourceRange
    public init(message: String, range: SourceRange) {
      self.message = message
      self.range = range
    }
  }

  public var severity: Severity
  public var message: String
  /// The span the caret line marks.
  public var range: SourceRange
  /// A suggestion shown under the snippet, e.g. "did you mean 'kick'?".
  public var hint: String?
  public var notes: [Note]

  public init(
    _ severity: Severity, _ message: String, at range: SourceRange, hint: String? = nil, notes: [Note] = []
  ) {
    self.severity = severity
    self.message = message
    self.range = range
    self.hint = hint
    self.notes = notes
  }

  public static func error(_ message: String, at range: SourceRange, hint: String? = nil, notes: [Note] = [])
    -> Diagnostic
  {
    Diagnostic(.error, message, at: range, hint: hint, notes: notes)
  }

  public static func warning(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
    Diagnostic(.warning, message, at: range, hint: hint)
  }
}

extension Array where Element == Diagnostic {
  /// True when any diagnostic is an error.
  public var hasErrors: Bool { contains { $0.severity == .error } }

  /// Sorted by position, then severity, keeping the order of equal ones (a stable, deterministic listing).
  public func sortedBySource() -> [Diagnostic] {
    enumerated().sorted { a, b in
      if a.element.range.start.offset != b.element.range.start.offset {
        return a.element.range.start.offset < b.element.range.start.offset
      }
      return a.offset < b.offset
    }.map(\.element)
  }
}

extension Diagnostic {
  /// Folds one more occurrence of an already reported mistake into this error (one mistake, one error): the
  /// first three as notes, then a single counting note, kept up to date. `earlier` is how many occurrences
  /// were folded before this one; `counting` words the count of the ones past the first three.
  mutating func fold(occurrence earlier: Int, note: String, counting: (Int) -> String, at range: SourceRange) {
    if earlier < 3 {
      notes.append(.init(message: note, range: range))
      return
    }
    if earlier > 3 { notes.removeLast() }
    notes.append(.init(message: counting(earlier - 2), range: range))
  }
}
