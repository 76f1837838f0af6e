import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

/// `render` and `check` load only the modules a song imports (`Renderer.compiling`); the result must be the
/// one the whole library gives, diagnostics included.
@Suite("Loading only the imported modules")
struct LeanLibraryTests {
  static let path = InstrumentSearchPath.standard(extra: [])

  static func both(_ text: String) -> (lean: CompiledPattern, full: CompiledPattern, leanRenderer: Renderer) {
    let source = SourceFile(name: "s.pattern", text: text)
    let (renderer, lean) = Renderer.compiling(source, instruments: path, check: RenderSettings())
    let full = Renderer(instruments: path).check(source)
    return (lean, full, renderer)
  }

  static func lines(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.range.start.line):\($0.range.start.column) \($0.message) | \($0.hint ?? "")" }
  }

  @Test("a song importing library modules gets the same score and the same audio; nothing else is loaded")
  func sameSong() throws {
    let (lean, full, renderer) = Self.both(
      """
      import piano from "grand"; import kit from "drums";
      melody { piano C4 0; piano E4 1; } rhythm { kit Kick 0; kit Snare 1; }
      """)
    #expect(lean.succeeded && full.succeeded)
    #expect(lean.score.events.count == full.score.events.count)
    #expect(renderer.catalog.module("grand") != nil && renderer.catalog.module("strings") == nil)
    let a = try renderer.renderPCM(lean, settings: RenderSettings(threads: 1))
    let b = try Renderer(instruments: Self.path).renderPCM(full, settings: RenderSettings(threads: 1))
    #expect(a == b, "the lean library's render differs")
  }

  @Test(
    "songs with mistakes get exactly the whole library's diagnostics and hints",
    arguments: [
      #"import piano from "grnad"; melody { piano C4 0; }"#,
      #"melody { strings C4 0; }"#,
      #"import kit from "drums"; rhythm { kit Cowbel 0; }"#,
      #"import piano from "grand"; melody { piano C9 0; }"#,
      #"import kit from "drums"; rhythm { kit C4 0; }"#,
      // Names no folder entry can have: looked up one by one, they must still be absent, not found elsewhere.
      #"import p from "../Instruments/grand"; melody { p C4 0; }"#,
      #"import p from ".hidden"; melody { p C4 0; }"#,
      #"import p from "grand/"; melody { p C4 0; }"#,
    ])
  func sameDiagnostics(text: String) {
    let (lean, full, _) = Self.both(text)
    #expect(!full.diagnostics.isEmpty)
    #expect(Self.lines(lean.diagnostics) == Self.lines(full.diagnostics))
  }

  @Test("an import the header's guess misses (after a block) is loaded from the parsed imports, to the same song")
  func importAfterBlock() throws {
    let (lean, full, renderer) = Self.both(
      """
      import kit from "drums";
      rhythm { kit Kick 0; }
      import piano from "grand";
      melody { piano C4 0; }
      """)
    #expect(lean.succeeded && full.succeeded && Self.lines(lean.diagnostics) == Self.lines(full.diagnostics))
    #expect(renderer.catalog.module("grand") != nil && renderer.catalog.module("drums") != nil)
    #expect(renderer.catalog.module("strings") == nil)
    let a = try renderer.renderPCM(lean, settings: RenderSettings(threads: 1))
    let b = try Renderer(instruments: Self.path).renderPCM(full, settings: RenderSettings(threads: 1))
    #expect(a == b, "the lean library's render differs")
  }

  @Test("an import that is not a JSON module (a built-in, a SoundFont preset) uses the whole library")
  func fallsBack() {
    let (lean, full, renderer) = Self.both(#"import p from "sf_GMbank#0"; melody { p C4 0; }"#)
    #expect(Self.lines(lean.diagnostics) == Self.lines(full.diagnostics))
    #expect(lean.succeeded == full.succeeded)
    #expect(renderer.catalog.modules.count == Renderer(instruments: Self.path).catalog.modules.count)
  }
}
