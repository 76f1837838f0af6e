import Foundation

/// Gathers an album's units from shard folders (`shard.json` + `units/`) and unit folders (`--unit`, just
/// `units/`) for `--merge`, checking that every shard of the plan is there exactly once with the plan's hash,
/// that the album folder's songs still match it, and that every file is intact. Each problem is named.
struct AlbumMerge {
  var plan: AlbumUnitPlan

  /// Per unit, its record and folder (nil where a problem stops it), and the problems found, in order.
  func collect(_ folders: [String]) -> (inputs: [AlbumFinisher.Input], problems: [String]) {
    var problems: [String] = []
    var shards: [(folder: String, manifest: AlbumShardManifest)] = []
    var unitFolders: [String] = []
    for folder in folders {
      let manifestPath = (folder as NSString).appendingPathComponent(AlbumShardManifest.fileName)
      if let data = FileManager.default.contents(atPath: manifestPath) {
        guard let manifest = try? JSONDecoder().decode(AlbumShardManifest.self, from: data) else {
          problems.append("\(manifestPath): not a shard manifest (was it written by pstudio album --shard?)")
          continue
        }
        shards.append((folder, manifest))
      } else if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("units")) {
        unitFolders.append(folder)
      } else {
        problems.append("\(folder): no shard.json or units/ folder: not the output of --shard or --unit")
      }
    }
    // Which folder holds each unit, by the shards' own lists (checked against the plan below).
    var holder = [String: [String]]()
    if let count = shards.first?.manifest.shardCount {
      if shards.contains(where: { $0.manifest.shardCount != count }) {
        let counts = shards.map { "\($0.folder): \($0.manifest.shardCount)" }.joined(separator: ", ")
        problems.append("the shards are of different splits (shard counts \(counts))")
      }
      var seen = [Int: String]()
      for (folder, m) in shards {
        let name = "shard \(m.shardIndex + 1)/\(m.shardCount)"
        if let other = seen[m.shardIndex] {
          problems.append("\(name) is given twice: \(other) and \(folder)")
          continue
        }
        seen[m.shardIndex] = folder
        guard m.planHash == plan.planHash else {
          problems.append(stale(name, folder: folder, manifest: m))
          continue
        }
        let assigned = m.strategy.assign(plan.units, count: m.shardCount)
        let expected = plan.units.indices.filter { assigned[$0] == m.shardIndex }.map { plan.units[$0].unitId }
        guard expected == m.units else {
          problems.append("\(folder)/shard.json lists other units than the plan gives \(name): it was changed")
          continue
        }
        for id in m.units where holder[id]?.contains(folder) != true { holder[id, default: []].append(folder) }
      }
      for index in 0..<count where seen[index] == nil {
        problems.append("shard \(index + 1)/\(count) is missing: merge needs every shard of the plan")
      }
    }
    for folder in unitFolders {
      for unit in plan.units where FileManager.default.fileExists(atPath: record(folder, unit.unitId)) {
        if holder[unit.unitId]?.contains(folder) == true { continue }
        holder[unit.unitId, default: []].append(folder)
      }
      problems += staleUnits(in: folder)
    }
    var inputs: [AlbumFinisher.Input] = []
    for unit in plan.units {
      let holders = holder[unit.unitId] ?? []
      guard holders.count <= 1 else {
        problems.append(
          "\(unit.song) (unit \(unit.unitId.prefix(12))) is in more than one folder: \(holders.joined(separator: ", "))"
        )
        inputs.append(AlbumFinisher.Input())
        continue
      }
      guard let folder = holders.first else {
        // A missing or stale shard already said why; a unit folder merge says it here.
        if shards.isEmpty { problems.append("\(unit.song) (unit \(unit.unitId.prefix(12))) is in none of the folders") }
        inputs.append(AlbumFinisher.Input())
        continue
      }
      switch check(unit, in: folder) {
      case .success(let r): inputs.append(AlbumFinisher.Input(record: r, folder: folder))
      case .failure(let problem):
        problems.append(problem.description)
        inputs.append(AlbumFinisher.Input())
      }
    }
    return (inputs, problems)
  }

  private func record(_ folder: String, _ id: String) -> String {
    (folder as NSString).appendingPathComponent(AlbumUnitRecord.paths(id).record)
  }

  /// A unit's record in `folder`, if it is there, names the unit and its audio file is intact.
  private func check(_ unit: AlbumUnit, in folder: String) -> Result<AlbumUnitRecord, AlbumMergeError> {
    let path = record(folder, unit.unitId)
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(AlbumMergeError("\(path) is missing: \(unit.song)'s unit was not rendered (or was deleted)"))
    }
    guard let r = try? JSONDecoder().decode(AlbumUnitRecord.self, from: data), r.unitId == unit.unitId else {
      return .failure(AlbumMergeError("\(path) is damaged or was changed: it is not \(unit.song)'s unit record"))
    }
    if let file = r.file {
      let audio = (folder as NSString).appendingPathComponent(file)
      guard let sha = try? AlbumUnitRenderer.sha256(ofFile: audio) else {
        return .failure(AlbumMergeError("\(audio) is missing: \(unit.song)'s unit has no audio"))
      }
      guard sha == r.sha256 else {
        return .failure(
          AlbumMergeError(
            "\(audio) is damaged or was changed: its SHA-256 is \(sha.prefix(12))…, the unit recorded \((r.sha256 ?? "").prefix(12))…"
          ))
      }
    }
    for stem in r.stems ?? [] where !FileManager.default.fileExists(atPath: "\(folder)/\(stem)") {
      return .failure(AlbumMergeError("\(folder)/\(stem) is missing: \(unit.song)'s stems are incomplete"))
    }
    return .success(r)
  }

  /// Why a shard's plan hash is not the plan's: the songs it holds that changed since, or the settings.
  private func stale(_ name: String, folder: String, manifest: AlbumShardManifest) -> String {
    let now = Set(plan.units.map(\.unitId))
    let changed = manifest.units.filter { !now.contains($0) }.compactMap { id -> String? in
      guard let data = FileManager.default.contents(atPath: record(folder, id)),
        let r = try? JSONDecoder().decode(AlbumUnitRecord.self, from: data)
      else { return nil }
      return r.song
    }
    if !changed.isEmpty {
      return "\(name) (\(folder)) is stale: \(changed.joined(separator: ", ")) changed since it was rendered; "
        + "render that shard again"
    }
    return
      "\(name) (\(folder)) is stale: it was planned from other songs or settings (plan \(manifest.planHash.prefix(12))…, "
      + "now \(plan.planHash.prefix(12))…); plan, render and merge with the same options"
  }

  /// Unit records in a `--unit` folder for a song whose unit is now another: that song changed since.
  private func staleUnits(in folder: String) -> [String] {
    let units = (folder as NSString).appendingPathComponent("units")
    let now = Dictionary(plan.units.map { ($0.song, $0.unitId) }, uniquingKeysWith: { a, _ in a })
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: units)) ?? []).filter { $0.hasSuffix(".json") }
    return names.sorted().compactMap { name in
      guard let data = FileManager.default.contents(atPath: "\(units)/\(name)"),
        let r = try? JSONDecoder().decode(AlbumUnitRecord.self, from: data), let id = now[r.song], id != r.unitId
      else { return nil }
      return "\(folder)/units/\(name) is stale: \(r.song) changed since its unit was rendered"
    }
  }
}

/// A merge that cannot be done, or one problem of it: which shard, unit or file, and what is wrong.
public struct AlbumMergeError: Error, CustomStringConvertible, Sendable {
  public var description: String
  init(_ description: String) { self.description = description }
}
