import Foundation
import TestSupport

/// ffmpeg's EBU R128 meter (`ebur128=peak=true`): an independent measurement of what we write. Its summary
/// prints integrated loudness (LUFS) and true peak (dBTP) in 0.1 steps.
enum FFmpegMeter {
  static var available: Bool { Tools.which("ffmpeg") != nil }

  /// Integrated loudness and true peak of one file, or of several played back to back (`concat`).
  static func measure(_ paths: [String]) async throws -> (lufs: Double, truePeak: Double) {
    var args = ["-hide_banner", "-nostats"]
    if paths.count == 1 {
      args += ["-i", paths[0]]
    } else {
      let list = Scratch.folder() + "/list.txt"
      try paths.map { "file '\($0)'" }.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
      args += ["-f", "concat", "-safe", "0", "-i", list]
    }
    args += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    let r = try await ProcessRunner.run(Tools.which("ffmpeg")!, args)
    let summary = r.stderr.components(separatedBy: "Summary:").last ?? ""
    func value(after label: String) -> Double {
      guard let range = summary.range(of: label) else { return .nan }
      let rest = summary[range.upperBound...].trimmingCharacters(in: .whitespaces)
      return Double(rest.prefix { "-+.0123456789".contains($0) }) ?? .nan
    }
    return (value(after: "I:"), value(after: "Peak:"))
  }
}
