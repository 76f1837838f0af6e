/// Turns syntax events into regions: keeps the inheritance levels (sfizz `Synth::onParseFullBlock`) —
/// a `<global>` replaces the global opcodes and clears master and group, a `<master>` replaces master and
/// clears group, a `<group>` replaces group — and resolves each `<region>` against them.
final class SFZInstrumentBuilder: SyntaxConsumer {
  private enum Block {
    case control, global, master, group, region
    case ignored
  }

  private var block: Block? = nil
  private var blockLocation = SourceLocation(file: "", line: 0, column: 0)
  private var current = OpcodeSet()
  private var global = OpcodeSet()
  private var master = OpcodeSet()
  private var group = OpcodeSet()
  private var control = SFZControl()
  private var regionHeaders = 0
  private let resolver: SFZRegionResolver
  private let warnings: WarningLog
  private let maxRegions: Int

  private(set) var regions: [SamplerRegion] = []
  private(set) var gatedOut = 0

  init(rootDirectory: String, limits: SFZLimits, warnings: WarningLog) {
    self.resolver = SFZRegionResolver(rootDirectory: rootDirectory, warnings: warnings)
    self.warnings = warnings
    self.maxRegions = limits.maxRegions
  }

  func consume(_ event: SyntaxEvent) -> Bool {
    switch event {
    case .header(let name, let location):
      flush()
      return begin(name, at: location)
    case .opcode(let name, let value, let location, let valueLocation):
      switch block {
      case nil:
        warnings.add(location, "opcode `\(name)` is not under any header; ignored")
      case .control?:
        control.apply(name: name, value: value, valueAt: valueLocation, nameAt: location, warnings: warnings)
      case .ignored?:
        break
      case .global?, .master?, .group?, .region?:
        OpcodeCatalog.apply(
          name: name, value: value, at: location, valueAt: valueLocation,
          to: &current, warnings: warnings)
      }
      return true
    }
  }

  /// Ends the last block (call once the syntax parser has finished).
  func finish() { flush() }

  private func begin(_ name: String, at location: SourceLocation) -> Bool {
    blockLocation = location
    current = OpcodeSet()
    switch name.lowercased() {
    case "control":
      block = .control
      control.defaultPath = ""  // sfizz: every <control> resets default_path
    case "global": block = .global
    case "master": block = .master
    case "group": block = .group
    case "region":
      regionHeaders += 1
      guard regionHeaders <= maxRegions else {
        warnings.add(location, "more than \(maxRegions) regions; the rest of the instrument is ignored")
        block = nil
        return false
      }
      block = .region
    case "curve", "effect", "midi", "sample":
      warnings.add(location, "<\(name)> is not supported; its opcodes are ignored")
      block = .ignored
    default:
      warnings.add(location, "unknown header <\(name)>; its opcodes are ignored")
      block = .ignored
    }
    return true
  }

  private func flush() {
    defer { block = nil }
    switch block {
    case .global?:
      global = current
      master = OpcodeSet()
      group = OpcodeSet()
    case .master?:
      master = current
      group = OpcodeSet()
    case .group?:
      group = current
    case .region?:
      let merged = global.overlaid(by: master).overlaid(by: group).overlaid(by: current)
      switch resolver.resolve(merged, control: control, at: blockLocation) {
      case .region(let r): regions.append(r)
      case .gatedOut: gatedOut += 1
      case .dropped: break
      }
    case .control?, .ignored?, nil:
      break
    }
  }
}
