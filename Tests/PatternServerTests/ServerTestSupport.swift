import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport

@testable import PatternServer

/// How a test reaches the server: Hummingbird's in-memory router, or a real server on loopback.
enum Mode: String, CaseIterable, Sendable, CustomStringConvertible {
  case router, live
  var setup: TestingSetup { self == .router ? .router : .live }
  var description: String { rawValue }
}

/// A short, valid song (two piano notes, 1.7 s).
let twoNotes = "import piano from \"grand\";\nmelody { piano C4 0; piano E4 0.5; }\n"

func testConfiguration(_ change: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
  var c = ServerConfiguration()
  c.port = 0
  c.databasePath = nil
  // Compiles and renders run in worker processes of the built pstudio, as they do under `pstudio serve`.
  c.workerExecutable = ProcessRunner.pstudioServer
  // The cheapest bcrypt: tests hash many passwords, and the cost does not change what they check.
  c.passwordCost = 4
  change(&c)
  return c
}

/// Runs `body` against a fresh server (in-memory database unless the configuration names a file).
func withServer(
  _ mode: Mode, logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
  _ change: (inout ServerConfiguration) -> Void = { _ in },
  _ body: @escaping @Sendable (any TestClientProtocol, StudioServer) async throws -> Void
) async throws {
  let server = try StudioServer(configuration: testConfiguration(change))
  try await server.application(logger: logger).test(mode.setup) { client in try await body(client, server) }
}

/// A decoded JSON response.
struct Reply: @unchecked Sendable {
  var status: HTTPResponse.Status
  var headers: HTTPFields
  var bytes: [UInt8]
  var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
  var text: String { String(decoding: bytes, as: UTF8.self) }
  /// The `error` of an error body.
  var error: String { json["error"] as? String ?? "" }
  var code: String { json["code"] as? String ?? "" }
}

extension TestClientProtocol {
  func call(
    _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]
  ) async throws -> Reply {
    var headers = headers
    if body != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
    let response = try await executeRequest(
      uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    return Reply(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
  }

  /// POST/PUT a JSON object built from `fields`.
  func send(_ method: HTTPRequest.Method, _ uri: String, _ fields: [String: Any]) async throws -> Reply {
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return try await call(method, uri, body: String(decoding: data, as: UTF8.self))
  }

  /// `send` on a connection of its own when live (one connection answers its requests in order), so it can
  /// run beside other requests.
  func sendAlone(_ method: HTTPRequest.Method, _ uri: String, _ fields: [String: Any]) async throws -> Reply {
    guard let port else { return try await send(method, uri, fields) }
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    let client = TestClient(host: "localhost", port: port)
    client.connect()
    do {
      let response = try await client.execute(
        TestClient.Request(
          uri, method: method, authority: "localhost", headers: [.contentType: "application/json"],
          body: ByteBuffer(bytes: data)))
      try await client.shutdown()
      return Reply(
        status: response.head.status, headers: response.head.headerFields,
        bytes: response.body.map { Array($0.readableBytesView) } ?? [])
    } catch {
      try? await client.shutdown()
      throw error
    }
  }

  /// Saves a pattern and returns its id.
  func save(_ name: String, _ code: String) async throws -> String {
    let reply = try await send(.post, "/api/save", ["name": name, "pattern_code": code])
    guard reply.status == .created, let id = reply.json["id"] as? String else {
      throw TestFailure("save failed: \(reply.status) \(reply.text)")
    }
    return id
  }
}
