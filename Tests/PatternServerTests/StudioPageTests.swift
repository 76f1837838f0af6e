import Foundation
import HTTPTypes
import Hummingbird
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@testable import PatternServer

/// The studio page `pstudio serve` answers at `/` (the browser itself drives it in Tests/Browser), and the
/// endpoint its piano roll draws from.
@Suite("Studio page") struct StudioPageTests {
  @Test("GET / is the page, with a strict CSP and every id the tests and users drive")
  func pageAndPolicy() async throws {
    try await withServer(.router) { client, _ in
      let reply = try await client.call(.get, "/")
      #expect(reply.status == .ok)
      #expect(reply.headers[.contentType] == "text/html; charset=utf-8")
      let policy = reply.headers[.contentSecurityPolicy] ?? ""
      for directive in [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "media-src 'self' blob:",
        "connect-src 'self'", "frame-ancestors 'none'",
      ] {
        #expect(policy.contains(directive), "\(policy)")
      }
      #expect(!policy.contains("unsafe"))
      #expect(reply.headers[.xContentTypeOptions] == "nosniff")
      for id in ["editor", "render", "save", "status", "player", "waveform", "roll", "diagnostics", "instruments"] {
        #expect(reply.text.contains("id=\"\(id)\""), "#\(id) is missing")
      }
      // No inline script, handler or style (the CSP would block them), nothing from another origin.
      #expect(Self.count(#"<script(?![^>]*\ssrc=)[^>]*>"#, reply.text) == 0)
      #expect(Self.count(#"<script"#, reply.text) == 1)
      #expect(Self.count(#"\son[a-z]+\s*="#, reply.text) == 0)
      #expect(!reply.text.contains("<style") && !reply.text.contains(" style="))
      for script in StudioPage.scripts {
        // Styles set from scripts go through the CSSOM (allowed), never a style attribute (blocked).
        #expect(!script.text.contains("setAttribute(\"style\"") && !script.text.contains("eval("), "\(script.name)")
      }
      #expect(!reply.text.contains("src=\"http") && !reply.text.contains("href=\"http"))
      #expect(reply.text.contains("content=\"piano synth guitar sine triangle saw square noise\""))
    }
  }

  @Test("every file the page and its modules load is served, with the right type")
  func everyReferencedAssetIsServed() async throws {
    try await withServer(.router) { client, _ in
      let page = try await client.call(.get, "/").text
      var wanted = Self.matches(#"(?:src|href)="(/[^"]*)""#, in: page)
      for script in StudioPage.scripts {
        // `import … from "./x.js"` in each module.
        wanted += Self.matches(#"from "\./([a-z]+\.js)""#, in: script.text).map { "/studio/" + $0 }
      }
      #expect(
        Set(wanted).isSuperset(of: ["/studio/app.js", "/studio/studio.css", "/favicon.svg", "/studio/editor.js"]))
      for path in Set(wanted) {
        let reply = try await client.call(.get, path)
        #expect(reply.status == .ok, "\(path)")
        let type = reply.headers[.contentType] ?? ""
        let expected = path.hasSuffix(".js") ? "text/javascript" : path.hasSuffix(".css") ? "text/css" : "image/svg+xml"
        #expect(type.hasPrefix(expected), "\(path): \(type)")
        #expect(reply.headers[.contentSecurityPolicy] != nil)
      }
      #expect(try await client.call(.get, "/studio/nothing.js").status == .notFound)
    }
  }

  @Test("ETag revalidation answers 304; HEAD has the headers without the body")
  func caching() async throws {
    try await withServer(.router) { client, _ in
      let first = try await client.call(.get, "/studio/app.js")
      let tag = try #require(first.headers[.eTag])
      #expect(first.headers[.cacheControl] == "no-cache")
      let again = try await client.call(.get, "/studio/app.js", headers: [.ifNoneMatch: tag])
      #expect(again.status == .notModified)
      #expect(again.bytes.isEmpty)
      let stale = try await client.call(.get, "/studio/app.js", headers: [.ifNoneMatch: "\"other\""])
      #expect(stale.status == .ok && stale.bytes == first.bytes)
      let head = try await client.call(.head, "/")
      #expect(head.status == .ok && head.bytes.isEmpty)
      #expect(head.headers[.contentLength].flatMap(Int.init) == StudioPage.assets[0].bytes.count)
      #expect(try await client.call(.post, "/").status == .methodNotAllowed)
    }
  }

  @Test("POST /api/events is pstudio events --format json: expanded, with seconds", arguments: Mode.allCases)
  func eventsAreTheCLIListing(_ mode: Mode) async throws {
    let song = """
      tempo 120;
      let riff = { saw C3 0; saw E3 1/2; };
      melody { piano C4'maj 0 dur=2; repeat 2 every 2 { play riff at 0; } }
      rhythm { synth Kick euclid(3,8) step 1/2 at 0; }
      """
    try await withServer(mode) { client, server in
      let reply = try await client.send(.post, "/api/events", ["pattern_code": song])
      #expect(reply.status == .ok)
      let renderer = server.configuration.renderer
      let compiled = renderer.compile(SourceFile(name: "pattern", text: song))
      #expect(reply.text == renderer.eventsJSON(compiled.score).serialized() + "\n")
      let events = try #require(reply.json["events"] as? [[String: Any]])
      // A chord of three, the riff twice (four notes), three Euclidean kicks.
      #expect(events.count == 10)
      let kick = try #require(events.first { $0["note"] as? String == "Kick" && $0["startBeats"] as? Double == 1.5 })
      #expect(kick["startSeconds"] as? Double == 0.75)
      // The chord's notes last two beats: 1 s at 120 BPM.
      let chord = events.filter { $0["instrument"] as? String == "piano" }
      #expect(chord.count == 3 && chord.allSatisfy { $0["endSeconds"] as? Double == 1.0 })
      #expect(kick["line"] as? Int == 4 && kick["column"] as? Int == 10)
      #expect(kick["midi"] == nil)
      let broken = try await client.send(.post, "/api/events", ["pattern_code": "melody { pianoo C4 0; }"])
      #expect(broken.status == .unprocessableContent)
      let diagnostic = try #require((broken.json["diagnostics"] as? [[String: Any]])?.first)
      #expect(diagnostic["line"] as? Int == 1 && diagnostic["column"] as? Int == 10)
    }
  }

  @Test("POST /api/events lists at most 20,000 events and says how many there are")
  func eventsAreCapped() async throws {
    let song = "melody { repeat 120 every 50 { repeat 200 every 1/4 { sine C4 0 dur=1/8; } } }"
    try await withServer(.router) { client, _ in
      let reply = try await client.send(.post, "/api/events", ["pattern_code": song])
      #expect(reply.status == .ok)
      #expect((reply.json["events"] as? [Any])?.count == 20_000)
      #expect(reply.json["truncated"] as? Bool == true)
      #expect(reply.json["totalEvents"] as? Int == 24_000)
    }
  }

  @Test("a render says how long it took (X-Render-Time), readable across origins")
  func renderTime() async throws {
    try await withServer(.router) { client, _ in
      let reply = try await client.send(.post, "/api/render", ["pattern_code": twoNotes])
      #expect(reply.status == .ok)
      let took = try #require(reply.headers[.renderTime].flatMap(Double.init))
      #expect(took > 0 && took < 30)
      #expect(StudioCORSMiddleware<BasicRequestContext>.exposed.contains("X-Render-Time"))
    }
  }

  @Test("a save answers whether the stored code compiles, with its diagnostics", arguments: Mode.allCases)
  func saveSaysValid(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let good = try await client.send(.post, "/api/save", ["name": "Good", "pattern_code": twoNotes])
      #expect(good.status == .created)
      #expect(good.json["valid"] as? Bool == true && (good.json["diagnostics"] as? [Any])?.isEmpty == true)
      let id = try #require(good.json["id"] as? String)
      let bad = try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": "melody { pianoo C4 0; }"])
      #expect(bad.status == .ok && bad.json["version"] as? Int == 2)
      #expect(bad.json["valid"] as? Bool == false)
      let d = try #require((bad.json["diagnostics"] as? [[String: Any]])?.first)
      #expect(d["message"] as? String == "unknown instrument 'pianoo'" && d["column"] as? Int == 10)
    }
  }

  @Test("the song a first visit opens compiles without a warning")
  func welcomeSongCompiles() throws {
    let text = StudioPage.welcomeScript
    let start = try #require(text.range(of: "`"))
    let end = try #require(text.range(of: "`;", options: .backwards))
    let song = String(text[start.upperBound..<end.lowerBound])
    #expect(song.contains("Ctrl+Enter"))
    let compiled = testConfiguration().renderer.check(SourceFile(name: "welcome", text: song))
    #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map { $0.oneLine(file: "welcome") })")
    #expect(compiled.score.events.count > 60)
  }

  static func count(_ pattern: String, _ text: String) -> Int {
    (try! NSRegularExpression(pattern: pattern)).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
  }

  static func matches(_ pattern: String, in text: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
      Range($0.range(at: 1), in: text).map { String(text[$0]) }
    }
  }
}
