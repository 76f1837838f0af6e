import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import PatternLanguage
import PatternStudio

/// The studio's HTTP API (`pstudio serve`): parse, list instruments, save and load patterns with their versions,
/// render audio and MIDI — the same library the CLI uses, behind JSON endpoints described by `/openapi.json`.
public struct StudioServer: Sendable {
  public let configuration: ServerConfiguration
  let store: PatternStore
  /// Renders (compile + render), bounded so a burst cannot exhaust memory or the cores.
  let renders: RenderGate
  /// Parses and MIDI exports (compile only): more at once, but still bounded.
  let compiles: RenderGate
  /// The processes compiles and renders run in (nil: on threads of this process).
  let workers: WorkerPool?
  /// `GET /api/live` listeners per pattern.
  let live = LiveHub()
  /// Failed logins per name and address.
  let logins: LoginLimiter

  /// `admin`'s one-time password when opening the database created it (the migration to accounts, or a new
  /// database): print it once; it is not stored anywhere in clear.
  public var adminPassword: String? { store.adminPassword }

  /// Opens (and migrates) the database.
  public init(configuration: ServerConfiguration) throws {
    self.configuration = configuration
    store = try PatternStore(path: configuration.databasePath, passwordCost: configuration.passwordCost)
    logins = LoginLimiter(maxFailures: configuration.maxFailedLogins, windowSeconds: configuration.loginWindowSeconds)
    renders = RenderGate(maxActive: configuration.maxConcurrentRenders, maxQueued: configuration.maxQueuedRenders)
    compiles = RenderGate(maxActive: 4, maxQueued: 64)
    workers = configuration.workerExecutable.map {
      // A worker that dies must not take us with it when we write to its pipe.
      signal(SIGPIPE, SIG_IGN)
      return WorkerPool(
        executable: $0, instrumentFolders: configuration.instrumentFolders, memoryLimitMB: configuration.workerMemoryMB,
        maxPayload: configuration.maxRenderBytes + (64 << 20))
    }
  }

  /// One API operation: method, path (OpenAPI template syntax, which the router also takes) and handler.
  struct Route {
    var method: HTTPRequest.Method
    var path: String
    var handler: @Sendable (Request, StudioRequestContext) async throws -> Response
  }

  var routes: [Route] {
    [
      Route(method: .get, path: "/api/health", handler: health),
      Route(method: .get, path: "/openapi.json", handler: openAPI),
      Route(method: .post, path: "/api/parse", handler: parse),
      Route(method: .get, path: "/api/instruments", handler: instruments),
      Route(method: .post, path: "/api/save", handler: save),
      Route(method: .get, path: "/api/patterns", handler: list),
      Route(method: .get, path: "/api/patterns/{id}", handler: load),
      Route(method: .put, path: "/api/patterns/{id}", handler: update),
      Route(method: .delete, path: "/api/patterns/{id}", handler: delete),
      Route(method: .get, path: "/api/patterns/{id}/versions", handler: versions),
      Route(method: .get, path: "/api/patterns/{id}/versions/{version}", handler: loadVersion),
      Route(method: .get, path: "/api/load/{id}", handler: load),
      Route(method: .post, path: "/api/render", handler: render),
      Route(method: .post, path: "/api/events", handler: events),
      Route(method: .post, path: "/api/midi", handler: midi),
      Route(method: .post, path: "/api/login", handler: login),
      Route(method: .post, path: "/api/logout", handler: logout),
      Route(method: .get, path: "/api/me", handler: me),
      Route(method: .post, path: "/api/patterns/{id}/share", handler: share),
      Route(method: .delete, path: "/api/patterns/{id}/share/{token}", handler: unshare),
      Route(method: .get, path: "/api/shared/{token}", handler: shared),
      Route(method: .get, path: "/api/live", handler: liveWithoutUpgrade),
    ]
  }

  /// The router with every route and middleware (what tests drive in memory).
  public func router() -> Router<StudioRequestContext> {
    let router = Router(context: StudioRequestContext.self)
    let table = routes + studioRoutes
    let paths = RouteTable(entries: table.map { ($0.method, $0.path) })
    router.add(middleware: RequestLogMiddleware())
    router.add(
      middleware: StudioCORSMiddleware(origins: configuration.ownOrigins + configuration.corsOrigins, routes: paths))
    router.add(middleware: ErrorMiddleware(routes: paths))
    router.add(middleware: StudioAuthenticator(store: store, auth: configuration.auth))
    router.add(
      middleware: AccessMiddleware(
        auth: configuration.auth, origins: configuration.ownOrigins + configuration.corsOrigins))
    for route in table {
      router.on(RouterPath(stringLiteral: route.path), method: route.method, use: route.handler)
    }
    return router
  }

  /// The application: `router()` on `host:port`; `onRunning` gets the bound address (useful with port 0).
  public func application(logger: Logger, onRunning: @escaping @Sendable (String) async -> Void = { _ in })
    -> some ApplicationProtocol
  {
    Application(
      router: router(),
      server: serverBuilder(),
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: "pstudio"),
      onServerRunning: { channel in
        let address = channel.localAddress
        await onRunning("http://\(address?.ipAddress ?? configuration.host):\(address?.port ?? configuration.port)")
      },
      logger: logger)
  }

  /// HTTP/1 with WebSocket upgrades for `GET /api/live` (`StudioServerChannel`).
  func serverBuilder() -> HTTPServerBuilder {
    let webSocketResponder = webSocketRouter().buildResponder()
    let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
      http1: HTTP1Channel.Configuration(
        additionalChannelHandlers: [HTTPParseErrorHandler()],
        idleTimeout: .seconds(Int64(self.configuration.idleTimeoutSeconds))),
      ws: .init())
    return HTTPServerBuilder { responder in
      StudioServerChannel(
        base: HTTP1WebSocketUpgradeChannel(
          responder: responder, webSocketResponder: webSocketResponder, configuration: configuration))
    }
  }

  // MARK: Small shared helpers

  /// A source text from a request, named for diagnostics.
  func sourceFile(_ code: String, name: String = "pattern") throws -> SourceFile {
    guard code.utf8.count <= configuration.maxBodyBytes else {
      throw APIError.tooLarge("pattern_code is \(code.utf8.count) bytes; the limit is \(configuration.maxBodyBytes)")
    }
    return SourceFile(name: name, text: code)
  }

  /// The `{id}` path parameter, 404 when it cannot be an id.
  func patternID(_ context: StudioRequestContext) throws -> String {
    let id = context.parameters.get("id") ?? ""
    guard PatternID.isWellFormed(Substring(id)) else { throw APIError.notFound("no pattern with id '\(id)'") }
    return id
  }

  /// Runs a compile-only job (parse, MIDI) under the compile gate.
  func compileWork(_ job: WorkerJob, logger: Logger) async throws -> (WorkerReply, ByteBuffer) {
    let deadline = ContinuousClock.now + .seconds(configuration.requestTimeoutSeconds)
    do {
      return try await compiles.withSlot(timeout: .seconds(configuration.queueTimeoutSeconds)) {
        try await self.work(job, deadline: deadline, logger: logger)
      }
    } catch let refusal as RenderGate.Refusal {
      throw Self.busy(refusal, what: "parses")
    } catch WorkerPool.Failure.stopped {
      throw APIError(
        status: .serviceUnavailable, code: "timeout",
        message: "the request took longer than \(Int(configuration.requestTimeoutSeconds)) seconds",
        headers: [.retryAfter: "5"])
    }
  }

  /// Runs a job in a worker process (or, with no worker executable configured, on a thread here), off the
  /// cooperative pool; stopped when `deadline` passes or the request goes away. A worker that crashes is a
  /// 500 for this request only, and a log line.
  /// A render job that asked for progress reports each new whole percent to `progress`, in order.
  func work(
    _ job: WorkerJob, deadline: ContinuousClock.Instant, logger: Logger, progress: (@Sendable (Int) -> Void)? = nil
  ) async throws -> (WorkerReply, ByteBuffer) {
    let workers = self.workers
    let renderer = configuration.renderer
    do {
      return try await Offload.cancellable(deadline: deadline) { stop in
        guard let workers else {
          let (reply, bytes) = try StudioWorker.perform(
            job, renderer: renderer, shouldStop: { stop.isRaised }, progress: progress)
          return (reply, ByteBuffer(bytes: bytes))
        }
        return try workers.perform(job, shouldStop: { stop.isRaised }, progress: { progress?($0) })
      }
    } catch let failure as WorkerPool.Failure {
      if case .crashed(let how) = failure {
        logger.error("worker crashed", metadata: ["job": "\(job.kind.rawValue)", "how": "\(how)"])
        throw APIError(
          status: .internalServerError, code: "worker_crashed",
          message: "this request crashed the process that ran it; the server is fine and started another")
      }
      throw failure
    }
  }

  /// Turns a worker's `invalid` or `failed` reply into the API's error (422 with diagnostics, or 500).
  static func check(_ reply: WorkerReply, file: String) throws {
    switch reply.status {
    case .ok: return
    case .invalid:
      throw APIError(
        status: .unprocessableContent, code: "invalid_pattern", message: reply.message ?? "the pattern has errors",
        extra: [("diagnostics", .raw(reply.json ?? "[]"))])
    case .failed, .progress:
      // The cause (a file that could not be read) goes to the log through the error middleware, not the client.
      throw WorkerFailure(message: reply.message ?? "the worker failed")
    }
  }

  static func busy(_ refusal: RenderGate.Refusal, what: String) -> APIError {
    switch refusal {
    case .full: return .busy(.tooManyRequests, "too many \(what) at once; try again shortly", retryAfter: 2)
    case .timedOut: return .busy(.serviceUnavailable, "the server is busy; try again shortly", retryAfter: 5)
    }
  }
}

/// A worker's own failure (not the song's): logged by the error middleware, answered as a plain 500.
struct WorkerFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
