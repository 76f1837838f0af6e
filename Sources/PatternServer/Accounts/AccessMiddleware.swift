import HTTPTypes
import Hummingbird

/// Under `--auth`: answers 401 (JSON, `WWW-Authenticate: Bearer`) to anonymous requests for any `/api/*` route
/// but the open ones, and 403 to a cookie-authenticated unsafe request from another site (CSRF: the session
/// cookie is `SameSite=Strict` as well).
struct AccessMiddleware: RouterMiddleware {
  typealias Context = StudioRequestContext

  let auth: Bool
  /// Origins a cookie-authenticated page may call from (the server's own and `--cors-origin`).
  let origins: [String]

  /// Routes anyone may call: liveness, the document, logging in and out, share links. Render, events, MIDI and
  /// live updates are open here because a share link in their body or query opens them; their handlers ask for
  /// a user otherwise.
  static func isOpen(_ path: String) -> Bool {
    [
      "/api/health", "/openapi.json", "/api/login", "/api/logout", "/api/me", "/api/render", "/api/events",
      "/api/midi", "/api/live",
    ].contains(path) || path.hasPrefix("/api/shared/")
  }

  /// The path as the router sees it: empty segments dropped (`//api//parse` is `/api/parse`), so no spelling
  /// of a route slips past the check.
  static func normalized(_ path: String) -> String {
    "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
      + (path.hasSuffix("/") && path.count > 1 ? "/" : "")
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let path = Self.normalized(request.uri.path)
    if auth && context.identity == nil && path.hasPrefix("/api/") && !Self.isOpen(path) {
      throw APIError.unauthorized
    }
    // Cookie writes, and logins (a cross-site form must not sign a victim in as someone else), come from here.
    if (context.method == .session || path == "/api/login") && ![.get, .head, .options].contains(request.method) {
      try checkSameSite(request)
    }
    return try await next(request, context)
  }

  /// A browser sends `Origin` with every cross-origin request and with every POST, PUT and DELETE; with the
  /// session cookie it must be this server (or a listed origin), and `Sec-Fetch-Site` must not say otherwise.
  func checkSameSite(_ request: Request) throws {
    if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
      throw APIError.crossSite
    }
    let host = request.head.authority ?? request.headers[.host] ?? ""
    let own = ["http://" + host, "https://" + host]
    // Every Origin the request carries must be allowed (a request with several is not a browser's).
    for origin in request.headers[values: .origin] {
      guard own.contains(origin) || origins.contains(origin) || origins.contains("*") else { throw APIError.crossSite }
    }
  }
}

extension HTTPField.Name {
  static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
  static let host = HTTPField.Name("Host")!
}

extension APIError {
  /// No session or token (or an unknown, expired or revoked one).
  static var unauthorized: APIError {
    APIError(
      status: .unauthorized, code: "unauthorized",
      message: "log in (POST /api/login) or send an API token (Authorization: Bearer …)",
      headers: [.wwwAuthenticate: "Bearer realm=\"pstudio\""])
  }
  /// A cookie-authenticated write from another site.
  static var crossSite: APIError {
    APIError(status: .forbidden, code: "cross_site", message: "cross-site requests with the session cookie are refused")
  }
}
