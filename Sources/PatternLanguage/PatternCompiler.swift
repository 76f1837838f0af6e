/// The front end in one call: source text → syntax tree → score, with every diagnostic.
public struct CompiledPattern: Sendable {
  public var source: SourceFile
  public var file: PatternFile
  public var score: Score
  /// Sorted by position.
  public var diagnostics: [Diagnostic]

  /// True when there are no errors (warnings are allowed).
  public var succeeded: Bool { !diagnostics.hasErrors }
}

public enum PatternCompiler {
  /// Lexes, parses and resolves `source`.
  public static func compile(
    _ source: SourceFile, catalog: InstrumentCatalog = .builtIn, limits: LanguageLimits = .default
  ) -> CompiledPattern {
    let (file, parseDiagnostics) = Parser.parse(source, limits: limits)
    let (score, resolveDiagnostics) = Resolver(catalog: catalog, limits: limits).resolve(
      file, expand: !parseDiagnostics.hasErrors)
    return CompiledPattern(
      source: source, file: file, score: score,
      diagnostics: (parseDiagnostics + resolveDiagnostics).sortedBySource())
  }
}
