import Foundation

@testable import PatternSamplerFormats

struct MissingFile: Error { let path: String }

/// An in-memory file system for `readFile`.
func memoryLoader(_ files: [String: String]) -> (String) throws -> String {
  { path in
    guard let text = files[path] else { throw MissingFile(path: path) }
    return text
  }
}

/// The folder holding the test fixtures (`Tests/PatternSamplerFormatsTests/Fixtures`).
let fixturesFolder: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<2 { url.deleteLastPathComponent() }
  return url.appendingPathComponent("Fixtures").path
}()

func parse(_ text: String, file: String = "/sfz/test.sfz") -> SFZInstrument {
  SFZInstrument.parse(text: text, fileName: file)
}

func path(_ r: SamplerRegion) -> String {
  if case .file(let p) = r.sample { return p }
  return ""
}
