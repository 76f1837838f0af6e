import PatternLanguage

/// Small constructors that keep the document readable.
extension OpenAPIDocument {
  // MARK: Builders

  static func obj(_ fields: KeyValuePairs<String, Any>) -> JSONValue {
    .object(fields.map { ($0.key, value($0.value)) })
  }

  static func value(_ any: Any) -> JSONValue {
    switch any {
    case let v as JSONValue: return v
    case let s as String: return .string(s)
    case let b as Bool: return .bool(b)
    case let i as Int: return .integer(Int64(i))
    case let a as [Any]: return .array(a.map(value))
    default: return .null
    }
  }

  static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String]) -> JSONValue {
    var fields: [(String, JSONValue)] = [
      ("type", .string("object")), ("properties", .object(properties.map { ($0.key, $0.value) })),
    ]
    if !required.isEmpty { fields.append(("required", .array(required.map(JSONValue.string)))) }
    return .object(fields)
  }

  /// Exactly one of `pattern_code` or `id` (`version` only with `id`), plus `settings`; FLAC is never float.
  static func selection(_ source: [(String, JSONValue)], _ settings: [(String, JSONValue)]) -> JSONValue {
    var fields: [(String, JSONValue)] = [
      ("type", .string("object")), ("properties", .object(source + settings)),
      (
        "oneOf",
        .array([
          obj([
            "required": ["pattern_code"],
            "not": obj(["required": ["version"], "properties": obj(["version": obj(["type": "integer"])])]),
          ]),
          obj(["required": ["id"], "not": obj(["required": ["share"]])]),
          obj([
            "required": ["share"],
            "not": obj(["required": ["version"], "properties": obj(["version": obj(["type": "integer"])])]),
          ]),
        ])
      ),
      ("description", .string("Exactly one of pattern_code, id or share; version goes with id.")),
    ]
    if !settings.isEmpty {
      fields.append(
        (
          "not",
          obj([
            "required": ["format", "bits"],
            "properties": obj(["format": obj(["enum": ["flac"]]), "bits": obj(["enum": ["32f"]])]),
          ])
        ))
    }
    return .object(fields)
  }

  static func array(ref name: String) -> JSONValue { array(of: schemaRef(name)) }
  static func array(of items: JSONValue) -> JSONValue {
    .object([("type", .string("array")), ("items", items)])
  }
  static func schemaRef(_ name: String) -> JSONValue {
    .object([("$ref", .string("#/components/schemas/\(name)"))])
  }
  static func ref(_ name: String) -> JSONValue {
    .object([("$ref", .string("#/components/responses/\(name)"))])
  }
  static let binary: JSONValue = .object([("schema", obj(["type": "string", "format": "binary"]))])

  static func header(_ description: String, type: String = "string") -> JSONValue {
    .object([("description", .string(description)), ("schema", obj(["type": type]))])
  }

  static func parameter(_ name: String, in location: String, schema: JSONValue, _ description: String)
    -> JSONValue
  {
    .object([
      ("name", .string(name)), ("in", .string(location)), ("required", .bool(location == "path")),
      ("description", .string(description)), ("schema", schema),
    ])
  }

  static func body(_ schema: String) -> [String: JSONValue] {
    [
      "requestBody": .object([
        ("required", .bool(true)),
        ("content", .object([("application/json", .object([("schema", schemaRef(schema))]))])),
      ])
    ]
  }

  static func json(
    _ schema: String?, _ description: String, free: Bool = false, headers: [String: JSONValue] = [:]
  ) -> JSONValue {
    var fields: [(String, JSONValue)] = [("description", .string(description))]
    if !headers.isEmpty {
      fields.append(("headers", .object(headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
    }
    let schemaValue = schema.map(schemaRef) ?? obj(["type": "object"])
    fields.append(("content", .object([("application/json", .object([("schema", schemaValue)]))])))
    return .object(fields)
  }

  static func errorResponse(_ description: String, retry: Bool = false) -> JSONValue {
    var fields: [(String, JSONValue)] = [("description", .string(description))]
    if retry {
      fields.append(
        ("headers", .object([("Retry-After", header("Seconds to wait before trying again", type: "integer"))])))
    }
    fields.append(("content", .object([("application/json", .object([("schema", schemaRef("Error"))]))])))
    return .object(fields)
  }

  /// An operation: id, summary, extra fields (parameters, requestBody) and responses (sorted by status).
  static func op(
    _ id: String, _ summary: String, _ extra: [String: JSONValue], _ responses: [String: JSONValue]
  ) -> JSONValue {
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
