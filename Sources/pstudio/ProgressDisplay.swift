import Foundation

/// A one-line progress display on a terminal's stderr: `rendering out.wav  42%`, redrawn at most every
/// 100 ms and only after the first half second (short renders print nothing), then cleared. Does nothing
/// when stderr is not a terminal, so logs and pipes get only the final summary.
final class ProgressDisplay {
  private let label: String
  private let enabled: Bool
  private let clock = ContinuousClock()
  private let started: ContinuousClock.Instant
  private var lastDrawn: ContinuousClock.Instant?
  private var drawn = false

  init(label: String, enabled: Bool) {
    self.label = label
    self.enabled = enabled
    started = clock.now
  }

  /// Shows `fraction` (0 … 1) done.
  func update(_ fraction: Double) {
    guard enabled else { return }
    let now = clock.now
    guard now - started > .milliseconds(500) else { return }
    if let last = lastDrawn, now - last < .milliseconds(100) { return }
    lastDrawn = now
    drawn = true
    let percent = Int((fraction * 100).rounded(.down))
    FileHandle.standardError.write(Data("\r\u{1B}[2Krendering \(label)  \(percent)%".utf8))
  }

  /// Removes the line if one was drawn.
  func clear() {
    if drawn { ProgressDisplay.clearLine() }
  }

  /// Erases the current terminal line on stderr (when stderr is a terminal).
  static func clearLine() {
    if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }
}
