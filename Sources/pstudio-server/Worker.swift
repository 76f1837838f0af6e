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
  @Option(help: "The server's descriptor of the memory file replies go through (-1: standard output).")
  var replyFd: Int32 = -1

  func run() {
    StudioWorker.run(instrumentFolders: library.folders, memoryLimitBytes: memoryMb << 20, replyDescriptor: replyFd)
  }
}
