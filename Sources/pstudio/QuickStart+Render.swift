import ArgumentParser
import PatternAudioIO

extension QuickStart {
  /// `render`'s options as the quick start reads them: how each one's value is taken.
  fileprivate enum RenderOption {
    case flag(WritableKeyPath<RenderArguments, Bool>)
    case text(WritableKeyPath<RenderArguments, String?>)
    case integer(WritableKeyPath<RenderArguments, Int>)
    /// `parsing: .unconditional` in `Render`: the next word is the value even when it starts with `-` (`--gain -3`).
    case number(WritableKeyPath<RenderArguments, Double>)
    case optionalNumber(WritableKeyPath<RenderArguments, Double?>)
    case bits
    case output
    case folder
  }

  /// The option `Render` declares under `name` (`--name`, and `-o`, `-q`), and the name it is counted under. A
  /// switch, not a dictionary: a dictionary's first use can cost a conformance scan of the binary at start-up.
  private static func renderOption(_ name: String) -> (RenderOption, key: String)? {
    switch name {
    case "-o", "--output": return (.output, "--output")
    case "-q", "--quiet": return (.flag(\.quiet), "--quiet")
    case "--stats": return (.flag(\.stats), name)
    case "--profile": return (.flag(\.profile), name)
    case "--instruments": return (.folder, name)
    case "--rate": return (.integer(\.rate), name)
    case "--bits": return (.bits, name)
    case "--gain": return (.number(\.gain), name)
    case "--block-size": return (.integer(\.blockSize), name)
    case "--threads": return (.integer(\.threads), name)
    case "--loudness": return (.optionalNumber(\.loudness), name)
    case "--true-peak": return (.number(\.truePeak), name)
    case "--title": return (.text(\.title), name)
    case "--artist": return (.text(\.artist), name)
    case "--comment": return (.text(\.comment), name)
    case "--midi": return (.text(\.midi), name)
    default: return nil
    }
  }

  /// `render`'s arguments (after the word `render`) when they are a plain form: one input, `-o`/`--output` once,
  /// and any of the other options once each (`--instruments` any number of times), as `--name value` or
  /// `--name=value`, each value converted as ArgumentParser converts it. Nil for anything else — `--watch`,
  /// help, a repeated or unknown option, a value that looks like an option where `Render` does not take one,
  /// short options run together — which ArgumentParser then parses (and reports) as before.
  static func plainRender(_ arguments: ArraySlice<String>) -> RenderArguments? {
    var parsed = RenderArguments(input: "", output: "")
    var input: String?
    var output: String?
    var seen: [String] = []
    var rest = arguments[...]
    while let word = rest.popFirst() {
      guard word.hasPrefix("-") && word != "-" else {
        guard input == nil else { return nil }
        input = word
        continue
      }
      let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      // `-o=x`, `-qo x` and `--title=` (which ArgumentParser reads as `--title` followed by its value) are
      // ArgumentParser's to read.
      guard let (option, key) = renderOption(parts[0]), parts[0].hasPrefix("--") || parts.count == 1,
        parts.count == 1 || !parts[1].isEmpty,
        option.isRepeatable || !seen.contains(key)
      else { return nil }
      seen.append(key)
      if case .flag(let path) = option {
        guard parts.count == 1 else { return nil }
        parsed[keyPath: path] = true
        continue
      }
      guard let value = parts.count == 2 ? parts[1] : rest.popFirst(), option.takesAnyValue || !value.hasPrefix("-")
      else { return nil }
      switch option {
      case .text(let path): parsed[keyPath: path] = value
      case .integer(let path):
        guard let n = Int(argument: value) else { return nil }
        parsed[keyPath: path] = n
      case .number(let path):
        guard let x = Double(argument: value) else { return nil }
        parsed[keyPath: path] = x
      case .optionalNumber(let path):
        guard let x = Double(argument: value) else { return nil }
        parsed[keyPath: path] = x
      case .bits:
        guard let bits = SampleEncoding(argument: value) else { return nil }
        parsed.bits = bits
      case .output: output = value
      case .folder: parsed.folders.append(value)
      case .flag: return nil
      }
    }
    guard let input, let output else { return nil }
    parsed.input = input
    parsed.output = output
    return parsed
  }
}

extension QuickStart.RenderOption {
  /// `--instruments` may be given again; every other option once.
  fileprivate var isRepeatable: Bool {
    if case .folder = self { return true }
    return false
  }

  /// Whether a value starting with `-` is still the value (`Render`'s `.unconditional` options).
  fileprivate var takesAnyValue: Bool {
    switch self {
    case .number, .optionalNumber: return true
    default: return false
    }
  }
}
