import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import PatternLanguage
import TestSupport
import Testing

@testable import PatternServer

/// A user made for a test: name, password and an API token.
struct TestUser: Sendable {
  var name: String
  var password: String
  var token: String
  var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }
}

extension StudioServer {
  /// Adds `name` with a password and mints an API token (straight into the store).
  func makeUser(_ name: String) async throws -> TestUser {
    let password = "pw-\(name)-\(PatternID.make())"
    _ = try await store.addUser(name: name, password: password)
    let token = try #require(try await store.mintToken(userName: name))
    return TestUser(name: name, password: password, token: token)
  }
}

extension TestClientProtocol {
  /// `send` with extra headers (a token, a cookie).
  func send(_ method: HTTPRequest.Method, _ uri: String, _ fields: [String: Any], headers: HTTPFields) async throws
    -> Reply
  {
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return try await call(method, uri, body: String(decoding: data, as: UTF8.self), headers: headers)
  }
}

/// `serve --auth`: who may do what, share links, logins and what the database keeps.
@Suite("Server accounts and ownership") struct AccountTests {
  @Test(
    "under --auth anonymous requests get 401 JSON; health, the document and login stay open", arguments: Mode.allCases)
  func anonymousIs401UnderAuth(_ mode: Mode) async throws {
    try await withServer(mode, { $0.auth = true }) { client, server in
      let alice = try await server.makeUser("alice")
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "a", "pattern_code": twoNotes], headers: alice.bearer)
          .json["id"] as? String)
      let anonymous: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/patterns", nil), (.get, "/api/patterns/\(id)", nil), (.get, "/api/load/\(id)", nil),
        (.get, "/api/patterns/\(id)/versions", nil), (.delete, "/api/patterns/\(id)", nil),
        (.put, "/api/patterns/\(id)", #"{"pattern_code": "x"}"#),
        (.post, "/api/save", #"{"name": "n", "pattern_code": "x"}"#),
        (.post, "/api/parse", #"{"pattern_code": "x"}"#), (.get, "/api/instruments", nil),
        (.post, "/api/render", #"{"pattern_code": "x"}"#), (.post, "/api/render", "{\"id\": \"\(id)\"}"),
        (.post, "/api/midi", #"{"pattern_code": "x"}"#), (.post, "/api/events", #"{"pattern_code": "x"}"#),
        (.post, "/api/patterns/\(id)/share", nil), (.get, "/api/live?id=\(id)", nil),
        // Spellings the router reads as the same routes.
        (.post, "//api/parse", #"{"pattern_code": "x"}"#), (.get, "//api//instruments", nil),
        (.get, "/api//patterns", nil),
      ]
      for (method, uri, body) in anonymous {
        let reply = try await client.call(method, uri, body: body)
        #expect(reply.status == .unauthorized, "\(method) \(uri): \(reply.status) \(reply.text)")
        #expect(reply.code == "unauthorized" && reply.json["success"] as? Bool == false, "\(uri)")
        #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
      }
      // A made-up or revoked-looking token is anonymous too.
      let forged = try await client.call(
        .get, "/api/patterns", headers: [.authorization: "Bearer pst_" + String(repeating: "A", count: 44)])
      #expect(forged.status == .unauthorized)
      #expect(try await client.call(.get, "/api/health").status == .ok)
      #expect(try await client.call(.get, "/openapi.json").status == .ok)
      #expect(try await client.call(.get, "/api/me").json["name"] is NSNull)
      #expect(try await client.call(.get, "/api/patterns", headers: alice.bearer).status == .ok)
      #expect(try await client.call(.get, "/api/me", headers: alice.bearer).json["name"] as? String == "alice")
      // The cookie is Secure behind a TLS proxy (X-Forwarded-Proto: https) even without --secure-cookies.
      let body = "{\"name\": \"alice\", \"password\": \"\(alice.password)\"}"
      let plain = try await client.call(.post, "/api/login", body: body)
      #expect(plain.status == .ok && plain.headers[.setCookie]?.contains("Secure") == false)
      let proxied = try await client.call(
        .post, "/api/login", body: body, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
      #expect(proxied.headers[.setCookie]?.contains("; Secure") == true)
    }
  }

  @Test(
    "user B cannot list, read, render, change, share or delete A's pattern: 404 as for an unknown id",
    arguments: Mode.allCases)
  func anotherUsersPatternIsNotFound(_ mode: Mode) async throws {
    try await withServer(mode, { $0.auth = true }) { client, server in
      let (a, b) = (try await server.makeUser("anna"), try await server.makeUser("bert"))
      let saved = try await client.send(
        .post, "/api/save", ["name": "mine", "pattern_code": twoNotes], headers: a.bearer)
      let id = try #require(saved.json["id"] as? String)
      let unknown = PatternID.make()
      for target in [id, unknown] {
        let attempts: [(HTTPRequest.Method, String, String?)] = [
          (.get, "/api/patterns/\(target)", nil), (.get, "/api/load/\(target)", nil),
          (.get, "/api/patterns/\(target)/versions", nil), (.get, "/api/patterns/\(target)/versions/1", nil),
          (.put, "/api/patterns/\(target)", #"{"pattern_code": "melody { sine C4 0; }"}"#),
          (.post, "/api/render", "{\"id\": \"\(target)\"}"), (.post, "/api/midi", "{\"id\": \"\(target)\"}"),
          (.post, "/api/events", "{\"id\": \"\(target)\"}"), (.post, "/api/patterns/\(target)/share", nil),
          (.delete, "/api/patterns/\(target)", nil), (.get, "/api/live?id=\(target)", nil),
        ]
        for (method, uri, body) in attempts {
          let reply = try await client.call(method, uri, body: body, headers: b.bearer)
          #expect(reply.status == .notFound, "\(method) \(uri): \(reply.status) \(reply.text)")
          #expect(reply.code == "not_found")
        }
      }
      let list = try await client.call(.get, "/api/patterns", headers: b.bearer)
      #expect(list.json["total"] as? Int == 0)
      // Still there, unchanged, for its owner.
      let own = try await client.call(.get, "/api/patterns/\(id)", headers: a.bearer)
      #expect(own.status == .ok && own.json["version"] as? Int == 1 && own.json["pattern_code"] as? String == twoNotes)
      #expect(try await client.call(.get, "/api/patterns", headers: a.bearer).json["total"] as? Int == 1)
      #expect(try await server.store.load(id: id, owner: nil)?.patternCode == twoNotes)
    }
  }

  @Test(
    "login sets an HttpOnly SameSite=Strict cookie that works; writes from another site are refused; logout ends it",
    arguments: Mode.allCases)
  func sessionsByCookie(_ mode: Mode) async throws {
    try await withServer(
      mode,
      {
        $0.auth = true; $0.secureCookies = true
      }
    ) { client, server in
      let user = try await server.makeUser("carla")
      let wrong = try await client.send(.post, "/api/login", ["name": "carla", "password": "nope"])
      #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)
      let unknown = try await client.send(.post, "/api/login", ["name": "nobody", "password": "nope"])
      #expect(unknown.status == .unauthorized && unknown.error == wrong.error)
      let login = try await client.send(.post, "/api/login", ["name": "carla", "password": user.password])
      #expect(login.status == .ok && login.json["name"] as? String == "carla")
      let setCookie = try #require(login.headers[.setCookie])
      for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        #expect(setCookie.contains(attribute), "\(setCookie)")
      }
      let value = try #require(setCookie.split(separator: ";").first.map(String.init))
      let cookie: HTTPFields = [.cookie: value]
      #expect(try await client.call(.get, "/api/me", headers: cookie).json["name"] as? String == "carla")
      let saved = try await client.send(.post, "/api/save", ["name": "s", "pattern_code": twoNotes], headers: cookie)
      #expect(saved.status == .created)
      var crossSite = cookie
      crossSite[.origin] = "https://evil.example"
      let forgedWrite = try await client.send(
        .post, "/api/save", ["name": "s", "pattern_code": "x"], headers: crossSite)
      #expect(forgedWrite.status == .forbidden && forgedWrite.code == "cross_site")
      var fetchSite = cookie
      fetchSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
      #expect(
        try await client.send(.post, "/api/save", ["name": "s", "pattern_code": "x"], headers: fetchSite).status
          == .forbidden)
      // The same write with a token (no ambient credential) is fine from anywhere.
      var tokenFromElsewhere = user.bearer
      tokenFromElsewhere[.origin] = "https://evil.example"
      #expect(
        try await client.send(.post, "/api/save", ["name": "t", "pattern_code": "x"], headers: tokenFromElsewhere)
          .status == .created)

      let logout = try await client.call(.post, "/api/logout", headers: cookie)
      #expect(logout.status == .noContent && logout.headers[.setCookie]?.contains("Max-Age=0") == true)
      #expect(try await client.call(.get, "/api/patterns", headers: cookie).status == .unauthorized)
    }
  }

  @Test("a burst of failed logins is answered 429 with Retry-After, per user and per address", arguments: Mode.allCases)
  func loginBurstsAreRateLimited(_ mode: Mode) async throws {
    try await withServer(
      mode,
      {
        $0.auth = true; $0.maxFailedLogins = 5
      }
    ) { client, server in
      let user = try await server.makeUser("dora")
      var statuses: [Int] = []
      for _ in 0..<8 {
        statuses.append(
          Int(try await client.send(.post, "/api/login", ["name": "dora", "password": "guess"]).status.code))
      }
      #expect(statuses.elementsEqual([401, 401, 401, 401, 401, 429, 429, 429]), "\(statuses)")
      // Locked out: even the right password waits, and says how long.
      let right = try await client.send(.post, "/api/login", ["name": "dora", "password": user.password])
      #expect(right.status == .tooManyRequests && right.code == "too_many_logins")
      let retry = try #require(right.headers[.retryAfter].flatMap(Int.init))
      #expect(retry >= 1 && retry <= Int(server.configuration.loginWindowSeconds))
      // Another name from the same client still logs in (an address may fail four times as often: a class
      // behind one NAT shares it), and its success does not count against the address.
      let other = try await server.makeUser("emil")
      #expect(try await client.send(.post, "/api/login", ["name": "emil", "password": other.password]).status == .ok)
      // The address is limited too: wrong passwords for other names, until its own limit.
      var more: [Int] = []
      for i in 0..<(5 * LoginLimiter.addressFactor - 5) {
        more.append(
          Int(try await client.send(.post, "/api/login", ["name": "guess\(i)", "password": "x"]).status.code))
      }
      #expect(more.allSatisfy { $0 == 401 }, "\(more)")
      #expect(
        try await client.send(.post, "/api/login", ["name": "emil", "password": other.password]).status
          == .tooManyRequests)
      // A burst of concurrent attempts is limited like a sequence: each is counted before its check.
      let burst = LoginLimiter(maxFailures: 3, windowSeconds: 60)
      let burstKeys = LoginLimiter.keys(user: "x", address: "5.6.7.8")
      let allowed = (0..<10).filter { _ in burst.attempt(burstKeys) == nil }.count
      #expect(allowed == 3)
      // Junk names share one key.
      #expect(LoginLimiter.keys(user: String(repeating: "a", count: 60_000), address: "1")[0] == "user:(not a name)")
      // The limiter forgets after its window.
      let limiter = LoginLimiter(maxFailures: 2, windowSeconds: 60)
      let keys = LoginLimiter.keys(user: "x", address: "1.2.3.4")
      let start = ContinuousClock.now
      limiter.fail(keys, now: start)
      limiter.fail(keys, now: start)
      #expect(limiter.retryAfter(keys, now: start + .seconds(1)) == 59)
      #expect(limiter.retryAfter(keys, now: start + .seconds(61)) == nil)
    }
  }

  @Test("the database holds no password, token, session or share link in clear")
  func noSecretsInTheDatabaseFile() async throws {
    let folder = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = "\(folder)/studio.sqlite"
    try await withServer(
      .router,
      {
        $0.auth = true; $0.databasePath = path
      }
    ) { client, server in
      let user = try await server.makeUser("fritz")
      let login = try await client.send(.post, "/api/login", ["name": "fritz", "password": user.password])
      let session = try #require(login.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last)
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "s", "pattern_code": twoNotes], headers: user.bearer)
          .json["id"] as? String)
      let share = try #require(
        try await client.call(.post, "/api/patterns/\(id)/share", headers: user.bearer).json["token"] as? String)
      let admin = try #require(server.adminPassword)
      var bytes = Data()
      for file in [path, path + "-wal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data() }
      #expect(bytes.count > 10_000)
      // The whole secrets and their secret halves (the id half is public by design).
      let secrets =
        [user.password, admin, user.token, String(session), share]
        + [user.token, String(session), share].map { String($0.suffix(PatternID.length)) }
      for secret in secrets {
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "found \(secret) in the database")
      }
      // The hashes are there instead: bcrypt for passwords, SHA-256 for the rest.
      #expect(bytes.range(of: Data("$2b$".utf8)) != nil || bytes.range(of: Data("$2a$".utf8)) != nil)
      #expect(bytes.range(of: Data(Credential.hash(String(share.suffix(PatternID.length))).utf8)) != nil)
    }
  }

  @Test("the document describes the security schemes; under --auth it requires them except on open operations")
  func theDocumentDescribesSecurity() throws {
    for auth in [false, true] {
      let configuration = testConfiguration { $0.auth = auth }
      let data = Data(OpenAPIDocument.make(configuration).serialized().utf8)
      let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      let schemes = try #require((doc["components"] as? [String: Any])?["securitySchemes"] as? [String: Any])
      #expect((schemes["bearerAuth"] as? [String: Any])?["scheme"] as? String == "bearer")
      #expect((schemes["sessionCookie"] as? [String: Any])?["name"] as? String == "pstudio_session")
      #expect((doc["security"] != nil) == auth)
      let paths = try #require(doc["paths"] as? [String: [String: Any]])
      let list = try #require(paths["/api/patterns"]?["get"] as? [String: Any])
      #expect((list["responses"] as? [String: Any])?["401"] != nil)
      let shared = try #require(paths["/api/shared/{token}"]?["get"] as? [String: Any])
      #expect((shared["responses"] as? [String: Any])?["401"] == nil)
      #expect((shared["security"] != nil) == auth)
      for path in ["/api/login", "/api/logout", "/api/me", "/api/patterns/{id}/share", "/api/live"] {
        #expect(paths[path] != nil, "\(path)")
      }
    }
  }

  @Test("an expired session is refused, and removed when the next one starts")
  func expiredSessionsAreRefusedAndPurged() async throws {
    let store = try PatternStore(path: nil, passwordCost: 4)
    let admin = try #require(try await store.user(named: "admin"))
    let old = try await store.mintCredential(.session, user: admin.id, lifetimeSeconds: -1)
    #expect(try await store.user(forCredential: Substring(old), kind: .session) == nil)
    let fresh = try await store.mintCredential(.session, user: admin.id, lifetimeSeconds: 60)
    #expect(try await store.user(forCredential: Substring(fresh), kind: .session) == admin)
    // A session is not a token, nor the other way round.
    #expect(try await store.user(forCredential: Substring(fresh), kind: .token) == nil)
    let rows = try await store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credential") }
    #expect(rows == 1)
  }

  @Test("tokens: the secret is compared in constant time; ids and secrets are well-formed")
  func credentialsParseAndCompare() {
    let minted = Credential.mint(prefix: Credential.apiTokenPrefix)
    #expect(minted.token.hasPrefix("pst_") && minted.token.count == 4 + 44)
    let parsed = Credential.parse(Substring(minted.token), prefix: "pst_")
    #expect(parsed?.id == minted.id)
    #expect(Credential.matches(parsed?.secret ?? "", storedHash: minted.secretHash))
    #expect(!Credential.matches(String(repeating: "A", count: 22), storedHash: minted.secretHash))
    #expect(Credential.parse("pst_short", prefix: "pst_") == nil)
    #expect(Credential.parse(Substring(minted.token), prefix: "") == nil)
    #expect(
      Credential.constantTimeEqual([1, 2, 3], [1, 2, 3]) && !Credential.constantTimeEqual([1, 2, 3], [1, 2, 4]))
    #expect(!Credential.constantTimeEqual([1, 2], [1, 2, 3]))
  }

  @Test("without --auth every request acts as admin, and a non-loopback host is refused unless --insecure-open")
  func singleUserModeAndOpenRefusal() async throws {
    try await withServer(.router) { client, server in
      let id = try await client.save("solo", twoNotes)
      let admin = try #require(try await server.store.user(named: "admin"))
      #expect(try await server.store.load(id: id, owner: admin.id) != nil)
      #expect(try await client.call(.get, "/api/me").json["name"] as? String == "admin")
    }
    var c = ServerConfiguration()
    c.host = "0.0.0.0"
    #expect(c.openRefusal(insecureOpen: false)?.contains("--auth") == true)
    #expect(c.openRefusal(insecureOpen: true) == nil)
    c.auth = true
    #expect(c.openRefusal(insecureOpen: false) == nil)
    for host in ["127.0.0.1", "localhost", "::1", "127.0.0.2"] {
      c = ServerConfiguration()
      c.host = host
      #expect(c.openRefusal(insecureOpen: false) == nil, "\(host)")
    }
    // A name that merely starts with 127. is not loopback.
    for host in ["127.example.com", "127.0.0.1.nip.io", "1270.0.0.1"] {
      c = ServerConfiguration()
      c.host = host
      #expect(c.openRefusal(insecureOpen: false) != nil, "\(host)")
    }
  }

  @Test("request logs never show a share token; every spelling of a route is checked as the router reads it")
  func logsAndPaths() {
    typealias Log = RequestLogMiddleware<StudioRequestContext>
    #expect(Log.redacted("/api/shared/AbC123") == "/api/shared/…")
    #expect(Log.redacted("/api/patterns/p1/share/AbC123") == "/api/patterns/p1/share/…")
    #expect(Log.redacted("/api/patterns/p1/share") == "/api/patterns/p1/share")
    #expect(AccessMiddleware.normalized("//api//parse") == "/api/parse")
    #expect(AccessMiddleware.normalized("/api/patterns/") == "/api/patterns/")
    #expect(AccessMiddleware.normalized("/") == "/")
  }

  @Test("a login from another site's page is refused (403): no signing a visitor in as someone else")
  func crossSiteLogin() async throws {
    try await withServer(.router, { $0.auth = true }) { client, server in
      let user = try await server.makeUser("olga")
      let body = "{\"name\": \"olga\", \"password\": \"\(user.password)\"}"
      let foreign = try await client.call(.post, "/api/login", body: body, headers: [.origin: "https://evil.example"])
      #expect(foreign.status == .forbidden && foreign.code == "cross_site")
      #expect(try await client.call(.post, "/api/login", body: body).status == .ok)
    }
  }
}
