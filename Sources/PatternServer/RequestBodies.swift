import Foundation
import Hummingbird

/// `POST /api/parse` (and the `pattern_code` of every other body).
struct SourceBody: Decodable, Sendable {
  var patternCode: String
  enum CodingKeys: String, CodingKey { case patternCode = "pattern_code" }
}

/// `POST /api/save`: a new pattern.
struct SaveBody: Decodable, Sendable {
  var name: String
  var patternCode: String
  enum CodingKeys: String, CodingKey {
    case name
    case patternCode = "pattern_code"
  }
}

/// `PUT /api/patterns/{id}`: a new version; the name stays unless given. `base_version`, when given, must be
/// the latest version (a stale editor gets 409 instead of silently overwriting someone's newer save).
struct UpdateBody: Decodable, Sendable {
  var name: String?
  var patternCode: String
  var baseVersion: Int?
  enum CodingKeys: String, CodingKey {
    case name
    case patternCode = "pattern_code"
    case baseVersion = "base_version"
  }
}

/// Largest version number a request may name (the document's `maximum`).
let maxVersionNumber = Int(Int32.max)

/// A version number from a body: 1 … `maxVersionNumber`, else 400.
func checkedVersion(_ value: Int?, field: String) throws -> Int? {
  guard let value else { return nil }
  guard (1...maxVersionNumber).contains(value) else {
    throw APIError.badRequest("'\(field)' must be an integer 1 … \(maxVersionNumber)")
  }
  return value
}

/// `POST /api/render` and `POST /api/midi`: exactly one of `pattern_code`, a saved `id` (and optional `version`)
/// or a `share` link's token.
struct ExportBody: Decodable, Sendable {
  var patternCode: String?
  var id: String?
  var share: String?
  var version: Int?
  var format: String?
  var rate: Int?
  var bits: Bits?
  enum CodingKeys: String, CodingKey {
    case patternCode = "pattern_code"
    case id, version, format, rate, bits, share
  }

  /// Optional settings may be null (= not given); the source fields may not, so "exactly one" stays exact.
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    for key in [CodingKeys.patternCode, .id, .share] where try c.contains(key) && c.decodeNil(forKey: key) {
      throw APIError.badRequest("'\(key.stringValue)' must not be null")
    }
    patternCode = try c.decodeIfPresent(String.self, forKey: .patternCode)
    id = try c.decodeIfPresent(String.self, forKey: .id)
    share = try c.decodeIfPresent(String.self, forKey: .share)
    version = try c.decodeIfPresent(Int.self, forKey: .version)
    format = try c.decodeIfPresent(String.self, forKey: .format)
    rate = try c.decodeIfPresent(Int.self, forKey: .rate)
    bits = try c.decodeIfPresent(Bits.self, forKey: .bits)
  }

  /// `16`, `24`, `"16"`, `"24"` or `"32f"`, as `pstudio render --bits`.
  struct Bits: Decodable, Sendable {
    var value: String
    init(from decoder: any Decoder) throws {
      let single = try decoder.singleValueContainer()
      if let n = try? single.decode(Int.self) {
        value = String(n)
      } else {
        value = try single.decode(String.self)
      }
    }
  }
}

extension Request {
  /// Reads the body (at most `limit` bytes: more is 413) and decodes it, turning every decoding failure into a
  /// 400 that names the field.
  func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, timeout: Duration = .seconds(10)) async throws -> T {
    if let length = headers[.contentLength].flatMap(Int.init), length > limit {
      throw APIError.tooLarge("the request body is \(length) bytes; the limit is \(limit)")
    }
    let buffer: ByteBuffer
    do {
      buffer = try await Self.collect(body, upTo: limit, within: timeout)
    } catch let error as HTTPError where error.status == .contentTooLarge {
      throw APIError.tooLarge("the request body is larger than \(limit) bytes")
    }
    guard buffer.readableBytes > 0 else {
      throw APIError.badRequest("the request body is empty; expected a JSON object")
    }
    do {
      return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    } catch let error as DecodingError {
      throw APIError.badRequest(Self.describe(error))
    }
  }

  /// The whole body, unless it takes longer than `timeout` to arrive (a client trickling bytes holds a
  /// connection and a task): then 408 and the connection closes.
  private static func collect(_ body: RequestBody, upTo limit: Int, within timeout: Duration) async throws
    -> ByteBuffer
  {
    try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
      group.addTask { try await body.collect(upTo: limit) }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let buffer = first else {
        throw APIError(
          status: .requestTimeout, code: "body_timeout",
          message: "the request body did not arrive within \(timeout.components.seconds) seconds",
          headers: [.connection: "close"])
      }
      return buffer
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
      let keys = context.codingPath + (key.map { [$0] } ?? [])
      return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing field '\(path(context, key))'"
    case .valueNotFound(_, let context):
      return "'\(path(context))' must not be null"
    case .typeMismatch(let type, let context):
      let field = path(context)
      if field == "bits" { return "'bits' must be 16, 24 or \"32f\"" }
      let expected = type == String.self ? "a string" : type == Int.self ? "an integer" : "\(type)"
      return field.isEmpty ? "the request body must be a JSON object" : "'\(field)' must be \(expected)"
    case .dataCorrupted(let context):
      let field = path(context)
      if field.isEmpty { return "malformed JSON: \(context.debugDescription)" }
      return "'\(field)': \(context.debugDescription)"
    @unknown default:
      return "malformed request body"
    }
  }
}
