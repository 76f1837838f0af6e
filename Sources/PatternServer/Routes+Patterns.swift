import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PatternLanguage
import PatternStudio

extension StudioServer {
  /// `POST /api/save`: a new pattern (version 1) → 201 with the stored pattern and its `Location`. Patterns
  /// with errors are saved too: a draft is still work.
  @Sendable func save(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let body = try await request.decodeJSON(SaveBody.self, limit: configuration.maxBodyBytes)
    let name = try validName(body.name)
    _ = try sourceFile(body.patternCode)
    let stored = try await store.create(name: name, code: body.patternCode, owner: try owner(context).id)
    context.logger.info("saved", metadata: ["id": "\(stored.id)", "bytes": "\(body.patternCode.utf8.count)"])
    var response = Response.json(try await savedJSON(stored, logger: context.logger), status: .created)
    response.headers[.location] = "/api/patterns/\(stored.id)"
    return response
  }

  /// `PUT /api/patterns/{id}`: a new version; earlier ones stay (`…/versions`).
  @Sendable func update(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    let user = try owner(context)
    let body = try await request.decodeJSON(UpdateBody.self, limit: configuration.maxBodyBytes)
    let name = try body.name.map(validName)
    let baseVersion = try checkedVersion(body.baseVersion, field: "base_version")
    _ = try sourceFile(body.patternCode)
    do {
      let stored = try await store.update(
        id: id, owner: user.id, name: name, code: body.patternCode, baseVersion: baseVersion)
      context.logger.info("saved", metadata: ["id": "\(id)", "version": "\(stored.version)"])
      live.publish(id, LiveHub.saved(id: id, version: stored.version))
      return .json(try await savedJSON(stored, logger: context.logger))
    } catch StoreError.notFound {
      throw APIError.notFound("no pattern with id '\(id)'")
    } catch StoreError.staleVersion(let latest) {
      throw APIError.conflict("base_version \(body.baseVersion ?? 0) is not the latest version (\(latest))")
    }
  }

  /// `GET /api/load/{id}` and `GET /api/patterns/{id}`: the latest version.
  @Sendable func load(_ request: Request, context: StudioRequestContext) async throws -> Response {
    .json(Self.json(try await stored(id: try patternID(context), version: nil, owner: try owner(context))))
  }

  /// `GET /api/patterns/{id}/versions/{version}`: one earlier (or the latest) version.
  @Sendable func loadVersion(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    guard let text = context.parameters.get("version"), let version = Int(text), version >= 1 else {
      throw APIError.notFound("no such version: '\(context.parameters.get("version") ?? "")'")
    }
    return .json(Self.json(try await stored(id: id, version: version, owner: try owner(context))))
  }

  /// `GET /api/patterns?limit=20&offset=0`: newest change first, without source text.
  @Sendable func list(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    let limit = try Self.integer(query.get("limit"), name: "limit", default: 20, range: 1...100)
    let offset = try Self.integer(query.get("offset"), name: "offset", default: 0, range: 0...Int(Int32.max))
    let (patterns, total) = try await store.list(owner: try owner(context).id, limit: limit, offset: offset)
    let next = offset + patterns.count < total ? JSONValue.integer(Int64(offset + patterns.count)) : .null
    return .json(
      .object([
        ("patterns", .array(patterns.map(Self.json))), ("total", .integer(Int64(total))),
        ("limit", .integer(Int64(limit))), ("offset", .integer(Int64(offset))), ("next_offset", next),
      ]))
  }

  /// `GET /api/patterns/{id}/versions`: every version, oldest first, without source text.
  @Sendable func versions(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    guard let versions = try await store.versions(id: id, owner: try owner(context).id) else {
      throw APIError.notFound("no pattern with id '\(id)'")
    }
    return .json(.object([("id", .string(id)), ("versions", .array(versions.map(Self.json)))]))
  }

  /// `DELETE /api/patterns/{id}`: the pattern and all its versions → 204.
  @Sendable func delete(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let id = try patternID(context)
    guard try await store.delete(id: id, owner: try owner(context).id) else {
      throw APIError.notFound("no pattern with id '\(id)'")
    }
    context.logger.info("deleted", metadata: ["id": "\(id)"])
    return Response(status: .noContent)
  }

  /// What a save answers: the stored pattern, whether it compiles (`valid`) and its diagnostics — a draft with
  /// errors is saved too, and the writer should know. The pattern is stored before it is checked: a busy
  /// server never loses a save to a full compile queue (then `valid` is null and the diagnostics empty).
  func savedJSON(_ stored: StoredPattern, logger: Logger) async throws -> JSONValue {
    guard case .object(var fields) = Self.json(stored) else { return Self.json(stored) }
    var job = WorkerJob(kind: .parse, name: "pattern", code: stored.patternCode)
    job.maxSeconds = configuration.maxSeconds(for: RenderSettings().format)
    if let (reply, _) = try? await compileWork(job, logger: logger), reply.status == .ok {
      fields += [("valid", .bool(reply.succeeded == true)), ("diagnostics", .raw(reply.diagnostics ?? "[]"))]
    } else {
      fields += [("valid", .null), ("diagnostics", .array([]))]
    }
    return .object(fields)
  }

  /// `id` at `version` (the latest when nil) if `owner` owns it; 404 otherwise, exactly as for an unknown id.
  func stored(id: String, version: Int?, owner: StudioUser) async throws -> StoredPattern {
    guard let stored = try await store.load(id: id, version: version, owner: owner.id) else {
      throw APIError.notFound(
        version.map { "pattern '\(id)' has no version \($0)" } ?? "no pattern with id '\(id)'")
    }
    return stored
  }

  /// Names are 1 … `maxNameLength` characters (Unicode scalars, as JSON Schema counts), not all white space, without
  /// control characters (they become file names and titles). Stored as given.
  func validName(_ name: String) throws -> String {
    let scalars = name.unicodeScalars
    guard !scalars.isEmpty else { throw APIError.badRequest("'name' must not be empty") }
    guard scalars.count <= configuration.maxNameLength else {
      throw APIError.badRequest("'name' is longer than \(configuration.maxNameLength) characters")
    }
    guard !scalars.contains(where: { $0.properties.generalCategory == .control }) else {
      throw APIError.badRequest("'name' must not contain control characters")
    }
    // White space as the document's pattern (`\s` in ECMA-262) counts it: Unicode's, plus U+FEFF.
    guard scalars.contains(where: { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }) else {
      throw APIError.badRequest("'name' must not be only white space")
    }
    return name
  }

  static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
    guard let text else { return value }
    guard let n = Int(text), range.contains(n) else {
      throw APIError.badRequest("'\(name)' must be an integer \(range.lowerBound) … \(range.upperBound)")
    }
    return n
  }

  static func json(_ p: StoredPattern) -> JSONValue {
    .object([
      ("id", .string(p.id)), ("name", .string(p.name)), ("pattern_code", .string(p.patternCode)),
      ("version", .integer(Int64(p.version))), ("created_at", .string(p.createdAt)),
      ("updated_at", .string(p.updatedAt)),
    ])
  }

  static func json(_ p: PatternSummary) -> JSONValue {
    .object([
      ("id", .string(p.id)), ("name", .string(p.name)), ("version", .integer(Int64(p.version))),
      ("created_at", .string(p.createdAt)), ("updated_at", .string(p.updatedAt)), ("size", .integer(Int64(p.size))),
      ("shared", .bool(p.shared)),
    ])
  }
}
