import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Finds who a request acts for: `Authorization: Bearer pst_…` (an API token) or the session cookie, both
/// checked against their hashes in the store. Without `--auth` every request acts as `admin`. It never
/// refuses a request: `AccessMiddleware` decides what anonymous requests may do.
struct StudioAuthenticator: AuthenticatorMiddleware {
  typealias Context = StudioRequestContext
  typealias Identity = StudioUser

  /// The session cookie's name.
  static let cookieName = "pstudio_session"

  let store: PatternStore
  let auth: Bool

  func authenticate(request: Request, context: Context) async throws -> StudioUser? {
    try await authenticated(request).map(\.user)
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var context = context
    if let (user, method) = try await authenticated(request) {
      context.identity = user
      context.method = method
    }
    return try await next(request, context)
  }

  /// The user and how they were found, checked again against the store (a live socket re-checks per message).
  func authenticated(_ request: Request) async throws -> (user: StudioUser, method: Context.Method)? {
    guard auth else { return try await store.user(named: StudioUser.adminName).map { ($0, .none) } }
    if let bearer = request.headers.bearer {
      return try await store.user(forCredential: Substring(bearer.token), kind: .token).map { ($0, .token) }
    }
    if let cookie = request.cookies[Self.cookieName] {
      return try await store.user(forCredential: Substring(cookie.value), kind: .session).map { ($0, .session) }
    }
    return nil
  }
}
