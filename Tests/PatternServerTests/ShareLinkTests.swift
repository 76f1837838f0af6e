import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import PatternServer

/// Share links under `serve --auth`: read-only capabilities, revocable, and what a signed-in visitor gains.
@Suite("Server share links") struct ShareLinkTests {
  @Test(
    "a share link loads and renders without an account, cannot write, and stops once revoked", arguments: Mode.allCases)
  func shareLinksReadAndRenderUntilRevoked(_ mode: Mode) async throws {
    try await withServer(mode, { $0.auth = true }) { client, server in
      let owner = try await server.makeUser("olga")
      let other = try await server.makeUser("otto")
      let id =
        try await client.send(
          .post, "/api/save", ["name": "shared song", "pattern_code": twoNotes], headers: owner.bearer
        )
        .json["id"] as? String ?? ""
      let minted = try await client.call(.post, "/api/patterns/\(id)/share", headers: owner.bearer)
      #expect(minted.status == .created)
      let token = try #require(minted.json["token"] as? String)
      #expect(minted.json["url"] as? String == "/?share=\(token)")

      let opened = try await client.call(.get, "/api/shared/\(token)")
      #expect(opened.status == .ok)
      #expect(opened.json["pattern_code"] as? String == twoNotes && opened.json["name"] as? String == "shared song")
      let rendered = try await client.send(.post, "/api/render", ["share": token])
      #expect(rendered.status == .ok && rendered.headers[.contentType] == "audio/wav", "\(rendered.text.prefix(200))")
      #expect(rendered.headers[.pcmHash]?.contains("sha256:") == true)

      // The link is not a credential: it cannot write, list or delete.
      let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
      #expect(
        try await client.call(.put, "/api/patterns/\(id)", body: #"{"pattern_code": "x"}"#, headers: bearer).status
          == .unauthorized)
      #expect(try await client.call(.delete, "/api/patterns/\(id)", headers: bearer).status == .unauthorized)
      #expect(
        try await client.call(.post, "/api/save", body: #"{"name": "n", "pattern_code": "x"}"#, headers: bearer).status
          == .unauthorized)
      #expect(try await client.call(.delete, "/api/shared/\(token)").status == .methodNotAllowed)
      #expect(try await client.call(.put, "/api/shared/\(token)", body: "{}").status == .methodNotAllowed)
      // Only the owner revokes.
      #expect(
        try await client.call(.delete, "/api/patterns/\(id)/share/\(token)", headers: other.bearer).status == .notFound)
      #expect(
        try await client.call(.delete, "/api/patterns/\(id)/share/\(token)", headers: owner.bearer).status == .noContent
      )

      #expect(try await client.call(.get, "/api/shared/\(token)").status == .notFound)
      #expect(try await client.send(.post, "/api/render", ["share": token]).status == .notFound)
      #expect(
        try await client.call(.delete, "/api/patterns/\(id)/share/\(token)", headers: owner.bearer).status == .notFound)
      // A forged link with the right id and a wrong secret opens nothing.
      let second = try #require(
        try await client.call(.post, "/api/patterns/\(id)/share", headers: owner.bearer).json["token"] as? String)
      let forged = second.prefix(PatternID.length) + String(repeating: "A", count: PatternID.length)
      #expect(try await client.call(.get, "/api/shared/\(forged)").status == .notFound)
      #expect(try await client.call(.get, "/api/shared/\(second)").status == .ok)
      #expect(try await client.send(.post, "/api/render", ["share": second, "id": id]).status == .badRequest)
    }
  }
  @Test(
    "a signed-in user who opens a share link may read it by id and lists it, never change it; revoking ends that",
    arguments: Mode.allCases)
  func openedShareLinksAreListedReadOnly(_ mode: Mode) async throws {
    try await withServer(mode, { $0.auth = true }) { client, server in
      let (owner, friend) = (try await server.makeUser("pia"), try await server.makeUser("paul"))
      let id = try #require(
        try await client.send(.post, "/api/save", ["name": "duet", "pattern_code": twoNotes], headers: owner.bearer)
          .json["id"] as? String)
      let token = try #require(
        try await client.call(.post, "/api/patterns/\(id)/share", headers: owner.bearer).json["token"] as? String)
      #expect(try await client.call(.get, "/api/patterns/\(id)", headers: friend.bearer).status == .notFound)
      #expect(try await client.call(.get, "/api/shared/\(token)", headers: friend.bearer).status == .ok)
      let list = try await client.call(.get, "/api/patterns", headers: friend.bearer)
      let entries = list.json["patterns"] as? [[String: Any]] ?? []
      #expect(list.json["total"] as? Int == 1 && entries.first?["id"] as? String == id)
      #expect(entries.first?["shared"] as? Bool == true)
      let own = try await client.call(.get, "/api/patterns", headers: owner.bearer).json["patterns"] as? [[String: Any]]
      #expect(own?.first?["shared"] as? Bool == false)
      #expect(try await client.call(.get, "/api/patterns/\(id)", headers: friend.bearer).status == .ok)
      // The pattern as it is now, not its history: earlier versions are the owner's only.
      #expect(try await client.call(.get, "/api/patterns/\(id)/versions", headers: friend.bearer).status == .notFound)
      let v2 = try await client.send(
        .put, "/api/patterns/\(id)", ["pattern_code": twoNotes + "// v2\n"], headers: owner.bearer)
      #expect(v2.status == .ok)
      #expect(try await client.call(.get, "/api/patterns/\(id)/versions/1", headers: friend.bearer).status == .notFound)
      #expect(try await client.call(.get, "/api/patterns/\(id)/versions/1", headers: owner.bearer).status == .ok)
      #expect(try await client.call(.get, "/api/patterns/\(id)/versions", headers: owner.bearer).status == .ok)
      #expect(try await client.send(.post, "/api/render", ["id": id], headers: friend.bearer).status == .ok)
      // Reading is all: every write still answers 404.
      let writes: [(HTTPRequest.Method, String, String?)] = [
        (.put, "/api/patterns/\(id)", #"{"pattern_code": "x"}"#), (.delete, "/api/patterns/\(id)", nil),
        (.post, "/api/patterns/\(id)/share", nil), (.delete, "/api/patterns/\(id)/share/\(token)", nil),
      ]
      for (method, uri, body) in writes {
        #expect(try await client.call(method, uri, body: body, headers: friend.bearer).status == .notFound, "\(uri)")
      }
      let revoked = try await client.call(.delete, "/api/patterns/\(id)/share/\(token)", headers: owner.bearer)
      #expect(revoked.status == .noContent)
      #expect(try await client.call(.get, "/api/patterns/\(id)", headers: friend.bearer).status == .notFound)
      #expect(try await client.call(.get, "/api/patterns", headers: friend.bearer).json["total"] as? Int == 0)
    }
  }
}
