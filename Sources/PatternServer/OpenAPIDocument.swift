import PatternAudioIO
import PatternLanguage

/// The OpenAPI 3.0 description of the API, built from the same limits the server enforces (tests and
/// schemathesis hold the server to it).
enum OpenAPIDocument {
  static func make(_ configuration: ServerConfiguration) -> JSONValue {
    let allPaths = secured(.object(paths(configuration).fields + accountPaths(configuration)), configuration)
    let components: JSONValue = .object([
      ("schemas", .object(schemas(configuration).fields + accountSchemas)), ("responses", responses),
      ("securitySchemes", securitySchemes),
    ])
    let document: [(String, JSONValue)] = [
      ("openapi", .string("3.0.3")),
      (
        "info",
        .object([
          ("title", .string("Pattern Studio API")), ("version", .string(StudioServer.version)),
          (
            "description",
            .string(
              "Parse, save, version, render and export patterns. Every error is JSON: "
                + "{\"success\": false, \"error\": message, \"code\": name}.")
          ),
        ])
      ),
      ("paths", allPaths),
      ("components", components),
    ]
    return .object(document + (configuration.auth ? [("security", security)] : []))
  }

  // MARK: Paths

  static func paths(_ c: ServerConfiguration) -> JSONValue {
    let id = parameter("id", in: "path", schema: obj(["type": "string"]), "The pattern's id.")
    // Compiles and renders run in worker processes: one that crashes is a 500 for its request only.
    let busy = ["429": ref("TooMany"), "503": ref("Busy"), "500": ref("WorkerCrashed")]
    let bodyErrors = ["400": ref("BadRequest"), "408": ref("BodyTimeout"), "413": ref("TooLarge")]
    return .object([
      (
        "/api/health",
        .object([
          (
            "get",
            op(
              "health", "Liveness, database and render queue", [:],
              ["200": json("Health", "Up"), "503": json("Health", "The database does not answer")])
          )
        ])
      ),
      (
        "/openapi.json",
        .object([("get", op("openapi", "This document", [:], ["200": json(nil, "The OpenAPI document", free: true)]))])
      ),
      (
        "/api/parse",
        .object([
          (
            "post",
            op(
              "parse", "Parse a pattern (the `pstudio parse` JSON)", body("SourceRequest"),
              [
                "200": json("ParseResult", "The pattern compiles"),
                "422": json("ParseResult", "The pattern has errors"),
              ]
              .merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
      (
        "/api/instruments",
        .object([
          (
            "get",
            op(
              "instruments", "What each instrument name can play", [:],
              ["200": json("Instruments", "Instrument name → notes or hits")])
          )
        ])
      ),
      (
        "/api/save",
        .object([
          (
            "post",
            op(
              "save", "Save a new pattern (version 1)", body("SaveRequest"),
              ["201": json("SavedPattern", "Saved", headers: ["Location": header("Where the pattern lives")])]
                .merging(bodyErrors) { a, _ in a })
          )
        ])
      ),
      (
        "/api/patterns",
        .object([
          (
            "get",
            op(
              "listPatterns", "Saved patterns, most recently changed first",
              [
                "parameters": .array([
                  parameter(
                    "limit", in: "query",
                    schema: obj(["type": "integer", "minimum": 1, "maximum": 100, "default": 20]), "Page size."),
                  parameter(
                    "offset", in: "query",
                    schema: obj(["type": "integer", "minimum": 0, "maximum": Int(Int32.max), "default": 0]),
                    "Patterns to skip."),
                ])
              ], ["200": json("PatternList", "One page"), "400": ref("BadRequest")])
          )
        ])
      ),
      (
        "/api/patterns/{id}",
        .object([
          ("parameters", .array([id])),
          (
            "get",
            op("getPattern", "The latest version", [:], ["200": json("Pattern", "Found"), "404": ref("NotFound")])
          ),
          (
            "put",
            op(
              "updatePattern", "Save a new version (earlier ones stay)", body("UpdateRequest"),
              ["200": json("SavedPattern", "Saved"), "404": ref("NotFound"), "409": ref("Conflict")].merging(bodyErrors)
              {
                a, _ in a
              })
          ),
          (
            "delete",
            op(
              "deletePattern", "Delete the pattern and all its versions", [:],
              ["204": .object([("description", .string("Deleted"))]), "404": ref("NotFound")])
          ),
        ])
      ),
      (
        "/api/patterns/{id}/versions",
        .object([
          ("parameters", .array([id])),
          (
            "get",
            op(
              "listVersions", "Every version, oldest first", [:],
              ["200": json("VersionList", "The versions"), "404": ref("NotFound")])
          ),
        ])
      ),
      (
        "/api/patterns/{id}/versions/{version}",
        .object([
          (
            "parameters",
            .array([
              id,
              parameter(
                "version", in: "path", schema: obj(["type": "integer"]), "A version number (1 is the first save)."),
            ])
          ),
          ("get", op("getVersion", "One version", [:], ["200": json("Pattern", "Found"), "404": ref("NotFound")])),
        ])
      ),
      (
        "/api/load/{id}",
        .object([
          ("parameters", .array([id])),
          (
            "get",
            op(
              "load", "The latest version (the original endpoint)", [:],
              ["200": json("Pattern", "Found"), "404": ref("NotFound")])
          ),
        ])
      ),
      (
        "/api/render",
        .object([
          (
            "post",
            op(
              "render", "Render to WAV or FLAC", body("ExportRequest"),
              [
                "200": .object([
                  ("description", .string("The audio file")),
                  (
                    "headers",
                    .object([
                      ("X-PCM-Hash", header("SHA-256 of the PCM as written, e.g. pcm-s16-48000-2:sha256:…")),
                      ("X-Render-Frames", header("Frames rendered", type: "integer")),
                      ("X-Render-Seconds", header("Length in seconds", type: "number")),
                      ("X-Render-Time", header("Compile, render and encode wall time, seconds", type: "number")),
                    ])
                  ),
                  ("content", .object([("audio/wav", binary), ("audio/flac", binary)])),
                ]),
                "404": ref("NotFound"), "422": ref("InvalidPattern"),
              ].merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
      (
        "/api/events",
        .object([
          (
            "post",
            op(
              "events", "The expanded event list (the `pstudio events --format json` object)", body("SourceSelection"),
              ["200": json("Events", "Every note event"), "404": ref("NotFound"), "422": ref("InvalidPattern")]
                .merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
      (
        "/api/midi",
        .object([
          (
            "post",
            op(
              "midi", "Export a Standard MIDI File", body("SourceSelection"),
              [
                "200": .object([
                  ("description", .string("The MIDI file")),
                  (
                    "headers",
                    .object([("X-MIDI-Warnings", header("How many things MIDI cannot express", type: "integer"))])
                  ),
                  ("content", .object([("audio/midi", binary)])),
                ]),
                "404": ref("NotFound"), "422": ref("InvalidPattern"),
              ].merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
    ])
  }
}
