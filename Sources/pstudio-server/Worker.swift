import ArgumentParser
import PStudioCLI
import PatternServer

/// `pstudio worker`: the process `pstudio serve` runs compiles and renders in (not for people: it speaks a
/// framed protocol on stdin/stdout).
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Run jobs for pstudio serve (internal).", shouldDisplay: false)

  @OptionGroup var library: InstrumentOptions
  @Option(help: "Address-space limit, MiB (0: none).") var memoryMb = 1536

  func run() { StudioWorker.run(instrumentFolders: library.folders, memoryLimitBytes: memoryMb << 20) }
}
