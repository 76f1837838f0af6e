/// What a command that handles one song and exits leaves to the operating system: values kept to the end of the
/// process, so their memory is not freed piece by piece just before `exit` returns it all at once (a large song's
/// tree, score and schedule are hundreds of thousands of blocks and references).
enum KeptUntilExit {
  nonisolated(unsafe) private static var values: [Any] = []

  /// Keeps `value` (and so everything it references) alive until the process exits. Only for one-shot commands:
  /// a loop (`--watch`, the server) would keep every song it ever handled.
  static func keep(_ value: Any) { values.append(value) }
}
