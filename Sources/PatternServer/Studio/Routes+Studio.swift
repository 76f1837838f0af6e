import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
  static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
  static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}

extension StudioServer {
  /// The studio page's routes: `GET /` and every asset it loads, from `StudioPage.assets`.
  var studioRoutes: [Route] {
    StudioPage.assets.flatMap { asset in
      let handler: @Sendable (Request, StudioRequestContext) async throws -> Response = { request, _ in
        Self.serve(asset, request: request)
      }
      return [
        Route(method: .get, path: asset.path, handler: handler),
        Route(method: .head, path: asset.path, handler: handler),
      ]
    }
  }

  /// An asset with the page's security headers; `If-None-Match` with its ETag answers 304.
  static func serve(_ asset: StudioAsset, request: Request) -> Response {
    var headers: HTTPFields = [
      .contentType: asset.contentType,
      .eTag: asset.etag,
      // Revalidate every load: a new pstudio binary serves a new page at once, an unchanged one costs a 304.
      .cacheControl: "no-cache",
      .contentSecurityPolicy: StudioPage.contentSecurityPolicy,
      .xContentTypeOptions: "nosniff",
      .referrerPolicy: "no-referrer",
      .crossOriginOpenerPolicy: "same-origin",
    ]
    let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
    if tags.contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0 == "*" }) {
      return Response(status: .notModified, headers: headers)
    }
    headers[.contentLength] = "\(asset.bytes.count)"
    if request.method == .head { return Response(status: .ok, headers: headers) }
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
  }
}
