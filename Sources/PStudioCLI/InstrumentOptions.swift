import ArgumentParser
import PatternLanguage
import PatternStudio

/// `--instruments DIR` (repeatable): folders of instrument files searched before `PSTUDIO_INSTRUMENTS` and the
/// shipped `Instruments/` folder.
public struct InstrumentOptions: ParsableArguments {
  public init() {}

  @Option(
    name: .customLong("instruments"),
    help: "A folder of instrument files, searched before PSTUDIO_INSTRUMENTS and Instruments/ (repeatable).")
  public var folders: [String] = []

  /// A renderer that knows every module of the search path (loaded once per process).
  public var renderer: Renderer { Renderer(instruments: .standard(extra: folders)) }

  /// `source` compiled (with `check`'s limits when `settings` is given) against as little of the library as
  /// gives the same result (`Renderer.compiling`), and the renderer that did it.
  public func compiling(
    _ source: SourceFile, check settings: RenderSettings? = nil, profile: RenderProfile? = nil
  ) -> (Renderer, CompiledPattern) {
    Renderer.compiling(source, instruments: .standard(extra: folders), check: settings, profile: profile)
  }
}
