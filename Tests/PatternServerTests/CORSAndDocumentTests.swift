import Foundation
import HTTPTypes
import PatternLanguage
import Testing

@testable import PatternServer

/// Cross-origin rules and the OpenAPI document's agreement with the routes.
@Suite("Server CORS and OpenAPI document") struct CORSAndDocumentTests {
  @Test("CORS: only the server's own and listed origins, preflights, error responses too", arguments: Mode.allCases)
  func onlyListedOriginsGetCORSHeaders(_ mode: Mode) async throws {
    try await withServer(mode, { $0.corsOrigins = ["http://localhost:5173"] }) { client, server in
      let listed = try await client.call(.get, "/api/health", headers: [.origin: "http://localhost:5173"])
      #expect(listed.headers[.accessControlAllowOrigin] == "http://localhost:5173")
      #expect(listed.headers[.accessControlExposeHeaders]?.contains("X-PCM-Hash") == true)
      #expect(listed.headers[.vary] == "Origin")
      let own = try await client.call(.get, "/api/health", headers: [.origin: server.configuration.ownOrigins[0]])
      #expect(own.headers[.accessControlAllowOrigin] == server.configuration.ownOrigins[0])
      let other = try await client.call(.get, "/api/health", headers: [.origin: "https://evil.example"])
      #expect(other.status == .ok)
      #expect(other.headers[.accessControlAllowOrigin] == nil)

      let preflight = try await client.call(
        .options, "/api/render",
        headers: [.origin: "http://localhost:5173", .accessControlRequestMethod: "POST"])
      #expect(preflight.status == .noContent)
      #expect(preflight.headers[.accessControlAllowMethods] == "POST, OPTIONS")
      #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Content-Type") == true)
      let refused = try await client.call(
        .options, "/api/render", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
      #expect(refused.headers[.accessControlAllowOrigin] == nil)
      // Error responses carry the headers too, so a browser can read the JSON error.
      let error = try await client.call(.post, "/api/parse", body: "{", headers: [.origin: "http://localhost:5173"])
      #expect(error.status == .badRequest)
      #expect(error.headers[.accessControlAllowOrigin] == "http://localhost:5173")
    }
  }

  @Test("CORS: --cors-origin '*' allows every origin", arguments: Mode.allCases)
  func aStarAllowsEveryOrigin(_ mode: Mode) async throws {
    try await withServer(mode, { $0.corsOrigins = ["*"] }) { client, _ in
      let reply = try await client.call(.get, "/api/instruments", headers: [.origin: "https://anywhere.example"])
      #expect(reply.headers[.accessControlAllowOrigin] == "*")
    }
  }

  @Test("the OpenAPI document describes every route and only them, with the server's limits")
  func theDocumentDescribesEveryRouteAndOnlyThem() throws {
    let server = try StudioServer(configuration: testConfiguration())
    let data = Data(OpenAPIDocument.make(server.configuration).serialized().utf8)
    let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let paths = try #require(doc["paths"] as? [String: [String: Any]])
    var documented = Set<String>()
    for (path, item) in paths {
      for method in ["get", "post", "put", "delete"] where item[method] != nil {
        documented.insert("\(method.uppercased()) \(path)")
      }
    }
    let served = Set(server.routes.map { "\($0.method.rawValue) \($0.path)" })
    #expect(documented == served)
    // Every $ref resolves.
    let components = try #require(doc["components"] as? [String: [String: Any]])
    let text = String(decoding: data, as: UTF8.self)
    let refs = text.components(separatedBy: "\"$ref\":\"#/components/").dropFirst().map { $0.prefix { $0 != "\"" } }
    #expect(!refs.isEmpty)
    for ref in refs {
      let parts = ref.split(separator: "/")
      #expect(components[String(parts[0])]?[String(parts[1])] != nil, "\(ref)")
    }
    // The limits in the document are the server's.
    let schemas = try #require(components["schemas"])
    let save = try #require(schemas["SaveRequest"] as? [String: Any])
    let name = try #require((save["properties"] as? [String: Any])?["name"] as? [String: Any])
    #expect(name["maxLength"] as? Int == server.configuration.maxNameLength)
  }
}
