// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Micro-benchmarks of the engine through the public facade (`PatternStudio`), on ordo-one/benchmark:
/// `cd Benchmarks && swift package benchmark`. A separate package so the product's build and CI never build
/// the benchmark framework. The parent package is named by its folder (SwiftPM's identity for a path
/// dependency), whatever the clone is called.
let parent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let identity = parent.lastPathComponent.lowercased()

let package = Package(
  name: "PatternStudioBenchmarks",
  dependencies: [
    .package(path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "PatternBenchmarks",
      dependencies: [
        .product(name: "PatternStudio", package: identity),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/PatternBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
