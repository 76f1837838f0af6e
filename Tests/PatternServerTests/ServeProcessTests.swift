import Foundation
import HTTPTypes
import TestSupport
import Testing

/// `pstudio serve` as a real process on loopback: durable saves under `kill -9`, graceful SIGTERM, logs.
@Suite("pstudio serve process", .serialized) struct ServeProcessTests {
  static let binary = ProcessRunner.pstudio

  /// A running server: its process, port and everything it wrote to stderr.
  final class Server: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// stderr goes to a file: a pipe nobody reads would block a chatty server.
    let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("pstudio-serve-\(UUID()).log")

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
      process.executableURL = URL(fileURLWithPath: ServeProcessTests.binary)
      process.arguments = ["serve", "--port", "0"] + arguments
      if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
      }
      let out = Pipe()
      process.standardOutput = out
      FileManager.default.createFile(atPath: errorLog.path, contents: nil)
      process.standardError = try FileHandle(forWritingTo: errorLog)
      try process.run()
      // The first stdout line: "pstudio serve: listening on http://127.0.0.1:PORT (database …)". A server that
      // prints nothing for 30 s is killed, which ends the blocking read below (the test then fails, not hangs).
      let watchdog = Watchdog(pid: process.processIdentifier, seconds: 30)
      var line = Data()
      while !line.contains(UInt8(ascii: "\n")) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      watchdog.disarm()
      let text = String(decoding: line, as: UTF8.self)
      guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber })
      else {
        if process.isRunning { process.terminate() }
        throw TestFailure("no address in: \(text)")
      }
      self.port = port
    }

    /// One request through curl (a real client, run synchronously: these tests never wait on the cooperative
    /// pool, which long CLI tests elsewhere in the suite may hold).
    func request(_ method: String, _ uri: String, body: String? = nil, headers: [String: String] = [:]) async throws
      -> Reply
    {
      var args = ["curl", "-sS", "--max-time", "120", "-X", method, "-D", "-", "http://127.0.0.1:\(port)\(uri)"]
      for (name, value) in headers { args += ["-H", "\(name): \(value)"] }
      if let body { args += ["-H", "Content-Type: application/json", "--data-binary", body] }
      let result = try await ProcessRunner.run("/usr/bin/env", args)
      guard result.status == 0 else {
        throw TestFailure(
          "curl \(method) \(uri) failed (\(result.status)): \(result.stderr) — server running: \(process.isRunning)")
      }
      // "HTTP/1.1 201 Created\r\nName: value\r\n…\r\n\r\nbody"
      let text = result.stdout
      let parts = text.components(separatedBy: "\r\n\r\n")
      let head = parts[0].components(separatedBy: "\r\n")
      let code = Int(head[0].split(separator: " ")[1]) ?? 0
      var fields = HTTPFields()
      for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
        fields.append(
          HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
      }
      return Reply(
        status: HTTPResponse.Status(code: code), headers: fields,
        bytes: Array(parts.dropFirst().joined(separator: "\r\n\r\n").utf8))
    }

    /// Sends `signal` and waits for the exit; returns the status and stderr.
    /// Starts a server off the cooperative pool (it waits for the server's first line).
    static func start(_ arguments: [String], environment: [String: String] = [:]) async throws -> Server {
      try await OffPool.run { try Server(arguments, environment: environment) }
    }

    /// `stopBlocking` off the cooperative pool.
    func stop(_ signal: Int32) async -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
      (try? await OffPool.run { self.stopBlocking(signal) }) ?? (-1, .exit, "")
    }

    func stopBlocking(_ signal: Int32) -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
      kill(process.processIdentifier, signal)
      // A server that ignores the signal fails the test (status -1) instead of holding the suite.
      let deadline = Date().addingTimeInterval(60)
      while process.isRunning && Date() < deadline { usleep(10_000) }
      let hung = process.isRunning
      if hung { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      var err = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
      if hung { err += "\n[test] still running 60 s after signal \(signal); killed" }
      try? FileManager.default.removeItem(at: errorLog)
      return (hung ? -1 : process.terminationStatus, process.terminationReason, err)
    }
  }

  @Test("/api/render encodes in memory: no file appears in TMPDIR, and the bytes re-hash to pstudio hash")
  func renderWritesNoFile() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("pstudio-nofile-\(UUID())").path
    let tmp = root + "/tmp"
    try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let server = try await Server.start(["--db", root + "/studio.sqlite"], environment: ["TMPDIR": tmp])
    let song = "tempo 120; melody { piano C4 0 dur=2; saw E4 1; } rhythm { synth Kick 0; synth HiHat 0.5; }"
    try song.write(toFile: root + "/song.pattern", atomically: true, encoding: .utf8)
    for (format, bits) in [("wav", "16"), ("flac", "24"), ("wav", "32f")] {
      let body = "{\"pattern_code\": \"\(song)\", \"format\": \"\(format)\", \"bits\": \"\(bits)\"}"
      let out = "\(root)/out.\(format)"
      let curl = try await ProcessRunner.run(
        "/usr/bin/env",
        [
          "curl", "-sS", "--max-time", "120", "-o", out, "-D", "-", "-H", "Content-Type: application/json",
          "--data-binary", body,
          "http://127.0.0.1:\(server.port)/api/render",
        ])
      let header = curl.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("x-pcm-hash:") }
      let label = try #require(header?.split(separator: " ").last.map(String.init))
      let hash = try await ProcessRunner.run(ServeProcessTests.binary, ["hash", "--audio", out])
      #expect(hash.stdout == label + "\n")
      let cli = try await ProcessRunner.run(ServeProcessTests.binary, ["hash", root + "/song.pattern", "--bits", bits])
      #expect(cli.stdout == label + "\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [], "the render touched TMPDIR")
    }
    _ = await server.stop(SIGTERM)
    // A render stopped by the timeout leaves nothing either.
    let hurried = try await Server.start(
      ["--db", root + "/studio.sqlite", "--timeout", "0.2"], environment: ["TMPDIR": tmp])
    let long = "{\"pattern_code\": \"melody { saw C4 0 dur=590; saw E4 0 dur=590; saw G4 0 dur=590; }\"}"
    #expect(try await hurried.request("POST", "/api/render", body: long).status == .serviceUnavailable)
    _ = await hurried.stop(SIGTERM)
    #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [])
  }

  @Test(
    "no request can take the server down: crashing bodies get 4xx/500, the next request succeeds on the same process")
  func crashingRequestsLeaveTheServerUp() async throws {
    let root = Scratch.folder()
    let server = try await Server.start(["--db", root + "/studio.sqlite"], environment: ["PSTUDIO_TEST_TRAP": "1"])
    let pid = server.process.processIdentifier
    // The reproducers that used to trap in every command (seed -1, negative euclid counts) and a deliberate
    // trap behind the test-only switch.
    let bodies = [
      "seed -1; melody { sine C4 0; }",
      "rhythm { synth Kick euclid(-1,8) step 1/4 at 0; }",
      "rhythm { synth Kick euclid(3,8,-1) step 1/4 at 0; }",
      "// pstudio-test-trap\nmelody { sine C4 0; }",
    ]
    for code in bodies {
      for path in ["/api/parse", "/api/render", "/api/midi"] {
        let json = "{\"pattern_code\": \(String(reflecting: code))}"
        let reply = try await server.request("POST", path, body: json)
        #expect([200, 422, 500].contains(reply.status.code), "\(path) \(code): \(reply.status)")
        if code.contains("trap") { #expect(reply.status.code == 500 && reply.text.contains("worker_crashed")) }
        if code.hasPrefix("seed") { #expect(reply.status.code == 422 && reply.text.contains("must not be negative")) }
        let ok = try await server.request("POST", "/api/parse", body: "{\"pattern_code\": \"melody { sine C4 0; }\"}")
        #expect(ok.status == .ok, "after \(path) \(code)")
      }
    }
    #expect(server.process.isRunning && server.process.processIdentifier == pid)
    let render = try await server.request("POST", "/api/render", body: "{\"pattern_code\": \"melody { sine C4 0; }\"}")
    #expect(render.status == .ok)
    _ = await server.stop(SIGTERM)
  }

  @Test("HTTP edges: unknown methods and over-long request lines get the JSON error shape; a trickled body times out")
  func httpEdges() async throws {
    let root = Scratch.folder()
    let server = try await Server.start(["--db", root + "/studio.sqlite"])
    let foo = try await ProcessRunner.run(
      "/usr/bin/env",
      ["curl", "-sS", "--max-time", "30", "-X", "FOO", "-D", "-", "http://127.0.0.1:\(server.port)/api/health"],
      timeout: 60)
    #expect(foo.stdout.hasPrefix("HTTP/1.1 400"))
    #expect(foo.stdout.contains("\"code\":\"bad_request\"") && foo.stdout.contains("application/json"))
    let long = "/api/" + String(repeating: "a", count: 90_000)
    let line = try await ProcessRunner.run(
      "/usr/bin/env", ["curl", "-sS", "--max-time", "30", "-D", "-", "http://127.0.0.1:\(server.port)\(long)"],
      timeout: 60)
    #expect(line.stdout.hasPrefix("HTTP/1.1 400") && line.stdout.contains("\"success\":false"))
    // One byte a second: answered 408 after the 10-second body deadline, not held forever.
    let trickle = try await ProcessRunner.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        """
        import socket, sys, time
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.sendall(b"POST /api/parse HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: 100\\r\\n\\r\\n{")
        s.settimeout(1.0)
        start = time.time()
        while time.time() - start < 40:
            try:
                data = s.recv(4096)
                if data:
                    print(int(time.time() - start), data.split(b"\\r\\n")[0].decode())
                    break
            except socket.timeout:
                s.sendall(b" ")
        """,
        "\(server.port)",
      ], timeout: 90)
    #expect(trickle.stdout.contains("408"), "\(trickle.stdout) \(trickle.stderr)")
    let seconds = Int(trickle.stdout.split(separator: " ").first ?? "") ?? 99
    #expect((9...20).contains(seconds))
    _ = await server.stop(SIGTERM)
  }

  @Test("saves survive kill -9 right after the response") func savesSurviveKill9RightAfterTheResponse() async throws {
    let folder = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let db = "\(folder)/studio.sqlite"
    var saved: [(String, String)] = []
    for round in 0..<3 {
      let server = try await Server.start(["--db", db])
      for n in 0..<5 {
        let code = "melody { sine C4 \(round * 5 + n); }"
        let reply = try await server.request(
          "POST", "/api/save", body: "{\"name\": \"r\(round)\", \"pattern_code\": \"\(code)\"}")
        #expect(reply.status == .created)
        saved.append((reply.json["id"] as? String ?? "", code))
      }
      // kill -9 the moment the last 200 arrived.
      let end = await server.stop(SIGKILL)
      #expect(end.reason == .uncaughtSignal)
    }
    let server = try await Server.start(["--db", db])
    for (id, code) in saved {
      let reply = try await server.request("GET", "/api/load/\(id)")
      #expect(reply.status == .ok)
      #expect(reply.json["pattern_code"] as? String == code)
    }
    #expect(try await server.request("GET", "/api/patterns").json["total"] as? Int == saved.count)
    _ = await server.stop(SIGTERM)
  }

  @Test("SIGTERM exits 0; logs carry request ids and at most 50 characters of source")
  func sigtermShutsDownCleanlyAndLogsCarryRequestIdsButNoSource() async throws {
    let folder = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let server = try await Server.start(["--db", "\(folder)/studio.sqlite", "--log-level", "trace"])
    let secret = "SECRET-AFTER-FIFTY"
    let code = "import piano from \"grand\";\nmelody { piano C4 0; } // " + String(repeating: "x", count: 40) + secret
    let reply = try await server.request(
      "POST", "/api/render", body: "{\"pattern_code\": \(String(reflecting: code))}",
      headers: ["X-Request-Id": "trace-123"])
    #expect(reply.status == .ok)
    #expect(reply.headers[HTTPField.Name("X-Request-Id")!] == "trace-123")
    _ = try await server.request("POST", "/api/parse", body: "{\"pattern_code\": \(String(reflecting: code))}")
    _ = try await server.request(
      "POST", "/api/save", body: "{\"name\": \"n\", \"pattern_code\": \(String(reflecting: code))}")
    let end = await server.stop(SIGTERM)
    #expect(end.reason == .exit && end.status == 0)
    #expect(end.stderr.contains("request_id=trace-123"))
    #expect(end.stderr.contains("POST /api/render 200"))
    #expect(end.stderr.contains("melody { piano C4 0; }"))  // the first 50 characters may appear (trace level)…
    #expect(!end.stderr.contains(secret))  // …nothing after them ever does
  }

  @Test("serve: bad arguments exit 2, an unusable database exits 3") func badArgumentsExit2AndAnUnusableDatabaseExits3()
    async throws
  {
    for (args, code) in [
      (["serve", "--port", "70000"], Int32(2)), (["serve", "--db", "/proc/nope/x.sqlite", "--port", "0"], 3),
    ] {
      let result = try await ProcessRunner.run(Self.binary, args)
      #expect(result.status == code, "\(args): \(result.stderr)")
    }
  }
}
