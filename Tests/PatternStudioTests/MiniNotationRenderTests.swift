import Foundation
import PatternAudioIO
import PatternLanguage
import PatternStudio
import Testing

/// Mini-notation strings with the shipped library, heard: the README's example compiles, Strudel's drum names
/// reach the drums kit's sounds, and a string renders the same PCM as the statements it stands for, with each
/// kick's onset on its exact frame.
@Suite("Mini-notation: rendered")
struct MiniNotationRenderTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardized.path
  let renderer = Renderer(instruments: InstrumentSearchPath(folders: [Self.root + "/Instruments"]))

  func compiled(_ text: String) -> CompiledPattern { renderer.compile(SourceFile(name: "t.pattern", text: text)) }

  func pcm(_ text: String) throws -> [Int32] {
    let song = compiled(text)
    #expect(!song.diagnostics.hasErrors, "\(song.diagnostics.map(\.message))")
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: 48_000)
    return try renderer.renderPCM(song, settings: RenderSettings(format: format))
  }

  @Test("the README's example compiles with the shipped library and plays every line")
  func readmeExample() throws {
    let readme = try String(
      contentsOf: URL(fileURLWithPath: Self.root + "/README.md"), encoding: .utf8)
    let start = try #require(readme.range(of: "import kit from \"drums\"; import lead from \"lead\";"))
    let block = String(readme[start.lowerBound...].prefix { $0 != "`" })
    let song = compiled(block)
    #expect(!song.diagnostics.hasErrors, "\(song.diagnostics.map(\.message))")
    #expect(Set(song.score.events.map(\.track)).count == 3)
    #expect(song.score.events.count == 166)
  }

  @Test("Strudel's drum names play the drums kit's sounds: oh cp rim lt mt ht are OpenHat Clap Rim and the toms")
  func drumNames() {
    let kit = "import kit from \"drums\";\n"
    let names = compiled(kit + "rhythm { kit \"oh cp rim lt mt ht\" over 6; }").score.events.map(\.note.displayName)
    #expect(names == ["OpenHat", "Clap", "Rim", "LowTom", "MidTom", "HighTom"])
  }

  @Test("a string renders bit-identical PCM to the statements it stands for; each kick starts on its frame")
  func samePCM() throws {
    // Oscillators carry no seeded noise (whose key counts statements), so the audio must match bit for bit.
    let string = try pcm(
      "tempo 120; melody { saw \"c4 <e4 g4> [a4 b4]\" over 4 cycles 2; } harmony { sine \"[c3,e3] g2\" over 4 cycles 2; }"
    )
    let explicit = try pcm(
      "tempo 120; melody { saw C4 0 dur=4/3; saw E4 4/3 dur=4/3; saw A4 8/3 dur=2/3; saw B4 10/3 dur=2/3; "
        + "saw C4 4 dur=4/3; saw G4 16/3 dur=4/3; saw A4 20/3 dur=2/3; saw B4 22/3 dur=2/3; } "
        + "harmony { sine [C3 E3] 0 dur=2; sine G2 2 dur=2; sine [C3 E3] 4 dur=2; sine G2 6 dur=2; }")
    #expect(string.count == explicit.count && string.elementsEqual(explicit))
    #expect(string.contains { $0 != 0 })
    // The drums kit: the second kick of "bd ~ bd@2" (beat 2 = frame 48,000 at 120 BPM) adds nothing before its
    // frame and is heard from it on.
    let both = try pcm("tempo 120; import kit from \"drums\"; rhythm { kit \"bd ~ bd@2\" over 4; }")
    let first = try pcm("tempo 120; import kit from \"drums\"; rhythm { kit \"bd ~ ~@2\" over 4; }")
    let second = zip(both, first + [Int32](repeating: 0, count: max(0, both.count - first.count))).map {
      Float(bitPattern: UInt32(bitPattern: $0)) - Float(bitPattern: UInt32(bitPattern: $1))
    }
    #expect(second[..<(2 * 48_000)].allSatisfy { $0 == 0 })
    #expect(second[(2 * 48_000)..<(2 * 48_480)].contains { abs($0) > 0.01 })
  }
}
