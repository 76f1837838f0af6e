import Foundation
import Testing

/// Text snapshots: `actual` is compared with the file at `path`. With `RECORD_SNAPSHOTS=1` in the environment
/// the file is (re)written and the test fails, so a recording is never mistaken for a pass; review the diff
/// and commit.
public enum Snapshot {
  /// Whether this run records snapshots instead of comparing them.
  public static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil }

  /// Compares (or records) one snapshot.
  public static func assertMatches(
    _ actual: String, file path: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    if recording {
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
      Issue.record(
        "recorded \((path as NSString).lastPathComponent); unset RECORD_SNAPSHOTS and run again",
        sourceLocation: sourceLocation)
      return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
      Issue.record(
        "no snapshot \(path): record it with RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == expected, "snapshot \((path as NSString).lastPathComponent) differs", sourceLocation: sourceLocation)
  }
}
