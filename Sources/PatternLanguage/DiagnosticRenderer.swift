/// Turns diagnostics into the text people read:
///
/// ```
/// song.pattern:3:12: error: expected ';' after the time
///   3 | melody { piano C4 0 piano E4 0.5; }
///     |                    ^
///     = hint: insert ';'
/// ```
public struct DiagnosticRenderer: Sendable {
  public var source: SourceFile

  public init(source: SourceFile) { self.source = source }

  /// All diagnostics, sorted by position, separated by blank lines.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.sortedBySource().map(render).joined(separator: "\n")
  }

  /// One diagnostic with its snippet, caret, hint and notes. Ends with a newline.
  public func render(_ d: Diagnostic) -> String {
    var out = "\(source.name):\(d.range.start.line):\(d.range.start.column): \(d.severity.rawValue): \(d.message)\n"
    out += snippet(d.range)
    if let hint = d.hint { out += "\(gutter(blank: true)) = hint: \(hint)\n" }
    for note in d.notes {
      out += "\(source.name):\(note.range.start.line):\(note.range.start.column): note: \(note.message)\n"
      out += snippet(note.range)
    }
    return out
  }

  private var gutterWidth: Int { max(2, String(source.lineCount).count) }

  private func gutter(_ line: Int? = nil, blank: Bool = false) -> String {
    let label = blank || line == nil ? "" : String(line!)
    return String(repeating: " ", count: gutterWidth - label.count + 1) + label
  }

  /// The source line and a caret line under the range (carets stop at the end of the first line).
  private func snippet(_ range: SourceRange) -> String {
    let line = range.start.line
    // Tabs become single spaces so the caret, which counts characters, lines up.
    let text = source.lineText(line).map { $0 == "\t" ? " " : $0 }
    let shown = String(text)
    let scalars = shown.unicodeScalars.count
    let startCol = max(1, min(range.start.column, scalars + 1))
    var width = 1
    if range.end.line == line, range.end.column > range.start.column {
      width = range.end.column - range.start.column
    } else if range.end.line > line {
      width = max(1, scalars + 1 - startCol)
    }
    // A long line is clipped to a window around the caret (… marks what is left out), so a megabyte on one
    // line prints a few dozen characters per diagnostic, not the megabyte.
    var visible = Array(shown.unicodeScalars)
    var column = startCol
    if visible.count > Self.maxShownColumns {
      let first = max(0, min(startCol - 1 - Self.maxShownColumns / 3, visible.count - Self.maxShownColumns))
      let window = visible[first..<min(visible.count, first + Self.maxShownColumns)]
      visible = (first > 0 ? ["…"] : []) + window + (first + window.count < visible.count ? ["…"] : [])
      column = startCol - first + (first > 0 ? 1 : 0)
      width = max(1, min(width, visible.count + 1 - column))
    }
    var clipped = String.UnicodeScalarView()
    clipped.append(contentsOf: visible)
    let caret = String(repeating: " ", count: column - 1) + "^" + String(repeating: "~", count: width - 1)
    return "\(gutter(line)) | \(String(clipped))\n\(gutter(blank: true)) | \(caret)\n"
  }

  /// The most characters of a source line a snippet shows.
  static let maxShownColumns = 120
}
