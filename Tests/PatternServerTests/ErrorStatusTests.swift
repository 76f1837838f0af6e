import Foundation
import HTTPTypes
import PatternAudioIO
import Testing

@testable import PatternServer

/// Every error status the API promises, as JSON with the right code, in memory and on loopback.
@Suite("Server error statuses") struct ErrorStatusTests {
  @Test("400 for malformed JSON, missing or wrong fields and bad settings, naming the field", arguments: Mode.allCases)
  func malformedBodiesAre400(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let cases: [(String, String, String)] = [
        ("/api/parse", "{\"pattern_code\": ", "malformed JSON"),
        ("/api/parse", "[1, 2]", "the request body must be a JSON object"),
        ("/api/parse", "", "the request body is empty"),
        ("/api/parse", "{\"code\": \"x\"}", "missing field 'pattern_code'"),
        ("/api/parse", "{\"pattern_code\": 7}", "'pattern_code' must be a string"),
        ("/api/parse", "{\"pattern_code\": null}", "'pattern_code' must not be null"),
        ("/api/save", "{\"pattern_code\": \"\"}", "missing field 'name'"),
        ("/api/save", "{\"name\": \"  \", \"pattern_code\": \"\"}", "'name' must not be only white space"),
        ("/api/save", "{\"name\": \"a\\u0007b\", \"pattern_code\": \"\"}", "control characters"),
        (
          "/api/save", "{\"name\": \"\(String(repeating: "x", count: 201))\", \"pattern_code\": \"\"}",
          "longer than 200"
        ),
        ("/api/render", "{}", "missing field 'pattern_code' (or 'id'"),
        ("/api/render", "{\"pattern_code\": \"\", \"id\": \"x\"}", "either 'pattern_code' or 'id', not both"),
        ("/api/render", "{\"pattern_code\": \"\", \"version\": 2}", "'version' goes with 'id'"),
        ("/api/render", "{\"pattern_code\": \"\", \"format\": \"mp3\"}", "'format' must be \"wav\" or \"flac\""),
        ("/api/render", "{\"pattern_code\": \"\", \"rate\": 12345}", "sample rate 12345 Hz is not supported"),
        ("/api/render", "{\"pattern_code\": \"\", \"bits\": 8}", "'bits' must be 16, 24 or \"32f\""),
        ("/api/render", "{\"pattern_code\": \"\", \"bits\": [16]}", "'bits' must be 16, 24 or \"32f\""),
        (
          "/api/render", "{\"pattern_code\": \"\", \"format\": \"flac\", \"bits\": \"32f\"}",
          "FLAC stores integers only"
        ),
        ("/api/midi", "{\"id\": \"x\", \"version\": 0}", "'version' must be an integer 1"),
      ]
      for (path, body, message) in cases {
        let reply = try await client.call(.post, path, body: body)
        #expect(reply.status == .badRequest, "\(path) \(body)")
        #expect(reply.code == "bad_request")
        #expect(reply.json["success"] as? Bool == false)
        #expect(reply.error.contains(message), "\(path) \(body): \(reply.error)")
      }
      for query in ["limit=0", "limit=101", "limit=x", "offset=-1"] {
        let reply = try await client.call(.get, "/api/patterns?\(query)")
        #expect(reply.status == .badRequest, "\(query)")
      }
      let id = try await client.save("x", "")
      let stale = try await client.call(
        .put, "/api/patterns/\(id)", body: "{\"pattern_code\": \"\", \"base_version\": 0}")
      #expect(stale.status == .badRequest)
    }
  }

  @Test("404 for unknown ids, versions and routes; 405 with Allow for a wrong method", arguments: Mode.allCases)
  func unknownIdsAndRoutesAre404AndWrongMethods405(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let unknown = "AAAAAAAAAAAAAAAAAAAAAA"
      for (method, path) in [
        (HTTPRequest.Method.get, "/api/load/\(unknown)"), (.get, "/api/patterns/\(unknown)"),
        (.get, "/api/patterns/not-an-id"), (.delete, "/api/patterns/\(unknown)"),
        (.get, "/api/patterns/\(unknown)/versions"), (.get, "/api/patterns/\(unknown)/versions/1"),
        (.get, "/api/nothing-here"),
      ] {
        let reply = try await client.call(method, path)
        #expect(reply.status == .notFound, "\(method) \(path)")
        #expect(reply.code == "not_found")
      }
      #expect(
        try await client.call(.put, "/api/patterns/\(unknown)", body: "{\"pattern_code\": \"\"}").status == .notFound)
      #expect(try await client.send(.post, "/api/render", ["id": unknown]).status == .notFound)
      #expect(try await client.send(.post, "/api/midi", ["id": "../../etc/passwd"]).status == .notFound)
      let id = try await client.save("one version", "")
      let missing = try await client.call(.get, "/api/patterns/\(id)/versions/2")
      #expect(missing.status == .notFound)
      #expect(missing.error == "pattern '\(id)' has no version 2")

      let wrong = try await client.call(.delete, "/api/parse")
      #expect(wrong.status == .methodNotAllowed)
      #expect(wrong.headers[.allow] == "POST, OPTIONS")
      let options = try await client.call(.options, "/api/patterns/\(id)")
      #expect(options.status == .noContent)
      #expect(options.headers[.allow] == "GET, PUT, DELETE, OPTIONS")
    }
  }

  @Test("409 when base_version is not the latest; nothing overwritten", arguments: Mode.allCases)
  func conflictingVersionsAre409(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let id = try await client.save("draft", twoNotes)
      #expect(
        try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": "a", "base_version": 1]).status == .ok)
      let stale = try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": "b", "base_version": 1])
      #expect(stale.status == .conflict)
      #expect(stale.error == "base_version 1 is not the latest version (2)")
      #expect(try await client.call(.get, "/api/load/\(id)").json["pattern_code"] as? String == "a")
    }
  }

  @Test("413 for bodies over the limit; nothing stored", arguments: Mode.allCases)
  func oversizedBodiesAre413(_ mode: Mode) async throws {
    try await withServer(mode, { $0.maxBodyBytes = 4096 }) { client, _ in
      let big = String(repeating: "// padding\n", count: 500)
      for path in ["/api/parse", "/api/save", "/api/render", "/api/midi"] {
        let reply = try await client.send(.post, path, ["pattern_code": big, "name": "big"])
        #expect(reply.status == .contentTooLarge, "\(path)")
        #expect(reply.code == "payload_too_large")
      }
      // Nothing was stored.
      #expect(try await client.call(.get, "/api/patterns").json["total"] as? Int == 0)
    }
  }

  @Test("422 with line/column diagnostics for patterns with errors", arguments: Mode.allCases)
  func patternsWithErrorsAre422WithDiagnostics(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let bad = "import piano from \"grand\";\nmelody { pino C4 0; }\n"
      let parse = try await client.send(.post, "/api/parse", ["pattern_code": bad])
      #expect(parse.status == .unprocessableContent)
      #expect(parse.json["success"] as? Bool == false)
      #expect(parse.json["pattern"] is NSNull)
      #expect(parse.error == "pattern:2:10: error: unknown instrument 'pino'")
      let diagnostic = try #require((parse.json["diagnostics"] as? [[String: Any]])?.first)
      #expect(diagnostic["line"] as? Int == 2)
      #expect(diagnostic["column"] as? Int == 10)
      #expect(diagnostic["hint"] as? String == "did you mean 'piano'?")
      for path in ["/api/render", "/api/midi"] {
        let reply = try await client.send(.post, path, ["pattern_code": bad])
        #expect(reply.status == .unprocessableContent)
        #expect(reply.code == "invalid_pattern")
        #expect(reply.error == parse.error)
        #expect((reply.json["diagnostics"] as? [Any])?.count == 1)
      }
      // A draft with errors can be saved; rendering it by id is what fails.
      let id = try await client.save("draft", bad)
      #expect(try await client.send(.post, "/api/render", ["id": id]).status == .unprocessableContent)
    }
  }

  @Test("422 for a song longer than the render limit", arguments: Mode.allCases)
  func songsLongerThanTheRenderLimitAre422(_ mode: Mode) async throws {
    try await withServer(mode, { $0.maxRenderSeconds = 5 }) { client, _ in
      let long = "import piano from \"grand\";\ntempo 60;\nmelody { piano C4 0; piano C4 10; }\n"
      let reply = try await client.send(.post, "/api/render", ["pattern_code": long])
      #expect(reply.status == .unprocessableContent)
      #expect(reply.error.contains("longer than 5 seconds"))
      #expect(try await client.send(.post, "/api/render", ["pattern_code": twoNotes]).status == .ok)
    }
  }

  @Test("the PCM byte limit shortens the longest render at high rates")
  func theByteLimitShortensRendersAtHighRates() async throws {
    let c = testConfiguration { $0.maxRenderBytes = 1 << 20 }
    #expect(abs(c.maxSeconds(for: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000)) - 5.46) < 0.01)
    #expect(
      testConfiguration().maxSeconds(for: AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000)) == 600)
    try await withServer(.router, { $0.maxRenderBytes = 1 << 20 }) { client, _ in
      let song = "import piano from \"grand\";\ntempo 60;\nmelody { piano C4 0; piano C4 4; }\n"
      #expect(try await client.send(.post, "/api/render", ["pattern_code": song, "rate": 22_050]).status == .ok)
      let reply = try await client.send(.post, "/api/render", ["pattern_code": song, "rate": 96_000, "bits": "32f"])
      #expect(reply.status == .unprocessableContent)
      #expect(reply.error.contains("longer than 1 seconds"))
    }
  }

  @Test("429 with Retry-After when the render queue is full, 503 after a long wait", arguments: Mode.allCases)
  func aFullRenderQueueIs429AndALongWait503(_ mode: Mode) async throws {
    try await withServer(
      mode,
      {
        $0.maxConcurrentRenders = 1
        $0.maxQueuedRenders = 1
        // Long enough that a loaded machine (the whole suite runs at once on two cores) still sends the
        // second request while the first is queued.
        $0.queueTimeoutSeconds = 6
      }
    ) { client, server in
      // Hold the only render slot, so what follows is decided by the queue alone.
      let release = AsyncStream<Void>.makeStream()
      let holder = Task {
        try await server.renders.withSlot(timeout: .seconds(10)) { for await _ in release.stream { break } }
      }
      while server.renders.load.active == 0 { try await Task.sleep(for: .milliseconds(5)) }
      // One waits (and gives up after 6 s: 503); the next finds the queue full (429) at once.
      async let waiting = client.sendAlone(.post, "/api/render", ["pattern_code": twoNotes])
      while server.renders.load.queued == 0 { try await Task.sleep(for: .milliseconds(5)) }
      let refused = try await client.send(.post, "/api/render", ["pattern_code": twoNotes])
      #expect(refused.status == .tooManyRequests)
      #expect(refused.headers[.retryAfter] == "2")
      #expect(refused.code == "too_many_renders")
      let waited = try await waiting
      #expect(waited.status == .serviceUnavailable)
      #expect(waited.headers[.retryAfter] == "5")
      release.continuation.yield()
      try await holder.value
      #expect(try await client.send(.post, "/api/render", ["pattern_code": twoNotes]).status == .ok)
    }
  }

  @Test("a render over the request timeout stops: 503", arguments: Mode.allCases)
  func aRenderOverTheRequestTimeoutStopsWith503(_ mode: Mode) async throws {
    try await withServer(mode, { $0.requestTimeoutSeconds = 0.001 }) { client, server in
      let long = "import piano from \"grand\";\nmelody { piano C4 0 dur=60; }\n"
      let reply = try await client.send(.post, "/api/render", ["pattern_code": long])
      #expect(reply.status == .serviceUnavailable)
      #expect(reply.code == "timeout")
      #expect(reply.headers[.retryAfter] == "5")
    }
  }
}
