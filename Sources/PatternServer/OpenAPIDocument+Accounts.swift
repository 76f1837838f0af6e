import PatternLanguage

/// The document's accounts, share links and live updates: their paths, schemas and security schemes.
extension OpenAPIDocument {
  // MARK: Security

  /// An API token (`pstudio users token NAME`) or the session cookie `POST /api/login` sets.
  static let securitySchemes: JSONValue = .object([
    ("bearerAuth", obj(["type": "http", "scheme": "bearer", "description": "An API token: pstudio users token NAME"])),
    (
      "sessionCookie",
      obj([
        "type": "apiKey", "in": "cookie", "name": StudioAuthenticator.cookieName,
        "description": "Set by POST /api/login (HttpOnly, SameSite=Strict).",
      ])
    ),
  ])
  static let security: JSONValue = .array([obj(["bearerAuth": [Any]()]), obj(["sessionCookie": [Any]()])])

  /// Adds 401 to every operation that can need a user, and under `--auth` marks the open ones `security: []`.
  static func secured(_ paths: JSONValue, _ c: ServerConfiguration) -> JSONValue {
    .object(
      paths.fields.map { path, item in
        (
          path,
          .object(
            item.fields.map { key, operation in
              guard key != "parameters" else { return (key, operation) }
              var fields = operation.fields
              let open = AccessMiddleware.isOpen(path) || path.hasPrefix("/api/shared/")
              let needsUser =
                !["/api/health", "/openapi.json", "/api/login", "/api/logout", "/api/me"].contains(path)
                && !path.hasPrefix("/api/shared/")
              if needsUser, let i = fields.firstIndex(where: { $0.0 == "responses" }) {
                fields[i].1 = .object(
                  (fields[i].1.fields + [("401", ref("Unauthorized"))]).sorted { $0.0 < $1.0 })
              }
              if c.auth && open { fields.append(("security", .array([obj([:]), obj(["bearerAuth": [Any]()])]))) }
              return (key, .object(fields))
            })
        )
      })
  }

  // MARK: Paths

  static func accountPaths(_ c: ServerConfiguration) -> [(String, JSONValue)] {
    let id = parameter("id", in: "path", schema: obj(["type": "string"]), "The pattern's id.")
    let token = parameter("token", in: "path", schema: obj(["type": "string"]), "A share link's token.")
    let bodyErrors = ["400": ref("BadRequest"), "408": ref("BodyTimeout"), "413": ref("TooLarge")]
    return [
      (
        "/api/login",
        .object([
          (
            "post",
            op(
              "login", "Log in: sets the session cookie (HttpOnly, SameSite=Strict)", body("LoginRequest"),
              [
                "200": json(
                  "Me", "Logged in",
                  headers: ["Set-Cookie": header("\(StudioAuthenticator.cookieName)=…; HttpOnly; SameSite=Strict")]),
                "401": errorResponse("Wrong name or password"),
                "429": errorResponse("Too many failed logins for this name or from this address", retry: true),
              ].merging(bodyErrors) { a, _ in a })
          )
        ])
      ),
      (
        "/api/logout",
        .object([("post", op("logout", "End the session", [:], ["204": obj(["description": "Logged out"])]))])
      ),
      (
        "/api/me",
        .object([
          ("get", op("me", "Whether the server asks for accounts, and who you are", [:], ["200": json("Me", "You")]))
        ])
      ),
      (
        "/api/patterns/{id}/share",
        .object([
          ("parameters", .array([id])),
          (
            "post",
            op(
              "share", "Make a read-only share link (revocable)", [:],
              ["201": json("ShareLink", "The link"), "404": ref("NotFound"), "403": ref("CrossSite")])
          ),
        ])
      ),
      (
        "/api/patterns/{id}/share/{token}",
        .object([
          ("parameters", .array([id, token])),
          (
            "delete",
            op(
              "unshare", "Revoke a share link", [:],
              ["204": obj(["description": "Revoked"]), "404": ref("NotFound"), "403": ref("CrossSite")])
          ),
        ])
      ),
      (
        "/api/shared/{token}",
        .object([
          ("parameters", .array([token])),
          (
            "get",
            op(
              "getShared", "The pattern a share link opens (latest version; no account needed)", [:],
              ["200": json("Pattern", "Found"), "404": ref("NotFound")])
          ),
        ])
      ),
      (
        "/api/live",
        .object([
          (
            "get",
            op(
              "live",
              "WebSocket (Upgrade: websocket): JSON messages {type: ready|saved|progress, id, version, percent} "
                + "for one pattern",
              [
                "parameters": .array([
                  parameter("id", in: "query", schema: obj(["type": "string"]), "The pattern's id."),
                  parameter("share", in: "query", schema: obj(["type": "string"]), "A share link of it (no account)."),
                ])
              ],
              [
                "101": obj(["description": "Switching to the WebSocket"]),
                "426": errorResponse("Not a WebSocket upgrade"), "404": ref("NotFound"),
              ])
          )
        ])
      ),
    ]
  }

  // MARK: Schemas

  static var accountSchemas: [(String, JSONValue)] {
    let string = obj(["type": "string"])
    return [
      ("LoginRequest", object(["name": string, "password": string], required: ["name", "password"])),
      (
        "Me",
        object(
          ["auth": obj(["type": "boolean"]), "name": obj(["type": "string", "nullable": true])], required: ["name"])
      ),
      (
        "ShareLink",
        object(
          [
            "token": string, "url": obj(["type": "string", "description": "The studio page's address that opens it."]),
          ],
          required: ["token", "url"])
      ),
    ]
  }
}
