import CSndFile
import Glibc

/// A failure of the file layer, with its cause kept: what was being done, to which file, the system's `errno`
/// and libsndfile's own message where there is one. (The user's source is never at fault here.)
public struct AudioIOError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What was being done when it failed.
  public enum Operation: String, Sendable {
    case open, write, close, rename, read, sync
    /// The format asked for cannot be written (checked before any file is created).
    case format
  }

  public var operation: Operation
  /// The file concerned; nil for an in-memory encoder.
  public var path: String?
  /// The system error number, when a system call failed.
  public var errno: Int32?
  /// libsndfile's message, when libsndfile failed.
  public var libraryMessage: String?
  /// Anything else worth saying (e.g. "short read: 10 of 20 frames").
  public var detail: String?

  public init(
    _ operation: Operation, path: String?, errno: Int32? = nil, libraryMessage: String? = nil, detail: String? = nil
  ) {
    self.operation = operation
    self.path = path
    self.errno = errno
    self.libraryMessage = libraryMessage
    self.detail = detail
  }

  /// `cannot write 'x.wav': No space left on device (errno 28)`.
  public var description: String {
    let target = path.map { "'\($0)'" } ?? "the in-memory file"
    let verb: String
    switch operation {
    case .open: verb = "cannot create \(target)"
    case .write: verb = "writing \(target) failed"
    case .close: verb = "closing \(target) failed"
    case .rename: verb = "cannot move the finished file to \(target)"
    case .read: verb = "cannot read \(target)"
    case .sync: verb = "cannot flush \(target) to disk"
    case .format: verb = "cannot write \(target)"
    }
    var causes: [String] = []
    if let errno { causes.append("\(String(cString: strerror(errno))) (errno \(errno))") }
    if let libraryMessage, !libraryMessage.isEmpty { causes.append("libsndfile: \(libraryMessage)") }
    if let detail { causes.append(detail) }
    return causes.isEmpty ? verb : "\(verb): \(causes.joined(separator: "; "))"
  }

  /// libsndfile's message for `handle` (nil: the last failed open, a process-wide slot).
  static func sndfileMessage(_ handle: OpaquePointer?) -> String { String(cString: pstudio_sf_strerror(handle)) }
}
