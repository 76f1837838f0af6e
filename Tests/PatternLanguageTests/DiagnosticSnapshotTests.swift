import Foundation
import TestSupport
import Testing

@testable import PatternLanguage

/// Every file in `Snapshots/diagnostics/*.pattern` is compiled and its rendered diagnostics compared with the
/// `.txt` beside it. Record new snapshots with `RECORD_SNAPSHOTS=1 swift test` (the run then fails, so a
/// recording is never mistaken for a pass); review the diff and commit.
@Suite("Diagnostic snapshots")
struct DiagnosticSnapshotTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/diagnostics")

  static let cases: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".pattern") }.sorted()
  }()

  @Test("there are snapshot cases")
  func haveCases() { #expect(Self.cases.count >= 15) }

  @Test("rendered diagnostics match the snapshot", arguments: cases)
  func snapshot(_ name: String) throws {
    let input = Self.folder.appendingPathComponent(name)
    let expectedURL = input.deletingPathExtension().appendingPathExtension("txt")
    let source = SourceFile(name: name, bytes: Array(try Data(contentsOf: input)))
    let result = PatternCompiler.compile(source)
    #expect(result.diagnostics.hasErrors, "snapshot inputs are meant to have errors")
    let rendered = DiagnosticRenderer(source: source).render(result.diagnostics)
    try Snapshot.assertMatches(rendered, file: expectedURL.path)
  }
}
