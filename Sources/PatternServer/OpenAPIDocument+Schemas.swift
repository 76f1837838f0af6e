import PatternAudioIO
import PatternLanguage

/// The document's components: request and response schemas, shared error responses.
extension OpenAPIDocument {
  // MARK: Schemas

  static func schemas(_ c: ServerConfiguration) -> JSONValue {
    let string = obj(["type": "string"])
    let integer = obj(["type": "integer"])
    let number = obj(["type": "number"])
    let time = obj(["type": "string", "format": "date-time"])
    // Names: 1 … max characters, not all white space, no control characters.
    let name = obj([
      "type": "string", "minLength": 1, "maxLength": c.maxNameLength,
      "pattern":
        "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$",
    ])
    // Optional settings accept null as "not given".
    var nullableName = name.fields
    nullableName.append(("nullable", .bool(true)))
    let code = obj([
      "type": "string", "description": "Pattern source text (at most the body limit, \(c.maxBodyBytes) bytes).",
    ])
    let diagnostic = object(
      [
        "severity": obj(["type": "string", "enum": ["error", "warning", "note"]]), "message": string, "file": string,
        "line": integer, "column": integer, "endLine": integer, "endColumn": integer,
        "hint": obj(["type": "string", "nullable": true]),
        "notes": .object([
          ("type", .string("array")),
          (
            "items",
            object(["message": string, "line": integer, "column": integer], required: ["message", "line", "column"])
          ),
        ]),
      ], required: ["severity", "message", "file", "line", "column", "endLine", "endColumn", "hint", "notes"])
    // A render or MIDI export names its source: exactly one of pattern_code, a saved id (at a version) or a share
    // link's token.
    let source: [(String, JSONValue)] = [
      ("pattern_code", code), ("id", obj(["type": "string", "description": "A saved pattern's id."])),
      ("share", obj(["type": "string", "description": "A share link's token (no account needed)."])),
      (
        "version",
        obj([
          "type": "integer", "nullable": true, "minimum": 1, "maximum": maxVersionNumber,
          "description": "With id: that version (default the latest).",
        ])
      ),
    ]
    let audioSettings: [(String, JSONValue)] = [
      ("format", obj(["type": "string", "nullable": true, "enum": ["wav", "flac"], "default": "wav"])),
      ("rate", obj(["type": "integer", "nullable": true, "enum": AudioFormat.supportedSampleRates, "default": 48000])),
      (
        "bits",
        .object([
          (
            "oneOf",
            .array([
              obj(["type": "integer", "enum": [16, 24]]), obj(["type": "string", "enum": ["16", "24", "32f"]]),
            ])
          ),
          ("nullable", .bool(true)), ("description", .string("Sample format; 32f (float) is WAV only.")),
        ])
      ),
    ]
    let summary = object(
      [
        "id": string, "name": string, "version": integer, "created_at": time, "updated_at": time, "size": integer,
        "shared": obj([
          "type": "boolean", "description": "Someone else's pattern, opened through a share link (read-only).",
        ]),
      ],
      required: ["id", "name", "version", "created_at", "updated_at", "size"])
    return .object([
      ("Diagnostic", diagnostic),
      (
        "Error",
        object(
          [
            "success": obj(["type": "boolean", "enum": [false]]), "error": string, "code": string,
            "diagnostics": array(ref: "Diagnostic"),
          ],
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
          [
            "name": .object(nullableName), "pattern_code": code,
            "base_version": obj([
              "type": "integer", "nullable": true, "minimum": 1, "maximum": maxVersionNumber,
              "description": "The version this edit started from; 409 when it is not the latest.",
            ]),
          ],
          required: ["pattern_code"])
      ),
      ("SourceSelection", selection(source, [])),
      ("ExportRequest", selection(source, audioSettings)),
      (
        "Pattern",
        object(
          [
            "id": string, "name": string, "pattern_code": string, "version": integer, "created_at": time,
            "updated_at": time,
          ],
          required: ["id", "name", "pattern_code", "version", "created_at", "updated_at"])
      ),
      (
        "SavedPattern",
        object(
          [
            "id": string, "name": string, "pattern_code": string, "version": integer, "created_at": time,
            "updated_at": time,
            "valid": obj([
              "type": "boolean", "nullable": true,
              "description": "Whether the stored code compiles (null when the server was too busy to check).",
            ]),
            "diagnostics": array(ref: "Diagnostic"),
          ],
          required: ["id", "name", "pattern_code", "version", "created_at", "updated_at", "valid", "diagnostics"])
      ),
      ("PatternSummary", summary),
      (
        "PatternList",
        object(
          [
            "patterns": array(ref: "PatternSummary"), "total": integer, "limit": integer, "offset": integer,
            "next_offset": obj(["type": "integer", "nullable": true]),
          ],
          required: ["patterns", "total", "limit", "offset", "next_offset"])
      ),
      ("VersionList", object(["id": string, "versions": array(ref: "PatternSummary")], required: ["id", "versions"])),
      (
        "Health",
        object(
          [
            "status": obj(["type": "string", "enum": ["ok", "unavailable"]]), "version": string,
            "database": obj(["type": "string", "enum": ["ok", "unavailable"]]),
            "renders": object(
              ["active": integer, "queued": integer, "max_active": integer, "max_queued": integer],
              required: ["active", "queued", "max_active", "max_queued"]),
          ], required: ["status", "version", "database", "renders"])
      ),
      (
        "Events",
        object(
          [
            "meter": string, "seed": integer, "tempo": obj(["type": "array"]), "tracks": obj(["type": "array"]),
            "sections": obj(["type": "array"]), "events": array(ref: "Event"),
            "meterChanges": obj(["type": "array", "description": "Each meter and the beat and bar it starts at."]),
            "truncated": obj(["type": "boolean", "description": "Only the first 20,000 events are listed."]),
            "totalEvents": integer,
          ], required: ["meter", "seed", "tempo", "tracks", "sections", "events"])
      ),
      (
        "Event",
        object(
          [
            "start": string, "startBeats": number, "duration": string, "track": string, "instrument": string,
            "note": string, "midi": integer, "velocity": number, "pan": number, "gainDb": number, "line": integer,
            "column": integer, "startSeconds": number, "endSeconds": number, "midiVelocity": integer,
            "bar": integer, "barBeat": string,
            "plays": obj(["type": "array", "description": "The play statements that placed a motif's note."]),
          ],
          required: [
            "start", "startBeats", "duration", "track", "instrument", "note", "velocity", "pan", "gainDb", "line",
            "column", "startSeconds", "endSeconds",
          ])
      ),
      ("Instruments", .object([("type", .string("object")), ("additionalProperties", array(of: string))])),
    ])
  }

  static let responses: JSONValue = .object([
    ("BadRequest", errorResponse("Malformed JSON, a missing field or a bad value")),
    ("NotFound", errorResponse("No such pattern or version")),
    ("Conflict", errorResponse("base_version is not the latest version")),
    ("TooLarge", errorResponse("The body (or pattern_code) is over the limit")),
    ("BodyTimeout", errorResponse("The request body did not arrive within 10 seconds")),
    ("WorkerCrashed", errorResponse("The request crashed the worker process that ran it (the server goes on)")),
    ("InvalidPattern", errorResponse("The pattern has errors (all of them in diagnostics)")),
    ("TooMany", errorResponse("Too many requests of this kind at once", retry: true)),
    ("Busy", errorResponse("Waited too long for a slot, or took too long", retry: true)),
    ("Unauthorized", errorResponse("No session or API token (the server runs with --auth)")),
    ("CrossSite", errorResponse("A write with the session cookie from another site (CSRF)")),
  ])
}
