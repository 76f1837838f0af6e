import Foundation
import PatternAudioIO
import PatternStudio

/// Everything `pstudio serve` can be told: where to listen, where to store, and the limits that keep a burst of
/// requests from exhausting memory or the cores.
public struct ServerConfiguration: Sendable {
  /// Interface to bind (default loopback only).
  public var host = "127.0.0.1"
  /// TCP port; 0 picks a free one (printed when the server is up).
  public var port = 8080
  /// The SQLite file; nil keeps patterns in memory (tests).
  public var databasePath: String?
  /// Origins (e.g. `http://localhost:5173`) allowed to call the API from a browser, besides the server's own;
  /// `*` allows every origin (what the original server did).
  public var corsOrigins: [String] = []
  /// Instrument folders searched before `PSTUDIO_INSTRUMENTS` and the shipped `Instruments/`.
  public var instrumentFolders: [String] = []
  /// Largest request body, in bytes (also the largest `pattern_code`).
  public var maxBodyBytes = 1 << 20
  /// Longest pattern name, in characters.
  public var maxNameLength = 200
  /// Longest audio a render may produce, in seconds.
  public var maxRenderSeconds = 600.0
  /// Largest audio a render may produce, in bytes of PCM (the file is sent from memory): at high rates and
  /// sample sizes this, not `maxRenderSeconds`, sets the longest song (256 MiB = 23 min at 48 kHz/16-bit,
  /// 2.9 min at 192 kHz/32-bit float).
  public var maxRenderBytes = 256 << 20

  /// The longest song one render of `format` may produce, in seconds.
  func maxSeconds(for format: AudioFormat) -> Double {
    let bytesPerSecond = Double(format.sampleRate * format.channels * format.encoding.bits / 8)
    return min(maxRenderSeconds, Double(maxRenderBytes) / bytesPerSecond)
  }
  /// Renders running at once (each on one core).
  public var maxConcurrentRenders = 2
  /// Renders that may wait for a slot; one more is answered 429 with `Retry-After`.
  public var maxQueuedRenders = 8
  /// Longest a render waits for a slot before it is answered 503 with `Retry-After`, in seconds.
  public var queueTimeoutSeconds = 15.0
  /// Longest any request may take before it is answered 503, in seconds (a render in progress is stopped).
  public var requestTimeoutSeconds = 60.0
  /// The `pstudio` executable whose `worker` subcommand runs compiles and renders in separate processes, so
  /// nothing a request does can end the server; nil runs them on threads of the server (no isolation).
  public var workerExecutable: String?
  /// Each worker's address-space limit, MiB (a job past it fails in its worker, not in the server).
  public var workerMemoryMB = 1536
  /// Seconds an idle keep-alive connection stays open.
  public var idleTimeoutSeconds = 30.0

  // MARK: Accounts

  /// `--auth`: every `/api/*` route but health, login, the document and share links needs a session or an API
  /// token. Off, every request acts as `admin` (one person on their own machine).
  public var auth = false
  /// `--secure-cookies`: the session cookie is `Secure` (the server is reached over HTTPS, e.g. behind a proxy).
  public var secureCookies = false
  /// bcrypt cost of new password hashes, 4 … 31 (each step doubles the time; 12 ≈ 0.25 s on one core).
  public var passwordCost: UInt8 = 12
  /// How long a login lasts, seconds.
  public var sessionLifetimeSeconds = 7 * 24 * 3600.0
  /// Failed logins allowed per user name and per client address within `loginWindowSeconds`; more are 429.
  public var maxFailedLogins = 5
  /// The window failed logins are counted in, seconds.
  public var loginWindowSeconds = 300.0

  /// Why the server must not start as configured: a non-loopback address without `--auth` would hand every
  /// saved pattern to anyone who can reach it. nil when it may (`insecureOpen` insists).
  public func openRefusal(insecureOpen: Bool) -> String? {
    guard !auth, !insecureOpen, !Self.isLoopback(host) else { return nil }
    return "refusing to listen on \(host) without --auth: anyone who can reach it could read, change and delete "
      + "every saved pattern. Add --auth (and create users with `pstudio users add NAME`), or --insecure-open "
      + "to serve it open anyway"
  }

  /// `127.0.0.0/8` (four numbers, not a name that starts with `127.`), `::1` and `localhost`.
  public static func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host == "::1" || host == "[::1]" { return true }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127"
      && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && UInt8(p) != nil }
  }

  public init() {}

  /// `$XDG_DATA_HOME/pattern-studio/studio.sqlite`, or `~/.local/share/pattern-studio/studio.sqlite`.
  public static func defaultDatabasePath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    let base: String
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      base = xdg
    } else {
      base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
    }
    return base + "/pattern-studio/studio.sqlite"
  }

  /// The origin a browser page served by this server itself would send.
  var ownOrigins: [String] {
    let hosts = host == "127.0.0.1" || host == "localhost" ? ["127.0.0.1", "localhost"] : [host]
    return hosts.map { "http://\($0):\(port)" }
  }

  var renderer: Renderer { Renderer(instruments: .standard(extra: instrumentFolders)) }
}
