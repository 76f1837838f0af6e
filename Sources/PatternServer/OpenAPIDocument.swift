import PatternAudioIO
import PatternLanguage

/// The OpenAPI 3.0 description of the API, built from the same limits the server enforces (tests and
/// schemathesis hold the server to it).
enum OpenAPIDocument {
  static func make(_ configuration: ServerConfiguration) -> JSONValue {
    .object([
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
      ("paths", paths(configuration)),
      ("components", .object([("schemas", schemas(configuration)), ("responses", responses)])),
    ])
  }

  // MARK: Paths

  private static func paths(_ c: ServerConfiguration) -> JSONValue {
    let id = parameter("id", in: "path", schema: obj(["type": "string"]), "The pattern's id.")
    let busy = ["429": ref("TooMany"), "503": ref("Busy")]
    let bodyErrors = ["400": ref("BadRequest"), "413": ref("TooLarge")]
    return .object([
      ("/api/health", .object([("get", op("health", "Liveness, database and render queue", [:], ["200": json("Health", "Up"), "503": json("Health", "The database does not answer")]))])),
      ("/openapi.json", .object([("get", op("openapi", "This document", [:], ["200": json(nil, "The OpenAPI document", free: true)]))])),
      (
        "/api/parse",
        .object([
          (
            "post",
            op(
              "parse", "Parse a pattern (the `pstudio parse` JSON)", body("SourceRequest"),
              ["200": json("ParseResult", "The pattern compiles"), "422": json("ParseResult", "The pattern has errors")]
                .merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
      ("/api/instruments", .object([("get", op("instruments", "What each instrument name can play", [:], ["200": json("Instruments", "Instrument name → notes or hits")]))])),
      (
        "/api/save",
        .object([
          (
            "post",
            op(
              "save", "Save a new pattern (version 1)", body("SaveRequest"),
              ["201": json("Pattern", "Saved", headers: ["Location": header("Where the pattern lives")])]
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
                  parameter("limit", in: "query", schema: obj(["type": "integer", "minimum": 1, "maximum": 100, "default": 20]), "Page size."),
                  parameter("offset", in: "query", schema: obj(["type": "integer", "minimum": 0, "maximum": Int(Int32.max), "default": 0]), "Patterns to skip."),
                ])
              ], ["200": json("PatternList", "One page"), "400": ref("BadRequest")])
          )
        ])
      ),
      (
        "/api/patterns/{id}",
        .object([
          ("parameters", .array([id])),
          ("get", op("getPattern", "The latest version", [:], ["200": json("Pattern", "Found"), "404": ref("NotFound")])),
          (
            "put",
            op(
              "updatePattern", "Save a new version (earlier ones stay)", body("UpdateRequest"),
              ["200": json("Pattern", "Saved"), "404": ref("NotFound"), "409": ref("Conflict")].merging(bodyErrors) { a, _ in a })
          ),
          ("delete", op("deletePattern", "Delete the pattern and all its versions", [:], ["204": .object([("description", .string("Deleted"))]), "404": ref("NotFound")])),
        ])
      ),
      (
        "/api/patterns/{id}/versions",
        .object([
          ("parameters", .array([id])),
          ("get", op("listVersions", "Every version, oldest first", [:], ["200": json("VersionList", "The versions"), "404": ref("NotFound")])),
        ])
      ),
      (
        "/api/patterns/{id}/versions/{version}",
        .object([
          ("parameters", .array([id, parameter("version", in: "path", schema: obj(["type": "integer"]), "A version number (1 is the first save).")])),
          ("get", op("getVersion", "One version", [:], ["200": json("Pattern", "Found"), "404": ref("NotFound")])),
        ])
      ),
      (
        "/api/load/{id}",
        .object([
          ("parameters", .array([id])),
          ("get", op("load", "The latest version (the original endpoint)", [:], ["200": json("Pattern", "Found"), "404": ref("NotFound")])),
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
        "/api/midi",
        .object([
          (
            "post",
            op(
              "midi", "Export a Standard MIDI File", body("SourceSelection"),
              [
                "200": .object([
                  ("description", .string("The MIDI file")),
                  ("headers", .object([("X-MIDI-Warnings", header("How many things MIDI cannot express", type: "integer"))])),
                  ("content", .object([("audio/midi", binary)])),
                ]),
                "404": ref("NotFound"), "422": ref("InvalidPattern"),
              ].merging(bodyErrors) { a, _ in a }.merging(busy) { a, _ in a })
          )
        ])
      ),
    ])
  }

  // MARK: Schemas

  private static func schemas(_ c: ServerConfiguration) -> JSONValue {
    let string = obj(["type": "string"])
    let integer = obj(["type": "integer"])
    let time = obj(["type": "string", "format": "date-time"])
    // Names: 1 … max characters, not all white space, no control characters.
    let name = obj([
      "type": "string", "minLength": 1, "maxLength": c.maxNameLength,
      "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$",
    ])
    // Optional settings accept null as "not given".
    var nullableName = name.fields
    nullableName.append(("nullable", .bool(true)))
    let code = obj(["type": "string", "description": "Pattern source text (at most the body limit, \(c.maxBodyBytes) bytes)."])
    let diagnostic = object(
      [
        "severity": obj(["type": "string", "enum": ["error", "warning", "note"]]), "message": string, "file": string,
        "line": integer, "column": integer, "endLine": integer, "endColumn": integer,
        "hint": obj(["type": "string", "nullable": true]), "notes": .object([("type", .string("array")), ("items", object(["message": string, "line": integer, "column": integer], required: ["message", "line", "column"]))]),
      ], required: ["severity", "message", "file", "line", "column", "endLine", "endColumn", "hint", "notes"])
    // A render or MIDI export names its source: exactly one of pattern_code or a saved id (at a version).
    let source: [(String, JSONValue)] = [
      ("pattern_code", code), ("id", obj(["type": "string", "description": "A saved pattern's id."])),
      ("version", obj(["type": "integer", "nullable": true, "minimum": 1, "maximum": maxVersionNumber, "description": "With id: that version (default the latest)."])),
    ]
    let audioSettings: [(String, JSONValue)] = [
      ("format", obj(["type": "string", "nullable": true, "enum": ["wav", "flac"], "default": "wav"])),
      ("rate", obj(["type": "integer", "nullable": true, "enum": AudioFormat.supportedSampleRates, "default": 48000])),
      (
        "bits",
        .object([
          ("oneOf", .array([obj(["type": "integer", "enum": [16, 24]]), obj(["type": "string", "enum": ["16", "24", "32f"]])])),
          ("nullable", .bool(true)), ("description", .string("Sample format; 32f (float) is WAV only.")),
        ])
      ),
    ]
    let summary = object(
      ["id": string, "name": string, "version": integer, "created_at": time, "updated_at": time, "size": integer],
      required: ["id", "name", "version", "created_at", "updated_at", "size"])
    return .object([
      ("Diagnostic", diagnostic),
      (
        "Error",
        object(
          ["success": obj(["type": "boolean", "enum": [false]]), "error": string, "code": string, "diagnostics": array(ref: "Diagnostic")],
          required: ["success", "error", "code"])
      ),
      (
        "ParseResult",
        object(
          [
            "success": obj(["type": "boolean"]), "pattern": obj(["type": "object", "nullable": true]),
            "error": obj(["type": "string", "nullable": true]), "diagnostics": array(ref: "Diagnostic"),
          ], required: ["success", "pattern", "error"])
      ),
      ("SourceRequest", object(["pattern_code": code], required: ["pattern_code"])),
      ("SaveRequest", object(["name": name, "pattern_code": code], required: ["name", "pattern_code"])),
      (
        "UpdateRequest",
        object(
          ["name": .object(nullableName), "pattern_code": code, "base_version": obj(["type": "integer", "nullable": true, "minimum": 1, "maximum": maxVersionNumber, "description": "The version this edit started from; 409 when it is not the latest."])],
          required: ["pattern_code"])
      ),
      ("SourceSelection", selection(source, [])),
      ("ExportRequest", selection(source, audioSettings)),
      (
        "Pattern",
        object(
          ["id": string, "name": string, "pattern_code": string, "version": integer, "created_at": time, "updated_at": time],
          required: ["id", "name", "pattern_code", "version", "created_at", "updated_at"])
      ),
      ("PatternSummary", summary),
      (
        "PatternList",
        object(
          ["patterns": array(ref: "PatternSummary"), "total": integer, "limit": integer, "offset": integer, "next_offset": obj(["type": "integer", "nullable": true])],
          required: ["patterns", "total", "limit", "offset", "next_offset"])
      ),
      ("VersionList", object(["id": string, "versions": array(ref: "PatternSummary")], required: ["id", "versions"])),
      (
        "Health",
        object(
          [
            "status": obj(["type": "string", "enum": ["ok", "unavailable"]]), "version": string,
            "database": obj(["type": "string", "enum": ["ok", "unavailable"]]),
            "renders": object(["active": integer, "queued": integer, "max_active": integer, "max_queued": integer], required: ["active", "queued", "max_active", "max_queued"]),
          ], required: ["status", "version", "database", "renders"])
      ),
      ("Instruments", .object([("type", .string("object")), ("additionalProperties", array(of: string))])),
    ])
  }

  private static let responses: JSONValue = .object([
    ("BadRequest", errorResponse("Malformed JSON, a missing field or a bad value")),
    ("NotFound", errorResponse("No such pattern or version")),
    ("Conflict", errorResponse("base_version is not the latest version")),
    ("TooLarge", errorResponse("The body (or pattern_code) is over the limit")),
    ("InvalidPattern", errorResponse("The pattern has errors (all of them in diagnostics)")),
    ("TooMany", errorResponse("Too many requests of this kind at once", retry: true)),
    ("Busy", errorResponse("Waited too long for a slot, or took too long", retry: true)),
  ])

  // MARK: Builders

  private static func obj(_ fields: KeyValuePairs<String, Any>) -> JSONValue {
    .object(fields.map { ($0.key, value($0.value)) })
  }

  private static func value(_ any: Any) -> JSONValue {
    switch any {
    case let v as JSONValue: return v
    case let s as String: return .string(s)
    case let b as Bool: return .bool(b)
    case let i as Int: return .integer(Int64(i))
    case let a as [Any]: return .array(a.map(value))
    default: return .null
    }
  }

  private static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String]) -> JSONValue {
    var fields: [(String, JSONValue)] = [("type", .string("object")), ("properties", .object(properties.map { ($0.key, $0.value) }))]
    if !required.isEmpty { fields.append(("required", .array(required.map(JSONValue.string)))) }
    return .object(fields)
  }

  /// Exactly one of `pattern_code` or `id`, plus `settings`.
  private static func selection(_ source: [(String, JSONValue)], _ settings: [(String, JSONValue)]) -> JSONValue {
    .object([
      ("type", .string("object")), ("properties", .object(source + settings)),
      ("oneOf", .array([obj(["required": ["pattern_code"]]), obj(["required": ["id"]])])),
      ("description", .string("Exactly one of pattern_code or id.")),
    ])
  }

  private static func array(ref name: String) -> JSONValue { array(of: schemaRef(name)) }
  private static func array(of items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }
  private static func schemaRef(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
  private static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/responses/\(name)"))]) }
  private static let binary: JSONValue = .object([("schema", obj(["type": "string", "format": "binary"]))])

  private static func header(_ description: String, type: String = "string") -> JSONValue {
    .object([("description", .string(description)), ("schema", obj(["type": type]))])
  }

  private static func parameter(_ name: String, in location: String, schema: JSONValue, _ description: String) -> JSONValue {
    .object([
      ("name", .string(name)), ("in", .string(location)), ("required", .bool(location == "path")),
      ("description", .string(description)), ("schema", schema),
    ])
  }

  private static func body(_ schema: String) -> [String: JSONValue] {
    ["requestBody": .object([("required", .bool(true)), ("content", .object([("application/json", .object([("schema", schemaRef(schema))]))]))])]
  }

  private static func json(_ schema: String?, _ description: String, free: Bool = false, headers: [String: JSONValue] = [:]) -> JSONValue {
    var fields: [(String, JSONValue)] = [("description", .string(description))]
    if !headers.isEmpty { fields.append(("headers", .object(headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))) }
    let schemaValue = schema.map(schemaRef) ?? obj(["type": "object"])
    fields.append(("content", .object([("application/json", .object([("schema", schemaValue)]))])))
    return .object(fields)
  }

  private static func errorResponse(_ description: String, retry: Bool = false) -> JSONValue {
    var fields: [(String, JSONValue)] = [("description", .string(description))]
    if retry { fields.append(("headers", .object([("Retry-After", header("Seconds to wait before trying again", type: "integer"))]))) }
    fields.append(("content", .object([("application/json", .object([("schema", schemaRef("Error"))]))])))
    return .object(fields)
  }

  /// An operation: id, summary, extra fields (parameters, requestBody) and responses (sorted by status).
  private static func op(_ id: String, _ summary: String, _ extra: [String: JSONValue], _ responses: [String: JSONValue]) -> JSONValue {
    var fields: [(String, JSONValue)] = [("operationId", .string(id)), ("summary", .string(summary))]
    fields += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    fields.append(("responses", .object(responses.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
    return .object(fields)
  }
}

extension JSONValue {
  /// The fields of an object (empty for anything else).
  var fields: [(String, JSONValue)] {
    if case .object(let f) = self { return f }
    return []
  }
}
