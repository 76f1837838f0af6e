import Foundation
import HTTPTypes
import PatternAudioIO
import PatternLanguage
import PatternMIDI
import PatternStudio
import TestSupport
import Testing

@testable import PatternServer

/// Every endpoint's success path, in memory and on a live loopback server.
@Suite("Server endpoints") struct EndpointTests {
  @Test("POST /api/parse answers exactly what pstudio parse prints", arguments: Mode.allCases)
  func parseAnswersWhatPstudioParsePrints(_ mode: Mode) async throws {
    try await withServer(mode) { client, server in
      let reply = try await client.send(.post, "/api/parse", ["pattern_code": twoNotes])
      #expect(reply.status == .ok)
      #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
      let expected = server.configuration.renderer.compile(SourceFile(name: "pattern", text: twoNotes)).parseJSON
      #expect(reply.text == expected.serialized() + "\n")
      let notes = ((reply.json["pattern"] as? [String: Any])?["patterns"] as? [String: Any])?["melody"] as? [Any]
      #expect(notes?.count == 2)
    }
  }

  @Test("GET /api/instruments is the pstudio instruments --json object", arguments: Mode.allCases)
  func instrumentsAreTheCLIListing(_ mode: Mode) async throws {
    try await withServer(mode) { client, server in
      let reply = try await client.call(.get, "/api/instruments")
      #expect(reply.status == .ok)
      let listing = InstrumentLibrary.load(.standard(extra: server.configuration.instrumentFolders)).listingJSON
      #expect(reply.text == listing.serialized() + "\n")
      #expect((reply.json["piano"] as? [String])?.first == "C1")
      #expect((reply.json["synth"] as? [String])?.contains("Kick") == true)
    }
  }

  @Test("save, PUT new versions, load, versions, one version, delete", arguments: Mode.allCases)
  func savedPatternsKeepTheirVersions(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let saved = try await client.send(.post, "/api/save", ["name": "Sketch", "pattern_code": twoNotes])
      #expect(saved.status == .created)
      let id = try #require(saved.json["id"] as? String)
      #expect(id.count == 22)
      #expect(saved.headers[.location] == "/api/patterns/\(id)")
      #expect(saved.json["version"] as? Int == 1)
      #expect(saved.json["pattern_code"] as? String == twoNotes)

      let second = twoNotes.replacingOccurrences(of: "E4", with: "G4")
      let put = try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": second, "base_version": 1])
      #expect(put.status == .ok)
      #expect(put.json["version"] as? Int == 2)
      #expect(put.json["name"] as? String == "Sketch")
      let renamed = try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": second, "name": "Final"])
      #expect(renamed.json["version"] as? Int == 3)

      let loaded = try await client.call(.get, "/api/load/\(id)")
      #expect(loaded.status == .ok)
      #expect(loaded.json["version"] as? Int == 3)
      #expect(loaded.json["name"] as? String == "Final")
      #expect(loaded.json["pattern_code"] as? String == second)
      #expect(try await client.call(.get, "/api/patterns/\(id)").text == loaded.text)

      let first = try await client.call(.get, "/api/patterns/\(id)/versions/1")
      #expect(first.json["pattern_code"] as? String == twoNotes)
      #expect(first.json["name"] as? String == "Sketch")

      let versions = try await client.call(.get, "/api/patterns/\(id)/versions")
      let list = try #require(versions.json["versions"] as? [[String: Any]])
      #expect(list.map { $0["version"] as? Int } == [1, 2, 3])
      #expect(list.map { $0["size"] as? Int } == [twoNotes.utf8.count, second.utf8.count, second.utf8.count])
      #expect(list.allSatisfy { $0["pattern_code"] == nil })

      let deleted = try await client.call(.delete, "/api/patterns/\(id)")
      #expect(deleted.status == .noContent)
      #expect(deleted.bytes.isEmpty)
      #expect(try await client.call(.get, "/api/load/\(id)").status == .notFound)
      #expect(try await client.call(.get, "/api/patterns/\(id)/versions").status == .notFound)
    }
  }

  @Test("GET /api/patterns is paged, most recently changed first", arguments: Mode.allCases)
  func listingIsPagedNewestChangeFirst(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      var ids: [String] = []
      for n in 1...5 { ids.append(try await client.save("Song \(n)", twoNotes)) }
      // Changing the oldest moves it to the top.
      _ = try await client.send(.put, "/api/patterns/\(ids[0])", ["pattern_code": twoNotes + "// edit\n"])
      let page1 = try await client.call(.get, "/api/patterns?limit=2")
      #expect(page1.json["total"] as? Int == 5)
      #expect(page1.json["next_offset"] as? Int == 2)
      let rows1 = try #require(page1.json["patterns"] as? [[String: Any]])
      #expect(rows1.map { $0["id"] as? String } == [ids[0], ids[4]])
      #expect(rows1[0]["version"] as? Int == 2)
      let page3 = try await client.call(.get, "/api/patterns?limit=2&offset=4")
      let rows3 = try #require(page3.json["patterns"] as? [[String: Any]])
      #expect(rows3.map { $0["id"] as? String } == [ids[1]])
      #expect(page3.json["next_offset"] is NSNull)
      let all = try await client.call(.get, "/api/patterns")
      #expect(all.json["limit"] as? Int == 20)
      #expect((all.json["patterns"] as? [Any])?.count == 5)
    }
  }

  @Test("POST /api/render: WAV and FLAC bytes whose PCM hash is the header and the library's", arguments: Mode.allCases)
  func renderReturnsTheAudioAndItsPCMHash(_ mode: Mode) async throws {
    try await withServer(mode) { client, server in
      let folder = Scratch.folder()
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let renderer = server.configuration.renderer
      let compiled = renderer.compile(SourceFile(name: "pattern", text: twoNotes))
      for (format, bits, rate, type) in [("wav", "16", 48_000, "audio/wav"), ("flac", "24", 44_100, "audio/flac")] {
        let reply = try await client.send(
          .post, "/api/render", ["pattern_code": twoNotes, "format": format, "bits": bits, "rate": rate])
        #expect(reply.status == .ok)
        #expect(reply.headers[.contentType] == type)
        #expect(reply.headers[.contentDisposition] == "attachment; filename=\"pattern.\(format)\"")
        let label = try #require(reply.headers[.pcmHash])
        // The file as sent hashes to the header; the header is what the library renders in memory.
        let path = "\(folder)/out.\(format)"
        try Data(reply.bytes).write(to: URL(fileURLWithPath: path))
        #expect(try AudioHash.fingerprint(path: path).label == label)
        let hash = HashSink()
        let settings = RenderSettings(
          format: AudioFormat(
            container: AudioContainer(rawValue: format)!, encoding: .init(rawValue: bits)!, sampleRate: rate))
        let summary = try renderer.render(compiled, settings: settings, into: [hash])
        #expect(hash.fingerprint?.label == label)
        // And what `pstudio hash` prints for the same song and settings.
        let songPath = "\(folder)/song.pattern"
        try twoNotes.write(toFile: songPath, atomically: true, encoding: .utf8)
        let cli = try await ProcessRunner.run(
          ProcessRunner.pstudio, ["hash", songPath, "--bits", bits, "--rate", "\(rate)"])
        #expect(cli.stdout == label + "\n", "\(cli.stderr)")
        #expect(reply.headers[.renderFrames] == "\(summary.frames)")
        let info = try AudioFileReader.info(path: path)
        #expect(info.sampleRate == rate)
        #expect(info.frames == summary.frames)
      }
    }
  }

  @Test("render and MIDI of a saved pattern, latest and earlier versions", arguments: Mode.allCases)
  func renderAndMIDIOfASavedPatternAtAVersion(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let id = try await client.save("Two notes", twoNotes)
      let three = twoNotes.replacingOccurrences(of: "}", with: "piano G4 1; }")
      _ = try await client.send(.put, "/api/patterns/\(id)", ["pattern_code": three])
      let latest = try await client.send(.post, "/api/render", ["id": id])
      let first = try await client.send(.post, "/api/render", ["id": id, "version": 1])
      let inline = try await client.send(.post, "/api/render", ["pattern_code": twoNotes])
      #expect(latest.status == .ok && first.status == .ok)
      #expect(first.headers[.pcmHash] == inline.headers[.pcmHash])
      #expect(latest.headers[.pcmHash] != first.headers[.pcmHash])
      #expect(latest.headers[.contentDisposition] == "attachment; filename=\"Two notes.wav\"")

      let midi = try await client.send(.post, "/api/midi", ["id": id])
      #expect(midi.status == .ok)
      #expect(midi.headers[.contentType] == "audio/midi")
      #expect(midi.headers[.midiWarnings] == "0")
      let notes = MIDIReader.notes(try MIDIReader.read(midi.bytes))
      #expect(notes.map(\.key) == [60, 64, 67])
      let inlineMIDI = try await client.send(.post, "/api/midi", ["pattern_code": twoNotes])
      #expect(inlineMIDI.bytes == (try await client.send(.post, "/api/midi", ["id": id, "version": 1])).bytes)
    }
  }

  @Test("GET /api/health and GET /openapi.json", arguments: Mode.allCases)
  func healthAndTheDocument(_ mode: Mode) async throws {
    try await withServer(mode) { client, _ in
      let health = try await client.call(.get, "/api/health")
      #expect(health.status == .ok)
      #expect(health.json["status"] as? String == "ok")
      #expect((health.json["renders"] as? [String: Any])?["max_active"] as? Int == 2)
      let doc = try await client.call(.get, "/openapi.json")
      #expect(doc.status == .ok)
      #expect(doc.json["openapi"] as? String == "3.0.3")
    }
  }
}
