import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import PatternLanguage

extension StudioServer {
  /// The pattern `GET /api/live?id=ID[&share=TOKEN]` may listen to: the user's own, or the one a share link
  /// opens; 401 when anonymous without a link, 404 for anything else (as for an unknown id).
  func livePattern(_ request: Request, identity: StudioUser?) async throws -> String {
    let query = request.uri.queryParameters
    let id = query.get("id") ?? ""
    guard PatternID.isWellFormed(Substring(id)) else { throw APIError.notFound("no pattern with id '\(id)'") }
    if let token = query.get("share") {
      guard try await store.sharedPattern(Substring(token)) == id else {
        throw APIError.notFound("no such share link of pattern '\(id)'")
      }
      return id
    }
    guard let user = identity else { throw APIError.unauthorized }
    _ = try await stored(id: id, version: nil, owner: user)
    return id
  }

  /// Whether the request that opened a live socket would still be let in: its share link not revoked, its
  /// session or token still valid and its user still able to read the pattern.
  func mayStillListen(_ request: Request, authenticator: StudioAuthenticator) async -> Bool {
    var identity: StudioUser? = nil
    if request.uri.queryParameters.get("share") == nil {
      guard let found = try? await authenticator.authenticated(request) else { return false }
      identity = found.user
    }
    return (try? await livePattern(request, identity: identity)) != nil
  }

  /// `GET /api/live` without a WebSocket upgrade: 426 (after the same checks the upgrade makes).
  @Sendable func liveWithoutUpgrade(_ request: Request, context: StudioRequestContext) async throws -> Response {
    _ = try await livePattern(request, identity: context.identity)
    throw APIError(
      status: .upgradeRequired, code: "upgrade_required",
      message: "GET /api/live is a WebSocket: send Upgrade: websocket",
      headers: [.upgrade: "websocket", .connection: "Upgrade"])
  }

  /// The router WebSocket upgrades go through: the same authentication, then `/api/live`, which sends the
  /// pattern's `ready`, `saved` and `progress` messages until either side closes.
  func webSocketRouter() -> Router<StudioRequestContext> {
    let router = Router(context: StudioRequestContext.self)
    let authenticator = StudioAuthenticator(store: store, auth: configuration.auth)
    router.add(middleware: authenticator)
    let live = self.live
    let access = AccessMiddleware(
      auth: configuration.auth, origins: configuration.ownOrigins + configuration.corsOrigins)
    router.ws(
      "/api/live",
      shouldUpgrade: { request, context in
        // A page of another site cannot listen with the session cookie (browsers send Origin on WebSockets).
        if context.method == .session { try access.checkSameSite(request) }
        let id = try await self.livePattern(request, identity: context.identity)
        guard live.listenerCount(id) < LiveHub.maxListenersPerPattern else {
          throw APIError.busy(.tooManyRequests, "too many live sockets on this pattern", retryAfter: 30)
        }
        return .upgrade([.init("X-Pattern-Id")!: id])
      },
      onUpgrade: { inbound, outbound, context in
        let id = context.request.uri.queryParameters.get("id") ?? ""
        let (key, messages) = live.join(id)
        defer { live.leave(id, key: key) }
        context.logger.info("live: listening", metadata: ["id": "\(id)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            try await outbound.write(.text(LiveHub.ready(id: id).serialized()))
            for await message in messages {
              // Access is checked again before each message: a revoked link, an ended session or a removed user
              // closes the socket.
              guard await self.mayStillListen(context.request, authenticator: authenticator) else { break }
              try await outbound.write(.text(message))
            }
          }
          // Whatever the client sends is ignored; its close (the end of inbound) ends the socket.
          group.addTask { for try await _ in inbound {} }
          _ = try await group.next()
          group.cancelAll()
        }
      })
    return router
  }
}
