import Testing

@testable import PatternLanguage

/// `PatternCompiler.leadingImports`: the modules a file's header imports, read by the lexer ahead of the parse (a
/// guess `Renderer.compiling` checks against the parsed imports).
@Suite("Leading imports")
struct LeadingImportsTests {
  static func guess(_ text: String) -> Set<String> {
    PatternCompiler.leadingImports(SourceFile(name: "s.pattern", text: text))
  }

  @Test("the header's imports, past comments, directives and channels; equal to the parse's in the usual layout")
  func header() {
    let text = """
      // A song.
      title "Imports; and braces { in strings }";
      import piano from "grand";  /* the piano */
      tempo 120 -> 140 over 8 at 16;
      import ch4 from "strings" channel=4;
      import kit from "drums";
      melody { piano C4 0; }
      """
    #expect(Self.guess(text) == ["grand", "strings", "drums"])
    let parsed = PatternCompiler.parse(SourceFile(name: "s.pattern", text: text)).file.imports
    #expect(Set(parsed.map(\.module.text)) == Self.guess(text))
  }

  @Test("what comes after the first block, malformed imports and files without imports are not guessed")
  func misses() {
    #expect(Self.guess(#"melody { piano C4 0; } import piano from "grand";"#) == [])
    #expect(Self.guess(#"import piano "grand"; import p from grand; import from "x";"#) == [])
    #expect(Self.guess("tempo 90; melody { sine C4 0; }") == [])
    #expect(Self.guess("") == [])
    #expect(Self.guess(#"import a from "x""#) == [], "no ';': not a statement yet")
  }
}
