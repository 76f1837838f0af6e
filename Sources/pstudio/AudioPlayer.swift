import Foundation

/// The program that plays a rendered file: the one the user names (`--player`, `PSTUDIO_PLAYER`), else the
/// first of `paplay` (PulseAudio/PipeWire), `aplay` (ALSA), `ffplay` (FFmpeg) and `afplay` (macOS) on the PATH.
struct AudioPlayer {
  /// How messages name it (`aplay`).
  var name: String
  var executable: String
  /// Arguments before the file's path.
  var arguments: [String]

  /// The players tried in order, with the arguments that make each play one file and exit quietly.
  static let known: [(name: String, arguments: [String])] = [
    ("paplay", []), ("aplay", ["-q"]), ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "error"]), ("afplay", []),
  ]

  struct NotFound: Error, CustomStringConvertible {
    var description: String
  }

  /// The player to use. `command` (a program and its arguments, split at spaces) wins; otherwise the PATH is
  /// searched. Throws `NotFound` with what to install when there is none.
  static func find(command: String?, path: String) throws -> AudioPlayer {
    if let command, !command.trimmingCharacters(in: .whitespaces).isEmpty {
      let words = command.split(separator: " ").map(String.init)
      guard let executable = which(words[0], path: path) else {
        throw NotFound(description: "the player '\(words[0])' is not on the PATH")
      }
      return AudioPlayer(name: words[0], executable: executable, arguments: Array(words.dropFirst()))
    }
    for candidate in known {
      if let executable = which(candidate.name, path: path) {
        return AudioPlayer(name: candidate.name, executable: executable, arguments: candidate.arguments)
      }
    }
    throw NotFound(
      description: "no audio player found on the PATH (looked for "
        + known.map(\.name).joined(separator: ", ")
        + "). Install one (Debian: apt install pulseaudio-utils, alsa-utils or ffmpeg), name one with --player or "
        + "PSTUDIO_PLAYER, or write a file with: pstudio render SONG -o song.wav")
  }

  /// `name` itself when it contains a slash, else the first executable of that name in `path`'s folders.
  static func which(_ name: String, path: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Starts playing `file` (the player inherits the terminal's output).
  func start(_ file: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments + [file]
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }
}
