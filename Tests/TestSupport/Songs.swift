import PatternLanguage

/// Score builders: songs from text in one line, for tests of every module.
public enum Songs {
  /// Compiles `text` (named `test.pattern`) with the built-in instruments, or `catalog`.
  public static func compile(_ text: String, catalog: InstrumentCatalog = .builtIn) -> CompiledPattern {
    PatternCompiler.compile(SourceFile(name: "test.pattern", text: text), catalog: catalog)
  }

  /// The score of `text`, which must compile without errors (a test's own source is never at fault).
  public static func score(_ text: String, catalog: InstrumentCatalog = .builtIn) -> Score {
    let compiled = compile(text, catalog: catalog)
    precondition(compiled.succeeded, "test source has errors: \(compiled.diagnostics.map(\.message))")
    return compiled.score
  }

  /// A song that uses every built-in voice kind, for invariance tests.
  public static let everyVoice = """
    tempo 137;
    melody { piano C4 0 dur=1.5; piano E4 0.5 vel=0.6; saw A3 1 dur=1/3; square C5 1.25; }
    rhythm { synth Kick 0; synth Snare 1; synth HiHat 0.5; synth HiHat 1.5 vel=0.4; synth Crash 2; synth Tom 2.5; }
    harmony { guitar E2 0 dur=2; guitar B3 1/3; triangle G4 0.75 dur=1; sine E5 1 pan=0.7; noise C6 1.5 dur=0.25; }
    """
}
