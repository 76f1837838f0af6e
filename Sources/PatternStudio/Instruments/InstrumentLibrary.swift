import Crypto
import Foundation
import PatternEngine
import PatternLanguage
import Synchronization

/// The instruments of a search path, loaded once per process: the built-ins plus every `*.json` module, with
/// unusable ones (invalid files, links leaving their folder) kept with the reason for the resolver.
public struct InstrumentLibrary: Sendable {
  public var catalog: InstrumentCatalog
  package var patches: PatchBank
  /// Module name → the file it came from.
  public var sources: [String: String]
  /// Module name → what its reader noticed but tolerated (an SFZ file's unknown opcodes, located), shown as
  /// warnings at the songs' imports.
  package var warnings: [String: [String]] = [:]
  /// Per file-backed instrument, every file it reads: the module file, then its samples (real paths).
  package var files: [InstrumentID: [String]] = [:]

  /// The most decoded sample memory one library may hold (mono floats), bytes: 1 GiB.
  static let sampleBudgetBytes: Int64 = 1 << 30

  private static let cache = Mutex<[String: (signature: String, library: InstrumentLibrary)]>([:])

  /// Loads (or returns the cached) library of `path`. The cache is keyed by the folders and every file's
  /// name, size and modification time, so an edited file is read again and an unchanged one never is.
  public static func load(_ path: InstrumentSearchPath) -> InstrumentLibrary {
    let files = path.folders.map { moduleFiles($0) }
    let sampled = path.fontFolders.map(SampledModules.files)
    let key = path.folders.joined(separator: "\u{0}")
    let stamps =
      files.flatMap { $0 }.map { "\($0.path):\($0.stamp)" } + sampled.flatMap { $0 }.map { "\($0.path):\($0.stamp)" }
    let signature = stamps.joined(separator: "\u{0}")
    if let hit = cache.withLock({ $0[key] }), hit.signature == signature { return hit.library }
    var building = Building()
    building.addModules(path.folders, files)
    // SoundFont presets and SFZ instruments, after the JSON modules (a JSON module of the same name wins).
    for entry in sampled.flatMap({ $0 }) {
      SampledModules.add(
        entry, to: &building.library, modules: &building.modules, unavailable: &building.unavailable,
        seen: &building.seen)
    }
    let library = building.finish(path)
    cache.withLock { $0[key] = (signature, library) }
    return library
  }

  /// Only the JSON modules named in `modules` (what a song imports), when every one of them is a JSON module
  /// file of the path — those win over every other kind, so they resolve exactly as in the whole library —
  /// and nil otherwise. No SoundFont is listed and no SFZ file parsed: most of what every `render` and
  /// `check` paid before it compiled a line (measured: 41 % of a one-line `check`). The other modules are
  /// absent, so only a song that compiles without a diagnostic may keep this library (`Renderer.compiling`).
  static func load(_ path: InstrumentSearchPath, only modules: Set<String>) -> InstrumentLibrary? {
    let files = path.folders.map { moduleFiles($0, only: modules) }
    let names = Set(files.joined().map(\.module))
    guard modules.isSubset(of: names) else { return nil }
    var building = Building()
    building.addModules(path.folders, files)
    return building.finish(path)
  }

  /// A library being assembled: what `load` adds module by module.
  private struct Building {
    var library = InstrumentLibrary(catalog: .builtIn, patches: Patch.builtIn, sources: [:])
    var modules: [(name: String, instrument: InstrumentDescriptor)] = []
    var unavailable: [(name: String, reason: String)] = []
    var seen = Set<String>()
    var sampleBytes: Int64 = 0

    /// The JSON modules of `folders` (their listed `files`), the first of a name winning.
    mutating func addModules(_ folders: [String], _ files: [[ModuleFile]]) {
      for (folder, entries) in zip(folders, files) {
        for entry in entries where seen.insert(entry.module).inserted {
          if let reason = entry.problem {
            unavailable.append((entry.module, reason))
            continue
          }
          do {
            let (descriptor, patch) = try InstrumentFile.load(path: entry.path, module: entry.module)
            let buffers = InstrumentLibrary.sampleBuffers(patch)
            let bytes = buffers.reduce(Int64(0)) { $0 + Int64($1.count) * 4 }
            guard sampleBytes + bytes <= InstrumentLibrary.sampleBudgetBytes else {
              unavailable.append(
                (
                  entry.module,
                  "\(entry.file): its samples would take the library past \(InstrumentLibrary.sampleBudgetBytes >> 20) MiB"
                ))
              continue
            }
            sampleBytes += bytes
            modules.append((entry.module, descriptor))
            library.patches[descriptor.id] = patch
            library.sources[entry.module] = (folder as NSString).appendingPathComponent(entry.file)
            library.files[descriptor.id] = [FileCheck.realPath(entry.path) ?? entry.path] + buffers.compactMap(\.origin)
          } catch {
            unavailable.append((entry.module, "\(error)"))
          }
        }
      }
    }

    /// The catalog: these modules, then the built-in ones no file shadows, and where the library was searched.
    func finish(_ path: InstrumentSearchPath) -> InstrumentLibrary {
      var library = self.library
      // Built-in module names stay available unless a file of the same name shadows them.
      let builtinModules = InstrumentCatalog.builtIn.modules.filter { !seen.contains($0.name) }
      library.catalog = InstrumentCatalog(
        builtins: InstrumentCatalog.builtIn.builtins, modules: modules + builtinModules, unavailable: unavailable)
      if let searched = path.missingLibrary {
        let missing =
          "the instrument library was not found (looked in \(searched.joined(separator: ", "))); install it with "
          + "Scripts/install or name a folder with --instruments"
        library.catalog.searchNote = missing
        // A built-in stand-in sounds different from the library's module of that name: say so at the import.
        for module in builtinModules where ["grand", "drums"].contains(module.name) {
          library.warnings[module.name, default: []].append("\"\(module.name)\" is the built-in stand-in: \(missing)")
        }
      } else if !path.folders.isEmpty {
        library.catalog.searchNote = "searched: " + path.folders.joined(separator: ", ")
      }
      return library
    }
  }

  /// The distinct sample buffers a patch plays, in zone order.
  static func sampleBuffers(_ patch: Patch) -> [SampleBuffer] {
    var zones = patch.hitSamples?.zones ?? []
    if case .sampler(let bank) = patch.kind { zones += bank.zones }
    var seen = Set<ObjectIdentifier>()
    return zones.map(\.buffer).filter { seen.insert(ObjectIdentifier($0)).inserted }
  }

  /// Changes whenever a module file of `path` is added, removed or modified (and so may sound different);
  /// sample files count through their modules' stamps and their own.
  public static func signature(_ path: InstrumentSearchPath) -> String {
    var parts: [String] = []
    for folder in path.folders {
      for file in moduleFiles(folder) { parts.append("\(file.path):\(file.stamp)") }
      let samples = (folder as NSString).appendingPathComponent("samples")
      for name in ((try? FileManager.default.contentsOfDirectory(atPath: samples)) ?? []).sorted() {
        parts.append("\(name):\(FileCheck.stamp("\(samples)/\(name)"))")
      }
    }
    return Hex.sha256(text: parts.joined(separator: "\n"))
  }

  struct ModuleFile {
    var module: String
    var file: String
    var path: String
    var stamp: String
    /// Why the file cannot be used (a link leaving the folder, a name that is not plain), if so.
    var problem: String?
  }

  /// The `*.json` files of a folder, sorted, with their module names (with `only`: just those modules).
  static func moduleFiles(_ folder: String, only: Set<String>? = nil) -> [ModuleFile] {
    let listed: [String]
    if let only {
      // The named modules' files, looked up one by one rather than listing the folder (a listing was most of a
      // one-line check's library time): an entry `NAME.json` is there when lstat finds it, as the listing would
      // have (dangling links included: they are reported below). A name a folder entry cannot have is absent.
      listed = only.map { $0 + ".json" }.filter { name in
        var info = stat()
        return !name.hasPrefix(".") && !name.contains("/") && !name.utf8.contains(0)
          && lstat(folder + "/" + name, &info) == 0
      }
    } else {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
      listed = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
    }
    guard !listed.isEmpty else { return [] }
    let root = FileCheck.realPath(folder) ?? folder
    return listed.sorted().map { name in
      let path = (folder as NSString).appendingPathComponent(name)
      let module = String(name.dropLast(5))
      let status = FileCheck.status(path)
      let stamp = status?.stamp ?? "0:0.0"
      var problem: String?
      // Every link resolved (relative ones and chains too) and only regular files: a FIFO would hang the read.
      let real = FileCheck.realPath(path) ?? path
      if !real.hasPrefix(root + "/") {
        problem = "\(name) is a link to \(real), outside its instrument folder \(root); copy the file instead"
      } else if let why = FileCheck.regularFile(path, inside: folder).problem {
        problem = "\(name): \(why)"
      } else if (status?.size ?? 0) > 1 << 20 {
        problem = "\(name) is larger than 1 MiB; instrument files are small JSON"
      } else if !module.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        || module.isEmpty
      {
        problem = "\(name): module names are letters, digits, '-' and '_'"
      }
      return ModuleFile(module: module, file: name, path: path, stamp: stamp, problem: problem)
    }
  }
}

extension Renderer {
  /// A renderer whose songs can import every module of `path`.
  public init(instruments path: InstrumentSearchPath) { self.init(library: InstrumentLibrary.load(path)) }

  init(library: InstrumentLibrary) {
    self.init(catalog: library.catalog, patches: library.patches)
    instrumentFiles = library.files
    moduleWarnings = library.warnings
  }

  /// Compiles `source` (with `check`'s limits when `settings` is given) against the instruments of `path`,
  /// loading only the modules it imports when that decides everything: the result is the one a renderer of
  /// the whole library gives — a song with any diagnostic, or an import that is not a JSON module, is compiled
  /// again with the whole library — so errors, hints and warnings are unchanged. Returns the renderer used.
  /// With `profile`, loading instruments counts as `library`, the front end as `compile` and `check`'s limits as
  /// `schedule`.
  public static func compiling(
    _ source: SourceFile, instruments path: InstrumentSearchPath, check settings: RenderSettings? = nil,
    profile: RenderProfile? = nil
  ) -> (Renderer, CompiledPattern) {
    // The modules the file's header imports, loaded on this thread while the other parses a large file's first
    // parts: the two no longer wait for each other. Timed as `library`, and not as `compile`, the front end's own.
    let guessed = PatternCompiler.leadingImports(source)
    var early: InstrumentLibrary?? = nil
    var loading = Duration.zero
    let parsed = profile.measure(.compile) {
      PatternCompiler.parse(source) {
        let started = ContinuousClock.now
        early = .some(InstrumentLibrary.load(path, only: guessed))
        loading = ContinuousClock.now - started
      }
    }
    profile?.add(.compile, .zero - loading)
    profile?.add(.library, loading)
    func compile(_ renderer: Renderer) -> CompiledPattern {
      let compiled = profile.measure(.compile) { renderer.compile(parsed) }
      // `check`'s limits are a schedule of the song: timed as one, so `compile` is the front end alone.
      return profile.measure(.schedule) { settings.map { renderer.checkLimits(compiled, settings: $0) } ?? compiled }
    }
    let imports = Set(parsed.file.imports.map(\.module.text))
    // A guess that missed an import (one after a block) is loaded again from the parsed imports.
    let loaded = imports == guessed ? early : nil
    if let lean = loaded ?? profile.measure(.library, { InstrumentLibrary.load(path, only: imports) }) {
      let renderer = Renderer(library: lean)
      let compiled = compile(renderer)
      if compiled.diagnostics.isEmpty { return (renderer, compiled) }
    }
    let renderer = profile.measure(.library) { Renderer(instruments: path) }
    return (renderer, compile(renderer))
  }

  /// Every file a compiled song reads besides its source — the module files and samples of the instruments it
  /// plays — sorted. What an export's up-to-date key must cover.
  public func dependencies(of compiled: CompiledPattern) -> [String] {
    Set(compiled.score.events.map(\.instrument.id)).flatMap { instrumentFiles[$0] ?? [] }.sorted()
  }
}
