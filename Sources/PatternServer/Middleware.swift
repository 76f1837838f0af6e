import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
  static let requestID = HTTPField.Name("X-Request-Id")!
  static let pcmHash = HTTPField.Name("X-PCM-Hash")!
  static let renderFrames = HTTPField.Name("X-Render-Frames")!
  static let renderSeconds = HTTPField.Name("X-Render-Seconds")!
  static let renderTime = HTTPField.Name("X-Render-Time")!
  static let midiWarnings = HTTPField.Name("X-MIDI-Warnings")!
}

/// Gives every request an id — the client's `X-Request-Id` if it is short and plain (logged as `request_id`),
/// else Hummingbird's own `hb.request.id` — returns it in `X-Request-Id`, and logs one line per request with
/// status and duration.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var context = context
    let id: String
    if let given = request.headers[.requestID].flatMap(Self.acceptable) {
      id = given
      context.logger[metadataKey: "request_id"] = "\(id)"
    } else {
      id = context.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? PatternID.make()
    }
    let clock = ContinuousClock()
    let start = clock.now
    // ErrorMiddleware (inside this one) turns every error into a response.
    var response = try await next(request, context)
    response.headers[.requestID] = id
    let elapsed = (clock.now - start).components
    let ms = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
    context.logger.info(
      "\(request.method) \(Self.redacted(request.uri.path)) \(response.status.code)",
      metadata: ["status": "\(response.status.code)", "ms": "\(String(format: "%.1f", ms))"])
    return response
  }

  /// A path with share-link tokens replaced by `…` (a token in a log is a working capability).
  static func redacted(_ path: String) -> String {
    var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    for i in parts.indices.dropFirst() where parts[i - 1] == "shared" || parts[i - 1] == "share" {
      if !parts[i].isEmpty { parts[i] = "…" }
    }
    return parts.joined(separator: "/")
  }

  private static func acceptable(_ value: String) -> String? {
    value.count <= 64 && value.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) && !value.isEmpty ? value : nil
  }
}

/// Turns every error into a JSON response with the right status: the API's own errors as they are, Hummingbird's
/// (unknown route, body too large) with a JSON body, anything else a 500 that says nothing of the internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  /// To answer a known path with the wrong method 405 instead of 404.
  let routes: RouteTable

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as APIError {
      return try error.response(from: request, context: context)
    } catch let error as HTTPError {
      return try translate(error, request: request).response(from: request, context: context)
    } catch is CancellationError {
      return try APIError(
        status: .serviceUnavailable, code: "timeout", message: "the request took too long", headers: [.retryAfter: "5"]
      ).response(from: request, context: context)
    } catch {
      context.logger.error("internal error", metadata: ["error": "\(error)"])
      return try APIError(status: .internalServerError, code: "internal", message: "internal server error")
        .response(from: request, context: context)
    }
  }

  private func translate(_ error: HTTPError, request: Request) -> APIError {
    switch error.status {
    case .notFound:
      let path = Substring(request.uri.path)
      if let allow = routes.allowHeader(for: path), !routes.methods(for: path).contains(request.method) {
        return APIError(
          status: .methodNotAllowed, code: "method_not_allowed",
          message: "\(request.method) is not allowed on \(path) (allowed: \(allow))", headers: [.allow: allow])
      }
      return .notFound("no such endpoint: \(request.method) \(request.uri.path)")
    case .contentTooLarge:
      return .tooLarge("the request body is too large")
    default:
      return APIError(
        status: error.status, code: error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
        message: error.body ?? error.status.reasonPhrase)
    }
  }
}
