import Foundation
import PatternLanguage

extension RenderProfile {
  /// The rendering thread's phases: they add up to its wall time, less what `other` holds.
  private var serialPhases: [Phase] { Phase.allCases.filter { !$0.overlaps } }

  /// What the process spent outside the measured phases (argument parsing, printing, tearing down), seconds.
  private func other(inProcessSeconds: Double) -> Double {
    max(0, inProcessSeconds - serialPhases.reduce(0) { $0 + seconds($1) })
  }

  /// A table for people: milliseconds per phase, the writer thread's overlapping work apart.
  ///
  /// - Parameter inProcessSeconds: Wall time from the start of `main` until now.
  public func table(inProcessSeconds: Double) -> String {
    func ms(_ s: Double) -> String { String(format: "%8.1f ms", s * 1000) }
    var lines = ["profile: \(ms(inProcessSeconds)) from main to now (the loader's start-up before main is not in it)"]
    for phase in serialPhases {
      lines.append("  \(phase.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(ms(seconds(phase)))")
    }
    lines.append(
      "  \("other".padding(toLength: 11, withPad: " ", startingAt: 0)) \(ms(other(inProcessSeconds: inProcessSeconds)))"
    )
    lines.append(
      "  writer thread, overlapping the above: quantize \(ms(seconds(.quantize))), encode \(ms(seconds(.encode)))")
    return lines.joined(separator: "\n")
  }

  /// The same as one JSON object: seconds per phase, `other`, and `inProcess`.
  public func json(inProcessSeconds: Double) -> JSONValue {
    .object(
      Phase.allCases.map { ($0.name, JSONValue.number(seconds($0))) } + [
        ("other", .number(other(inProcessSeconds: inProcessSeconds))), ("inProcess", .number(inProcessSeconds)),
      ])
  }
}
