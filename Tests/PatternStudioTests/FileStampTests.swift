import Foundation
import TestSupport
import Testing

@testable import PatternStudio

/// The instrument caches compare file stamps taken with `stat(2)`; they must read exactly as the Foundation
/// attributes they replaced did (stamps are compared across runs), and change when a file does.
@Suite("File stamps")
struct FileStampTests {
  @Test("a stamp is size:modification time, as Foundation's attributes give them; a missing file is 0:0.0")
  func sameAsFoundation() throws {
    let path = Scratch.folder() + "/x.json"
    try "{}".write(toFile: path, atomically: true, encoding: .utf8)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let expected =
      "\(attributes[.size] ?? 0):\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    #expect(FileCheck.stamp(path) == expected)
    #expect(FileCheck.status(path)?.size == 2)
    #expect(FileCheck.stamp(path + ".missing") == "0:0.0")
    let before = FileCheck.stamp(path)
    try "{ }".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(FileCheck.stamp(path) != before)
  }
}
