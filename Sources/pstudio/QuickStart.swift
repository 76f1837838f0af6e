import ArgumentParser
import Foundation

/// The commands an editor runs on every save, started without ArgumentParser: its argument tables are built by
/// reflection (`Mirror`, protocol conformance scans over this large binary) on every start, ~2 ms, a quarter of
/// a one-line `check`, and as much of every `render`. Only the plain forms are taken here — `pstudio check FILE`
/// with `--format` and `--instruments`, `pstudio render FILE -o OUT` with its options each once
/// (`plainRender`), and `pstudio --version` — and they run exactly the code the parsed commands run; anything
/// else (help, a misspelt option, a second file, an invalid value) goes to ArgumentParser, which reports it as
/// before.
enum QuickStart {
  /// Runs `arguments` (without the program name) when they are one of the plain forms, and exits; returns
  /// when they are not.
  static func runIfPlain(_ arguments: ArraySlice<String>) {
    // The server's commands, help included, belong to pstudio-server.
    if let first = arguments.first, ServerHandOver.handles(first) { ServerHandOver.exec(Array(arguments)) }
    if arguments.first == "help", let second = arguments.dropFirst().first, ServerHandOver.handles(second) {
      ServerHandOver.exec([second, "--help"])
    }
    if arguments.elementsEqual(["--version"]) {
      print(PStudio.configuration.version)
      exit(0)
    }
    if arguments.first == "render", let render = plainRender(arguments.dropFirst()), (try? render.validate()) != nil {
      // Validated here, so any usage error is ArgumentParser's, reported exactly as before.
      finish { try render.run() }
    }
    guard arguments.first == "check", let (input, folders, format) = plainCheck(arguments.dropFirst()) else {
      return
    }
    finish { try Check.run(input: input, folders: folders, format: format) }
  }

  /// Runs a command's work and exits: 0, or as ArgumentParser exits for the error it threw.
  private static func finish(_ work: () throws -> Void) -> Never {
    do {
      try work()
      exit(0)
    } catch {
      PStudio.exit(withError: error)
    }
  }

  /// `FILE`, `--format text|json` and any number of `--instruments DIR`, in any order (also `--name=value`);
  /// nil for anything else.
  static func plainCheck(_ arguments: ArraySlice<String>) -> (String, [String], OutputFormat)? {
    var input: String?
    var folders: [String] = []
    var format = OutputFormat.text
    var rest = arguments[...]
    while let word = rest.popFirst() {
      if word.hasPrefix("--") {
        let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
        guard let value = parts.count == 2 ? parts[1] : rest.popFirst(), !value.hasPrefix("-") || value == "-"
        else { return nil }
        switch parts[0] {
        case "--format":
          guard let f = OutputFormat(rawValue: value) else { return nil }
          format = f
        case "--instruments": folders.append(value)
        default: return nil
        }
      } else if input == nil && (!word.hasPrefix("-") || word == "-") {
        input = word
      } else {
        return nil
      }
    }
    return input.map { ($0, folders, format) }
  }
}
