import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Testing
import WSClient

@testable import PatternServer

/// What one WebSocket client has received.
actor LiveInbox {
  private(set) var messages: [[String: Any]] = []
  func append(_ text: String) {
    if let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] {
      messages.append(object)
    }
  }
  func count(type: String) -> Int { messages.filter { $0["type"] as? String == type }.count }
  func savedVersions() -> [Int] {
    messages.filter { $0["type"] as? String == "saved" }.compactMap { $0["version"] as? Int }
  }
  func percents() -> [Int] {
    messages.filter { $0["type"] as? String == "progress" }.compactMap { $0["percent"] as? Int }
  }
}

/// `GET /api/live`: saves and render progress pushed over WebSocket to everyone with the pattern open.
@Suite("Server live updates (WebSocket)") struct LiveUpdateTests {
  /// Listens on `path` until a `progress` message with 100 % arrives (or the server closes).
  static func listen(port: Int, path: String, headers: HTTPFields = [:], into inbox: LiveInbox) async throws {
    var configuration = WebSocketClientConfiguration()
    configuration.additionalHeaders = headers
    try await WebSocketClient.connect(
      url: "ws://127.0.0.1:\(port)\(path)", configuration: configuration,
      logger: Logger(label: "ws", factory: { _ in SwiftLogNoOpLogHandler() })
    ) { inbound, _, _ in
      // Returning closes the socket.
      for try await message in inbound.messages(maxSize: 1 << 16) {
        guard case .text(let text) = message else { continue }
        await inbox.append(text)
        if text.contains("\"percent\":100") { break }
      }
    }
  }

  static func waitFor(_ what: String, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !(await condition()) {
      guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  @Test("two clients on one pattern see each other's saves; a render's progress arrives in order, ending at 100 %")
  func twoClientsSeeSavesAndProgress() async throws {
    try await withServer(.live, { $0.auth = true }) { client, server in
      let port = try #require(client.port)
      let owner = try await server.makeUser("lena")
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "live", "pattern_code": twoNotes], headers: owner.bearer)
          .json["id"] as? String)
      let share = try #require(
        try await client.call(.post, "/api/patterns/\(id)/share", headers: owner.bearer).json["token"] as? String)
      // One tab of the owner (token) and one of someone with the share link (no account).
      let (first, second) = (LiveInbox(), LiveInbox())
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          try await Self.listen(port: port, path: "/api/live?id=\(id)", headers: owner.bearer, into: first)
        }
        group.addTask { try await Self.listen(port: port, path: "/api/live?id=\(id)&share=\(share)", into: second) }
        try await Self.waitFor("both sockets ready") {
          let (a, b) = (await first.count(type: "ready"), await second.count(type: "ready"))
          return a == 1 && b == 1
        }
        #expect(server.live.listenerCount(id) == 2)
        for version in 2...3 {
          let put = try await client.send(
            .put, "/api/patterns/\(id)", ["pattern_code": twoNotes + "// v\(version)\n"], headers: owner.bearer)
          #expect(put.status == .ok)
          try await Self.waitFor("saved v\(version)") {
            let (a, b) = (await first.savedVersions().last, await second.savedVersions().last)
            return a == version && b == version
          }
        }
        #expect(await first.savedVersions().elementsEqual([2, 3]))
        #expect(await second.savedVersions().elementsEqual([2, 3]))
        let rendered = try await client.send(.post, "/api/render", ["id": id], headers: owner.bearer)
        #expect(rendered.status == .ok)
        try await group.waitForAll()
      }
      for inbox in [first, second] {
        let percents = await inbox.percents()
        #expect(percents.count >= 2, "\(percents)")
        #expect(percents.last == 100)
        #expect(zip(percents, percents.dropFirst()).allSatisfy { $0 < $1 }, "\(percents)")
      }
      try await Self.waitFor("listeners gone") { server.live.listenerCount(id) == 0 }
    }
  }

  @Test("the socket is refused without access: anonymous, another user's pattern, a revoked link; plain GET is 426")
  func socketsNeedAccess() async throws {
    try await withServer(.live, { $0.auth = true }) { client, server in
      let port = try #require(client.port)
      let (owner, other) = (try await server.makeUser("mia"), try await server.makeUser("max"))
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "p", "pattern_code": twoNotes], headers: owner.bearer)
          .json["id"] as? String)
      for (path, headers) in [
        ("/api/live?id=\(id)", HTTPFields()), ("/api/live?id=\(id)", other.bearer),
        ("/api/live?id=\(id)&share=" + String(repeating: "A", count: 44), HTTPFields()),
      ] {
        let inbox = LiveInbox()
        await #expect(throws: (any Error).self, "\(path)") {
          try await Self.listen(port: port, path: path, headers: headers, into: inbox)
        }
        #expect(await inbox.count(type: "ready") == 0)
      }
      // With the session cookie, only pages of this server may listen (the browser test opens one).
      let login = try await client.send(.post, "/api/login", ["name": "mia", "password": owner.password])
      let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
      let foreign = LiveInbox()
      await #expect(throws: (any Error).self) {
        try await Self.listen(
          port: port, path: "/api/live?id=\(id)", headers: [.cookie: cookie, .origin: "https://evil.example"],
          into: foreign)
      }
      let plain = try await client.call(.get, "/api/live?id=\(id)", headers: owner.bearer)
      #expect(plain.status == .upgradeRequired && plain.code == "upgrade_required")
    }
  }

  @Test("an open socket closes when its share link is revoked: it hears no later save")
  func revokedLinkClosesTheSocket() async throws {
    try await withServer(.live, { $0.auth = true }) { client, server in
      let port = try #require(client.port)
      let owner = try await server.makeUser("nora")
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "p", "pattern_code": twoNotes], headers: owner.bearer)
          .json["id"] as? String)
      let share = try #require(
        try await client.call(.post, "/api/patterns/\(id)/share", headers: owner.bearer).json["token"] as? String)
      let inbox = LiveInbox()
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await Self.listen(port: port, path: "/api/live?id=\(id)&share=\(share)", into: inbox) }
        try await Self.waitFor("ready") { await inbox.count(type: "ready") == 1 }
        let revoked = try await client.call(.delete, "/api/patterns/\(id)/share/\(share)", headers: owner.bearer)
        #expect(revoked.status == .noContent || revoked.status == .ok, "\(revoked.status)")
        let put = try await client.send(
          .put, "/api/patterns/\(id)", ["pattern_code": twoNotes + "// v2\n"], headers: owner.bearer)
        #expect(put.status == .ok)
        // The server closes the socket instead of sending the save: the listener returns.
        try await group.waitForAll()
      }
      #expect(await inbox.savedVersions().isEmpty)
      try await Self.waitFor("listener gone") { server.live.listenerCount(id) == 0 }
    }
  }
}
