import Foundation
import PatternEngine
import PatternLanguage

/// The sample-library modules of a folder: every SoundFont (`STEM.sf2`: one module per preset,
/// `STEM#PROGRAM` or `STEM#BANK:PROGRAM`) and every SFZ instrument (`NAME.sfz`, or a folder `NAME/` holding
/// exactly one `.sfz`).
enum SampledModules {
  struct Entry {
    enum Kind { case soundFont, sfz }
    var kind: Kind
    /// The module name (SFZ) or the font's stem (SF2).
    var name: String
    var path: String
    var stamp: String
  }

  /// The `.sf2` and `.sfz` entries of `folder`, sorted by name.
  static func files(_ folder: String) -> [Entry] {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
    var entries: [Entry] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = (folder as NSString).appendingPathComponent(name)
      let ext = (name as NSString).pathExtension.lowercased()
      let stem = (name as NSString).deletingPathExtension
      var isFolder: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
      if isFolder.boolValue {
        // A folder holding exactly one .sfz is that instrument (sample libraries ship this way).
        let inner = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter {
          ($0 as NSString).pathExtension.lowercased() == "sfz"
        }
        if inner.count == 1 {
          let sfz = (path as NSString).appendingPathComponent(inner[0])
          entries.append(Entry(kind: .sfz, name: name, path: sfz, stamp: FileCheck.stamp(sfz)))
        }
      } else if ext == "sf2" || ext == "sf3" {
        entries.append(Entry(kind: .soundFont, name: stem, path: path, stamp: FileCheck.stamp(path)))
      } else if ext == "sfz" {
        entries.append(Entry(kind: .sfz, name: stem, path: path, stamp: FileCheck.stamp(path)))
      }
    }
    return entries
  }

  /// Adds the entry's modules to `library` (first name wins; unusable ones keep their reason).
  static func add(
    _ entry: Entry, to library: inout InstrumentLibrary,
    modules: inout [(name: String, instrument: InstrumentDescriptor)],
    unavailable: inout [(name: String, reason: String)], seen: inout Set<String>
  ) {
    switch entry.kind {
    case .sfz:
      guard seen.insert(entry.name).inserted else { return }
      do {
        let (descriptor, patch, warnings) = try SFZFile.load(path: entry.path, module: entry.name)
        modules.append((entry.name, descriptor))
        library.patches[descriptor.id] = patch
        library.sources[entry.name] = entry.path
        library.files[descriptor.id] =
          [entry.path] + InstrumentLibrary.sampleBuffers(patch).compactMap(\.origin)
        if !warnings.isEmpty { library.warnings[entry.name] = warnings }
      } catch {
        unavailable.append((entry.name, "\(error)"))
      }
    case .soundFont:
      let instruments: [(name: String, descriptor: InstrumentDescriptor, patch: Patch)]
      do { instruments = try SoundFontFile.instruments(path: entry.path, stamp: entry.stamp) } catch {
        // The font's presets cannot be named without its headers: the stem stands for them.
        if seen.insert(entry.name).inserted { unavailable.append((entry.name, "\(error)")) }
        return
      }
      for (name, descriptor, patch) in instruments where seen.insert(name).inserted {
        modules.append((name, descriptor))
        library.patches[descriptor.id] = patch
        library.sources[name] = entry.path
        library.files[descriptor.id] = [entry.path]
      }
    }
  }
}
