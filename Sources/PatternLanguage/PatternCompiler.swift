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
    compile(parse(source, limits: limits), catalog: catalog, limits: limits)
  }

  /// Lexes and parses `source` (no catalog needed).
  /// - Parameter plainAttributes: Read plain attributes from the bytes (`Parser.readPlainAttributes`); false reads
  ///   every one token by token, a second way to the same result for the fuzzers and tests to compare.
  /// - Parameter alongside: Other work of the caller's (loading instruments), run once on this thread: while a large
  ///   file's first parts are parsed on the other, else before parsing.
  public static func parse(
    _ source: SourceFile, limits: LanguageLimits = .default, plainAttributes: Bool = true, alongside: () -> Void = {}
  ) -> ParsedPattern {
    let (file, diagnostics) = Parser.parse(
      source, limits: limits, plainAttributes: plainAttributes, alongside: alongside)
    return ParsedPattern(source: source, file: file, diagnostics: diagnostics)
  }

  /// Resolves a parsed song against `catalog`: the rest of `compile(_:catalog:limits:)`, with the same result.
  public static func compile(
    _ parsed: ParsedPattern, catalog: InstrumentCatalog = .builtIn, limits: LanguageLimits = .default
  ) -> CompiledPattern {
    let (source, file, parseDiagnostics) = (parsed.source, parsed.file, parsed.diagnostics)
    let (score, resolveDiagnostics) = Resolver(catalog: catalog, limits: limits).resolve(
      file, expand: !parseDiagnostics.hasErrors)
    var diagnostics = (parseDiagnostics + resolveDiagnostics).sortedBySource()
    // One cap for every kind of diagnostic (lexer, parser, resolver): a flood of mistakes is cut short.
    if limits.maxDiagnostics > 0 && diagnostics.count > limits.maxDiagnostics {
      let last = diagnostics[limits.maxDiagnostics - 1]
      diagnostics = Array(diagnostics.prefix(limits.maxDiagnostics))
      diagnostics.append(
        .error(
          "too many errors; stopping after \(limits.maxDiagnostics)", at: last.range,
          hint: "fix the first ones and check again"))
    }
    // The front end is done: a large compile's helper thread ends rather than spin through the render.
    PartsHelper.stop()
    return CompiledPattern(source: source, file: file, score: score, diagnostics: diagnostics)
  }
}
