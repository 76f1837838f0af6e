import Foundation
import HTTPTypes
import Hummingbird
import PatternLanguage

/// An error answered as JSON: `{"success": false, "error": "…", "code": "…"}` (plus `diagnostics` for a
/// pattern with errors). Every failure a client can cause becomes one of these; nothing else reaches a response.
struct APIError: Error, HTTPResponseError, Sendable {
  var status: HTTPResponse.Status
  /// A stable machine-readable name: `bad_request`, `not_found`, `payload_too_large`, `invalid_pattern`, …
  var code: String
  var message: String
  /// Extra fields after `error` and `code` (e.g. the parse result's diagnostics).
  var extra: [(String, JSONValue)] = []
  var headers: HTTPFields = [:]

  static func badRequest(_ message: String) -> APIError {
    APIError(status: .badRequest, code: "bad_request", message: message)
  }
  static func notFound(_ message: String) -> APIError {
    APIError(status: .notFound, code: "not_found", message: message)
  }
  static func tooLarge(_ message: String) -> APIError {
    APIError(status: .contentTooLarge, code: "payload_too_large", message: message)
  }
  static func conflict(_ message: String) -> APIError {
    APIError(status: .conflict, code: "conflict", message: message)
  }
  /// A pattern with errors: the first as `error`, all of them as `diagnostics` (the `pstudio parse` shape).
  static func invalidPattern(_ compiled: CompiledPattern) -> APIError {
    let errors = compiled.diagnostics.filter { $0.severity == .error }
    return invalidPattern(errors, diagnostics: compiled.diagnostics, file: compiled.source.name)
  }
  static func invalidPattern(_ errors: [Diagnostic], diagnostics: [Diagnostic], file: String) -> APIError {
    APIError(
      status: .unprocessableContent, code: "invalid_pattern",
      message: errors.first.map { $0.oneLine(file: file) } ?? "the pattern has errors",
      extra: [("diagnostics", .array(diagnostics.map { $0.json(file: file) }))])
  }
  /// Too many renders at once: try again after `seconds`.
  static func busy(_ status: HTTPResponse.Status, _ message: String, retryAfter seconds: Int) -> APIError {
    APIError(
      status: status, code: status == .tooManyRequests ? "too_many_renders" : "unavailable", message: message,
      headers: [.retryAfter: "\(seconds)"])
  }

  var json: JSONValue {
    .object([("success", .bool(false)), ("error", .string(message)), ("code", .string(code))] + extra)
  }

  func response(from request: Request, context: some RequestContext) throws -> Response {
    var response = Response.json(json, status: status)
    response.headers.append(contentsOf: headers)
    return response
  }
}

extension Response {
  /// A JSON response (`application/json; charset=utf-8`) with keys in the order given.
  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var buffer = ByteBuffer()
    buffer.writeString(value.serialized())
    buffer.writeString("\n")
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: buffer)
    )
  }
}
