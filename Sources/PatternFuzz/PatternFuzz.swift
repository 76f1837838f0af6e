import PatternLanguage

/// libFuzzer entry point: every input must end in diagnostics with valid locations, never a crash or hang, and
/// parse to the same tree and diagnostics with plain attributes read from the bytes as token by token.
/// Built only by `Scripts/fuzz` (with `--sanitize=fuzzer`); a normal build links it as an empty executable.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let source = SourceFile(name: "fuzz.pattern", bytes: bytes)
  let result = PatternCompiler.compile(source)
  for d in result.diagnostics {
    precondition(d.range.start.offset >= 0 && d.range.start.offset <= bytes.count, "diagnostic offset out of range")
    precondition(d.range.start.line >= 1 && d.range.start.line <= source.lineCount, "diagnostic line out of range")
    precondition(d.range.start.column >= 1, "diagnostic column out of range")
  }
  let parsed = PatternCompiler.parse(source)
  let tokens = PatternCompiler.parse(source, plainAttributes: false)
  precondition(
    parsed.file == tokens.file && parsed.diagnostics == tokens.diagnostics,
    "plain attributes read differently token by token")
  _ = DiagnosticRenderer(source: source).render(result.diagnostics)
  _ = result.parseJSON.serialized()
  return 0
}
