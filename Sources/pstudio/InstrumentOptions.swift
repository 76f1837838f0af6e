import ArgumentParser
import PatternStudio

/// `--instruments DIR` (repeatable): folders of instrument files searched before `PSTUDIO_INSTRUMENTS` and the
/// shipped `Instruments/` folder.
struct InstrumentOptions: ParsableArguments {
  @Option(
    name: .customLong("instruments"),
    help: "A folder of instrument files, searched before PSTUDIO_INSTRUMENTS and Instruments/ (repeatable).")
  var folders: [String] = []

  /// A renderer that knows every module of the search path (loaded once per process).
  var renderer: Renderer { InstrumentOptions.renderer(folders: folders) }

  /// A renderer of the modules in `folders`, then the standard search path.
  static func renderer(folders: [String]) -> Renderer { Renderer(instruments: .standard(extra: folders)) }
}
