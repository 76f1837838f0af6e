import Foundation
import PatternSamplerFormats
import Testing

@Suite("SoundFont preset listing from the headers alone")
struct PresetListTests {
  @Test("presetList names every preset as the full parse does, in the same order", arguments: realFontPaths)
  func matchesFullParse(path: String) throws {
    guard let bytes = readFile(path) else { return }
    let full = try SoundFont(bytes: bytes).presets
    let listed = try bytes.withUnsafeBytes { try SoundFont.presetList(bytes: $0) }
    #expect(listed.count == full.count)
    #expect(listed.elementsEqual(full) { ($0.name, $0.bank, $0.program) == ($1.name, $1.bank, $1.program) })
    #expect(listed.allSatisfy { $0.keyRange == nil })
  }

  @Test("a file the full parse rejects at the chunks the listing reads is rejected with the same error")
  func sameErrors() throws {
    let path = try #require(realFontPaths.first { FileManager.default.fileExists(atPath: $0) })
    var bytes = try #require(readFile(path))
    for cut in [4, 11, 40] {
      let short = Array(bytes.prefix(cut))
      let a = Result { try SoundFont(bytes: short) }.map { _ in "" }
      let b = Result { try short.withUnsafeBytes { try SoundFont.presetList(bytes: $0) } }.map { _ in "" }
      #expect("\(a)" == "\(b)")
    }
    bytes[8] = UInt8(ascii: "x")  // the form type
    let a = Result { try SoundFont(bytes: bytes) }.map { _ in "" }
    let b = Result { try bytes.withUnsafeBytes { try SoundFont.presetList(bytes: $0) } }.map { _ in "" }
    #expect("\(a)" == "\(b)")
  }
}
