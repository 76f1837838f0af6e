import Foundation
import TestSupport
import Testing

@testable import PatternLanguage

/// Every ```pattern example in `docs/LANGUAGE.md` compiles without errors and resolves to the event list in
/// `Snapshots/language/example-NN.events`. Record with `RECORD_SNAPSHOTS=1 swift test --filter LanguageDocTests`.
@Suite("docs/LANGUAGE.md examples")
struct LanguageDocTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let folder = root.appendingPathComponent("Snapshots/language")

  static let examples: [String] = {
    let doc = root.appendingPathComponent("../../docs/LANGUAGE.md")
    guard let text = try? String(contentsOf: doc, encoding: .utf8) else { return [] }
    var examples: [String] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil, line == "```pattern" {
        current = []
      } else if current != nil, line == "```" {
        examples.append(current!.joined(separator: "\n") + "\n")
        current = nil
      } else if current != nil {
        current!.append(line)
      }
    }
    return examples
  }()

  @Test("the language document has an example for every construct")
  func enoughExamples() { #expect(Self.examples.count >= 14) }

  @Test("each example compiles and its events match the snapshot", arguments: Array(examples.indices))
  func example(_ index: Int) throws {
    let name = String(format: "example-%02d", index + 1)
    let source = SourceFile(name: "\(name).pattern", text: Self.examples[index])
    let compiled = PatternCompiler.compile(source)
    #expect(!compiled.diagnostics.hasErrors, "\(DiagnosticRenderer(source: source).render(compiled.diagnostics))")
    #expect(!compiled.score.events.isEmpty)
    let listing =
      "// " + Self.examples[index].split(separator: "\n").joined(separator: "\n// ") + "\n"
      + compiled.score.eventListing + "\n"
      + (compiled.score.hasMix ? "// mix\n" + compiled.score.mixListing + "\n" : "")
    try Snapshot.assertMatches(listing, file: Self.folder.appendingPathComponent("\(name).events").path)
  }
}
