import PatternAudioIO
import PatternLanguage

/// Why a render (or an export) did not finish: the user's input, a stop, or the system — with its cause kept.
public enum RenderError: Error, CustomStringConvertible {
  /// The song has errors, or exceeds a limit of the render (diagnostics located in the source).
  case invalidInput([Diagnostic])
  /// A sink could not write: the file layer's error (path, errno, libsndfile's message).
  case io(AudioIOError)
  /// `RenderControl.shouldStop` asked for it; every sink threw its output away.
  case cancelled
  /// A sink of the caller's own failed with its own error (kept as it was thrown).
  case sink(any Error)

  public var description: String {
    switch self {
    case .invalidInput(let d): "\(d.filter { $0.severity == .error }.count) error(s) in the input"
    case .io(let e): e.description
    case .cancelled: "the render was stopped"
    case .sink(let e): "\(e)"
    }
  }

  /// `error` as a render error: itself, a file-layer error, a stop, or a caller's sink's own error.
  static func wrapping(_ error: any Error) -> RenderError {
    switch error {
    case let e as RenderError: e
    case let e as AudioIOError: .io(e)
    case is CancellationError: .cancelled
    default: .sink(error)
    }
  }

  /// Whether the system failed (a file, the disk), not the song: what exit code 3 reports.
  public var isSystemFailure: Bool {
    switch self {
    case .io, .sink: true
    case .invalidInput, .cancelled: false
    }
  }
}
