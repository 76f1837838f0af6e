import ArgumentParser
import Foundation
import PStudioCLI
import PatternServer

struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the studio's HTTP API (parse, instruments, saved patterns, render, MIDI).",
    discussion: """
      Patterns are kept in SQLite: --db PATH, or $XDG_DATA_HOME/pattern-studio/studio.sqlite \
      (~/.local/share/pattern-studio/studio.sqlite). The API is described at /openapi.json. \
      Logs go to stderr, one line per request with its id.
      """)

  @Option(help: "Interface to listen on (anything but loopback needs --auth, or --insecure-open).")
  var host = "127.0.0.1"
  @Option(help: "Port (0 picks a free one; the address is printed when the server is up).") var port = 8080
  @Option(help: "The SQLite database file (created and migrated on start).") var db: String?
  @Option(
    name: .customLong("cors-origin"),
    help: "An origin allowed to call the API from a browser, besides the server's own ('*': any) (repeatable).")
  var corsOrigins: [String] = []
  @OptionGroup var library: InstrumentOptions
  @Option(help: "Largest request body and pattern, in bytes.") var maxBody = 1 << 20
  @Option(help: "Longest audio one render may produce, in seconds.") var maxRenderSeconds = 600.0
  @Option(help: "Largest PCM one render may produce, in MiB (limits long renders at high rates).")
  var maxRenderMb = 256
  @Option(help: "Renders running at once.") var renders = 2
  @Option(help: "Renders that may wait; more are answered 429.") var queue = 8
  @Option(help: "Longest a request may take, in seconds (a render is stopped; 503).") var timeout = 60.0
  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
  @Option(help: "Each worker process's memory limit, MiB (compiles and renders run in workers).")
  var workerMemoryMb = 1536
  @Flag(help: "Require a login or an API token for the API (accounts: pstudio users).") var auth = false
  @Flag(help: "Mark the session cookie Secure (the server is reached over HTTPS, e.g. behind a TLS proxy).")
  var secureCookies = false
  @Flag(help: "Listen on a non-loopback --host without --auth: anyone who reaches it can change every pattern.")
  var insecureOpen = false

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 … 65535") }
    guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024 bytes") }
    guard maxRenderSeconds > 0 else { throw ValidationError("--max-render-seconds must be positive") }
    guard (1...16384).contains(maxRenderMb) else { throw ValidationError("--max-render-mb must be 1 … 16384") }
    guard (1...64).contains(renders), (0...10_000).contains(queue) else {
      throw ValidationError("--renders must be 1 … 64 and --queue 0 … 10000")
    }
    guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    guard (256...65536).contains(workerMemoryMb) else {
      throw ValidationError("--worker-memory-mb must be 256 … 65536")
    }
    guard StudioServer.logLevels.contains(logLevel) else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    var open = ServerConfiguration()
    open.host = host
    open.auth = auth
    if let refusal = open.openRefusal(insecureOpen: insecureOpen) { throw ValidationError(refusal) }
  }

  func run() throws {
    var config = ServerConfiguration()
    config.host = host
    config.port = port
    config.databasePath = db ?? ServerConfiguration.defaultDatabasePath()
    config.corsOrigins = corsOrigins
    config.instrumentFolders = library.folders
    config.maxBodyBytes = maxBody
    config.maxRenderSeconds = maxRenderSeconds
    config.maxRenderBytes = maxRenderMb << 20
    config.maxConcurrentRenders = renders
    config.maxQueuedRenders = queue
    config.requestTimeoutSeconds = timeout
    // Compiles and renders run in worker processes of this same executable.
    // (The link itself, not where it points: that still works after the binary was replaced or removed.)
    config.workerExecutable = "/proc/self/exe"
    config.workerMemoryMB = workerMemoryMb
    config.auth = auth
    config.secureCookies = secureCookies
    let server: StudioServer
    do {
      server = try StudioServer(configuration: config)
    } catch {
      printError("pstudio: cannot open the database \(config.databasePath ?? ""): \(error)")
      throw Exit.io
    }
    let databasePath = config.databasePath ?? ""
    if insecureOpen && !auth && !ServerConfiguration.isLoopback(host) {
      printError(
        "pstudio serve: warning: serving \(host) without --auth (--insecure-open): anyone who can reach it can read, "
          + "change and delete every pattern")
    }
    if let password = server.adminPassword {
      // Once: only its bcrypt hash is stored.
      printError(
        "pstudio serve: created the user 'admin' (owner of every pattern saved so far) with the one-time password "
          + "\(password) — change it with `pstudio users password admin`")
    }
    do {
      // Runs until SIGINT/SIGTERM (graceful shutdown).
      try server.runUntilStopped(logLevel: logLevel) { url in
        // One plain line on stdout for scripts (`--port 0`), whatever the log level.
        FileHandle.standardOutput.write(Data("pstudio serve: listening on \(url) (database \(databasePath))\n".utf8))
      }
    } catch {
      printError("pstudio: the server stopped: \(error)")
      throw Exit.io
    }
  }
}
