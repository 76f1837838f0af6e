/// A song parsed but not yet resolved against an instrument catalog: the first half of
/// `PatternCompiler.compile`, so a caller can parse while its instrument library is still loading.
public struct ParsedPattern: Sendable {
  public var source: SourceFile
  public var file: PatternFile
  /// The lexer's and parser's diagnostics, in the order found.
  public var diagnostics: [Diagnostic]
}
