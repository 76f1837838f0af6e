import HTTPTypes

/// The API's paths and methods (OpenAPI template syntax), so `Allow` headers, 405s and preflights say exactly
/// what each resource supports.
struct RouteTable: Sendable {
  let entries: [(method: HTTPRequest.Method, path: String)]

  /// Methods served on `path` (empty: no such resource).
  func methods(for path: Substring) -> [HTTPRequest.Method] {
    entries.filter { Self.matches($0.path, path) }.map(\.method)
  }

  /// `GET, PUT, DELETE, OPTIONS` for a resource; nil when there is none at `path`.
  func allowHeader(for path: Substring) -> String? {
    let methods = methods(for: path)
    return methods.isEmpty ? nil : (methods.map(\.rawValue) + ["OPTIONS"]).joined(separator: ", ")
  }

  /// `/api/load/{id}` matches `/api/load/abc` (one segment per parameter).
  static func matches(_ template: String, _ path: Substring) -> Bool {
    let t = template.split(separator: "/", omittingEmptySubsequences: false)
    let p = path.split(separator: "/", omittingEmptySubsequences: false)
    return t.count == p.count && zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
  }
}
