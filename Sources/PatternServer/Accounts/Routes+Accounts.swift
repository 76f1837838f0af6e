import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Logging
import PatternLanguage

/// `POST /api/login`.
struct LoginBody: Decodable, Sendable {
  var name: String
  var password: String
}

extension StudioServer {

  /// The user a route acts for (the admin without `--auth`); 401 when anonymous.
  func owner(_ context: StudioRequestContext) throws -> StudioUser {
    guard let user = context.identity else { throw APIError.unauthorized }
    return user
  }

  /// `POST /api/login` `{"name", "password"}`: sets the session cookie (`HttpOnly`, `SameSite=Strict`, `Secure`
  /// with `--secure-cookies`) → 200 `{"name"}`; 401 when wrong; 429 with `Retry-After` after too many failures
  /// for the name or from the address.
  @Sendable func login(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let body = try await request.decodeJSON(LoginBody.self, limit: 64 << 10)
    let keys = LoginLimiter.keys(user: body.name, address: context.clientAddress)
    // Counted before the (slow) check, so concurrent attempts cannot all slip under the limit.
    if let seconds = logins.attempt(keys) {
      context.logger.notice("login refused (rate limit)", metadata: ["user": "\(body.name)"])
      throw APIError(
        status: .tooManyRequests, code: "too_many_logins",
        message: "too many failed logins; try again in \(seconds) s", headers: [.retryAfter: "\(seconds)"])
    }
    guard logins.beginCheck() else {
      throw APIError(
        status: .tooManyRequests, code: "too_many_logins", message: "too many logins at once; try again in 1 s",
        headers: [.retryAfter: "1"])
    }
    defer { logins.endCheck() }
    let found = StudioUser.isValidName(body.name) ? try await store.passwordHash(name: body.name) : nil
    let password = body.password
    let hash: String
    if let found { hash = found.1 } else { hash = try await logins.decoyHash(cost: configuration.passwordCost) }
    let matches = try await Offload.run { Bcrypt.verify(password, hash: hash) }
    guard let user = found?.0, matches else {
      context.logger.notice("login failed", metadata: ["user": "\(body.name)"])
      throw APIError(status: .unauthorized, code: "login_failed", message: "wrong name or password")
    }
    logins.succeeded(keys)
    let token = try await store.mintCredential(
      .session, user: user.id, lifetimeSeconds: configuration.sessionLifetimeSeconds)
    context.logger.info("logged in", metadata: ["user": "\(user.name)"])
    var response = Response.json(.object([("name", .string(user.name))]))
    response.setCookie(
      sessionCookie(token, maxAge: Int(configuration.sessionLifetimeSeconds), secure: Self.overTLS(request)))
    response.headers[.cacheControl] = "no-store"
    return response
  }

  /// `POST /api/logout`: ends the session (if any) and clears the cookie → 204.
  @Sendable func logout(_ request: Request, context: StudioRequestContext) async throws -> Response {
    if let cookie = request.cookies[StudioAuthenticator.cookieName] {
      try await store.endSession(Substring(cookie.value))
    }
    var response = Response(status: .noContent)
    response.setCookie(sessionCookie("", maxAge: 0, secure: Self.overTLS(request)))
    return response
  }

  /// `GET /api/me`: whether the server asks for accounts, and who this request is.
  @Sendable func me(_ request: Request, context: StudioRequestContext) async throws -> Response {
    .json(
      .object([
        ("auth", .bool(configuration.auth)),
        ("name", context.identity.map { .string($0.name) } ?? .null),
      ]))
  }

  /// The session cookie: `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` with `--secure-cookies` or when a
  /// proxy says the client came over HTTPS (`X-Forwarded-Proto: https`; `Secure` only ever narrows the cookie).
  func sessionCookie(_ value: String, maxAge: Int, secure overTLS: Bool = false) -> Cookie {
    Cookie(
      name: StudioAuthenticator.cookieName, value: value, maxAge: maxAge, path: "/",
      secure: configuration.secureCookies || overTLS, httpOnly: true, sameSite: .strict)
  }

  static func overTLS(_ request: Request) -> Bool {
    request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
  }

  // MARK: Share links

  /// `POST /api/patterns/{id}/share`: a new read-only link → 201 `{"token", "url"}` (the studio page's address
  /// that opens it, relative to this server).
  @Sendable func share(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    guard let token = try await store.share(pattern: id, owner: try owner(context).id) else {
      throw APIError.notFound("no pattern with id '\(id)'")
    }
    context.logger.info("shared", metadata: ["id": "\(id)"])
    return .json(.object([("token", .string(token)), ("url", .string("/?share=\(token)"))]), status: .created)
  }

  /// `DELETE /api/patterns/{id}/share/{token}`: revokes a link → 204 (404 for an unknown one).
  @Sendable func unshare(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    let token = context.parameters.get("token") ?? ""
    guard try await store.revokeShare(Substring(token), pattern: id, owner: try owner(context).id) else {
      throw APIError.notFound("no such share link of pattern '\(id)'")
    }
    context.logger.info("share revoked", metadata: ["id": "\(id)"])
    return Response(status: .noContent)
  }

  /// `GET /api/shared/{token}`: the latest version of the pattern a link opens (no account needed). A signed-in
  /// user who opens it may then read the pattern by id and finds it in their list, until the link is revoked.
  @Sendable func shared(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let token = context.parameters.get("token") ?? ""
    let stored = try await sharedPattern(token)
    if configuration.auth, let user = context.identity {
      try await store.rememberShare(Substring(token), user: user.id)
    }
    guard case .object(let fields) = Self.json(stored) else { return .json(Self.json(stored)) }
    return .json(.object(fields + [("shared", .bool(true))]))
  }

  /// The latest version of the pattern `token` opens; 404 for an unknown or revoked link.
  func sharedPattern(_ token: String) async throws -> StoredPattern {
    guard let id = try await store.sharedPattern(Substring(token)),
      let stored = try await store.load(id: id, owner: nil)
    else { throw APIError.notFound("no such share link (it may have been revoked)") }
    return stored
  }
}
