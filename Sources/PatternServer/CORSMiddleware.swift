import HTTPTypes
import Hummingbird

/// Cross-origin access for browser front ends: only the server's own origin and the `--cors-origin` ones (or
/// every origin with `*`) get `Access-Control-Allow-Origin`; a preflight (`OPTIONS`) is answered here.
struct StudioCORSMiddleware<Context: RequestContext>: RouterMiddleware {
  let allowed: Set<String>
  let allowsAny: Bool
  let routes: RouteTable

  init(origins: [String], routes: RouteTable) {
    self.routes = routes
    allowsAny = origins.contains("*")
    allowed = Set(origins.filter { $0 != "*" }.map(Self.normalise))
  }

  /// Response headers a script may read (the PCM hash, the request id, …).
  static var exposed: String {
    "X-PCM-Hash, X-Render-Frames, X-Render-Seconds, X-Render-Time, X-MIDI-Warnings, X-Request-Id, Retry-After"
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let origin = request.headers[.origin]
    let permitted = origin.map { allowsAny || allowed.contains(Self.normalise($0)) } ?? false
    if request.method == .options, let allow = routes.allowHeader(for: Substring(request.uri.path)) {
      // A preflight from a permitted origin gets the permissions; any other OPTIONS just the methods.
      var headers: HTTPFields = [.allow: allow]
      if permitted, let origin, request.headers[.accessControlRequestMethod] != nil {
        headers[.accessControlAllowOrigin] = allowsAny ? "*" : origin
        headers[.accessControlAllowMethods] = allow
        headers[.accessControlAllowHeaders] = "Content-Type, X-Request-Id"
        headers[.accessControlMaxAge] = "600"
        headers[.vary] = "Origin"
      }
      return Response(status: .noContent, headers: headers)
    }
    var response = try await next(request, context)
    if permitted, let origin {
      response.headers[.accessControlAllowOrigin] = allowsAny ? "*" : origin
      response.headers[.accessControlExposeHeaders] = Self.exposed
      if !allowsAny { response.headers[.vary] = "Origin" }
    }
    return response
  }

  /// Origins compare without a trailing slash and case-insensitively (scheme and host are).
  static func normalise(_ origin: String) -> String {
    (origin.hasSuffix("/") ? String(origin.dropLast()) : origin).lowercased()
  }
}
