import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import TestSupport
import Testing

@Suite("Render profile: where the time goes, without touching the audio")
struct RenderProfileTests {
  static let song = """
    tempo 120;
    bus room = reverb(decay=1.2);
    melody(send room=-12, fx=eq(low=-2) -> comp(threshold=-18, ratio=3)) {
      saw C4 0 dur=1/2;
      saw G4 1 dur=1/2;
      saw E4 2 dur=1/2;
      saw C5 3 dur=1/2;
      saw C4 4 dur=1/2;
      saw G4 5 dur=1/2;
      saw E4 6 dur=1/2;
      saw C5 7 dur=1/2;
      saw C4 8 dur=1/2;
      saw G4 9 dur=1/2;
      saw E4 10 dur=1/2;
      saw C5 11 dur=1/2;
      saw C4 12 dur=1/2;
      saw G4 13 dur=1/2;
      saw E4 14 dur=1/2;
      saw C5 15 dur=1/2;
    }
    """

  @Test("a profiled render has the same PCM as an unprofiled one, and every rendering phase is measured")
  func sameAudio() throws {
    let renderer = Renderer()
    let compiled = renderer.compile(SourceFile(name: "t.pattern", text: Self.song))
    #expect(compiled.succeeded)
    let plain = HashSink()
    try renderer.render(compiled, settings: RenderSettings(), into: [plain])
    let profile = RenderProfile()
    let measured = HashSink()
    let summary = try renderer.render(
      compiled, settings: RenderSettings(), into: [measured], control: RenderControl(profile: profile))
    #expect(try #require(plain.fingerprint).label == (try #require(measured.fingerprint)).label)
    for phase in [RenderProfile.Phase.schedule, .synthesis, .mix, .master, .quantize, .encode] {
      #expect(profile.seconds(phase) > 0, "\(phase.name)")
    }
    // The rendering thread's phases fit in the render's wall time.
    let serial = RenderProfile.Phase.allCases.filter { !$0.overlaps }.reduce(0) { $0 + profile.seconds($1) }
    #expect(serial <= summary.wallSeconds + 0.001)
  }

  @Test("pstudio render --profile --stats: a table on stderr, phases in the JSON; the file is complete")
  func command() async throws {
    let dir = Scratch.folder()
    try Self.song.write(toFile: "\(dir)/s.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["render", "\(dir)/s.pattern", "-o", "\(dir)/s.wav", "--profile", "--stats", "-q"])
    #expect(r.status == 0, "\(r.stderr)")
    for row in ["library", "compile", "synthesis", "mix", "master", "sync", "rename", "writer thread"] {
      #expect(r.stderr.contains(row), "\(row) missing from \(r.stderr)")
    }
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let phases = try #require(json["profile"] as? [String: Double])
    #expect(Set(phases.keys).isSuperset(of: RenderProfile.Phase.allCases.map(\.name) + ["other", "inProcess"]))
    #expect(phases["inProcess"]! >= phases["synthesis"]!)
    let info = try AudioFileReader.info(path: "\(dir)/s.wav")
    #expect(info.frames > 48_000 * 8)
  }

  @Test("pstudio check --profile: the front end as compile, the limits pass as schedule, the diagnostics as usual")
  func check() async throws {
    let dir = Scratch.folder()
    // Enough notes that the limits pass takes a measurable tenth of a millisecond (a few notes print 0.0 ms).
    let notes = (0..<3_000).map { "saw \(48 + $0 % 24) \($0)/4 dur=1/4;" }.joined(separator: " ")
    try (Self.song + "\nharmony { \(notes) }\n").write(toFile: "\(dir)/s.pattern", atomically: true, encoding: .utf8)
    let r = try await CLI.run(["check", "\(dir)/s.pattern", "--profile"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("0 errors, 0 warnings"))
    func ms(_ row: String) -> Double? {
      r.stderr.split(separator: "\n").first { $0.split(separator: " ").first.map(String.init) == row }
        .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Double($0) } }
    }
    #expect((ms("compile") ?? 0) > 0, "\(r.stderr)")
    #expect((ms("schedule") ?? 0) > 0, "\(r.stderr)")
    #expect(ms("synthesis") == 0)
  }
}
