import Hummingbird
import Logging
import PatternLanguage
import PatternStudio

extension StudioServer {
  /// `GET /api/health`: 200 when the database answers, 503 when it does not; the render queue's load.
  @Sendable func health(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let databaseOK = await store.ping()
    let load = renders.load
    return .json(
      .object([
        ("status", .string(databaseOK ? "ok" : "unavailable")),
        ("version", .string(StudioServer.version)),
        ("database", .string(databaseOK ? "ok" : "unavailable")),
        (
          "renders",
          .object([
            ("active", .integer(Int64(load.active))), ("queued", .integer(Int64(load.queued))),
            ("max_active", .integer(Int64(renders.maxActive))), ("max_queued", .integer(Int64(renders.maxQueued))),
          ])
        ),
      ]), status: databaseOK ? .ok : .serviceUnavailable)
  }

  /// `GET /openapi.json`: the OpenAPI 3 description of this API.
  @Sendable func openAPI(_ request: Request, context: StudioRequestContext) async throws -> Response {
    .json(OpenAPIDocument.make(configuration))
  }

  /// `POST /api/parse`: exactly what `pstudio parse` prints — 200 when the pattern compiles, 422 (with every
  /// diagnostic) when it has errors.
  @Sendable func parse(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let body = try await request.decodeJSON(SourceBody.self, limit: configuration.maxBodyBytes)
    let source = try sourceFile(body.patternCode)
    context.logger.debug("parse", metadata: ["source": "\(Self.preview(body.patternCode))"])
    // The limits a default render (WAV, 16-bit, 48 kHz) would stop at are diagnostics here too.
    var job = WorkerJob(kind: .parse, name: source.name, code: body.patternCode)
    job.maxSeconds = configuration.maxSeconds(for: RenderSettings().format)
    let (reply, _) = try await compileWork(job, logger: context.logger)
    try Self.check(reply, file: source.name)
    return .json(.raw(reply.json ?? "{}"), status: reply.succeeded == true ? .ok : .unprocessableContent)
  }

  /// `GET /api/instruments`: the `pstudio instruments --json` object.
  @Sendable func instruments(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let folders = configuration.instrumentFolders
    return .json(try await Offload.run { InstrumentLibrary.load(.standard(extra: folders)).listingJSON })
  }

  static let version = "0.1.0"

  /// At most the first 50 characters of a source, for logs (source text is never logged beyond that).
  static func preview(_ code: String) -> String {
    code.count > 50 ? String(code.prefix(50)) + "…" : code
  }
}
