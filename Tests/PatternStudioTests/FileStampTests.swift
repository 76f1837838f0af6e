import Foundation
import TestSupport
import Testing

@testable import PatternStudio

/// The instrument caches (in memory, per process) compare file stamps taken with `stat(2)`: size and
/// modification time, the same figures Foundation's attributes give, and a stamp changes when a file does.
@Suite("File stamps")
struct FileStampTests {
  @Test("a stamp is size:modification time (Foundation's figures); a missing file is 0:0.0")
  func sameAsFoundation() throws {
    let path = Scratch.folder() + "/x.json"
    try "{}".write(toFile: path, atomically: true, encoding: .utf8)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let parts = FileCheck.stamp(path).split(separator: ":")
    #expect(parts.count == 2 && parts[0] == "\(attributes[.size] ?? 0)")
    // The same instant: Foundation's Date rounds through its 2001 reference date, so the last bit may differ.
    let modified = try #require((attributes[.modificationDate] as? Date)?.timeIntervalSince1970)
    #expect(abs((Double(parts.last ?? "") ?? 0) - modified) < 1e-6)
    #expect(FileCheck.status(path)?.size == 2)
    #expect(FileCheck.stamp(path + ".missing") == "0:0.0")
    let before = FileCheck.stamp(path)
    try "{ }".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(FileCheck.stamp(path) != before)
  }
}
