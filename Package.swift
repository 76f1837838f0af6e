// swift-tools-version: 6.1
import PackageDescription

/// Settings every Pattern Studio target shares: `any` spelled out, and every module a file uses imported
/// and declared below (no member reaches a file through another file's import).
let commonSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// For the modules whose work is per sample or per character (the front end, the readers, the render
/// pipeline, files): optimised in debug builds too, so the test suite, its end-to-end runs and the bounded fuzz
/// run on the one debug build at close to release speed. They contain no `assert` (which -O would drop);
/// preconditions and overflow traps stay. Tests still see internals: SwiftPM builds debug with -enable-testing.
let optimisedSettings = commonSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "PatternStudio",
  products: [
    .executable(name: "pstudio", targets: ["pstudio"]),
    .library(name: "PatternStudio", targets: ["PatternStudio"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // No default traits: the server needs neither swift-configuration nor full Foundation (a shorter build).
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    // Named because the server uses their types directly (Hummingbird brings them in anyway).
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
  ],
  targets: [
    .target(
      name: "PatternLanguage",
      exclude: ["README.md"],
      swiftSettings: optimisedSettings,
      // rounding (`rounded()`) lowers to libm's exact floor/rint on x86-64 without SSE4.1
      linkerSettings: [.linkedLibrary("m")]
    ),
    .target(
      name: "PatternEngine",
      dependencies: ["PatternLanguage"],
      exclude: ["README.md"],
      // The render loop and the effects: the test suite renders whole songs with reverbs and oversampled drive,
      // which unoptimised SIMD code runs ~50× slower.
      swiftSettings: optimisedSettings
    ),
    .target(
      name: "PatternMIDI",
      dependencies: ["PatternLanguage"],
      exclude: ["README.md"],
      swiftSettings: optimisedSettings
    ),
    .systemLibrary(
      name: "CSndFile",
      pkgConfig: "sndfile",
      providers: [.apt(["libsndfile1-dev"])]
    ),
    .systemLibrary(
      name: "CSampleRate",
      pkgConfig: "samplerate",
      providers: [.apt(["libsamplerate0-dev"])]
    ),
    .systemLibrary(
      name: "CEBUR128",
      pkgConfig: "libebur128",
      providers: [.apt(["libebur128-dev"])]
    ),
    .target(
      name: "PatternAudioIO",
      dependencies: ["CSndFile"],
      exclude: ["README.md"],
      swiftSettings: optimisedSettings
    ),
    // SoundFont 2 and SFZ readers: bytes and text in, neutral sampler regions out (no engine types), so they
    // are fuzzed on their own.
    .target(
      name: "PatternSamplerFormats",
      exclude: ["README.md"],
      swiftSettings: optimisedSettings
    ),
    .target(
      name: "PatternStudio",
      dependencies: [
        "PatternLanguage", "PatternEngine", "PatternAudioIO", "PatternMIDI", "PatternSamplerFormats", "CSampleRate",
        "CEBUR128",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"],
      swiftSettings: optimisedSettings
    ),
    .target(
      name: "PatternServer",
      dependencies: [
        "PatternStudio", "PatternLanguage", "PatternAudioIO",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      exclude: ["README.md"],
      swiftSettings: commonSettings
    ),
    .executableTarget(
      name: "pstudio",
      dependencies: [
        "PatternStudio", "PatternServer", "PatternLanguage", "PatternAudioIO", "PatternMIDI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"],
      swiftSettings: commonSettings
    ),
    // Grammar-aware fuzzing: the song generator (also used by the tests) and the driver Scripts/fuzz runs.
    .target(
      name: "PatternFuzzKit",
      swiftSettings: commonSettings
    ),
    .executableTarget(
      name: "pstudio-fuzz",
      dependencies: [
        "PatternFuzzKit", "PatternStudio", "PatternLanguage", "PatternAudioIO", "PatternSamplerFormats", "PatternMIDI",
      ],
      swiftSettings: commonSettings
    ),
    .executableTarget(
      name: "PatternFuzz",
      dependencies: ["PatternLanguage"],
      path: "Sources/PatternFuzz",
      exclude: ["README.md"],
      swiftSettings: commonSettings
    ),
    // Every test target shares TestSupport: snapshots with a record switch, scratch folders, process and tool
    // runners (off the cooperative pool), score builders.
    .target(
      name: "TestSupport",
      dependencies: ["PatternLanguage"],
      path: "Tests/TestSupport",
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternLanguageTests",
      dependencies: ["PatternLanguage", "PatternFuzzKit", "TestSupport"],
      exclude: ["Snapshots", "SeedCorpus"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternEngineTests",
      dependencies: ["PatternEngine", "PatternLanguage", "TestSupport"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternAudioIOTests",
      dependencies: ["PatternAudioIO", "TestSupport"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternSamplerFormatsTests",
      dependencies: ["PatternSamplerFormats", "PatternFuzzKit", "TestSupport"],
      exclude: ["Fixtures"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternMIDITests",
      dependencies: ["PatternMIDI", "PatternLanguage", "PatternFuzzKit", "TestSupport"],
      exclude: ["Snapshots"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternStudioTests",
      dependencies: [
        "PatternStudio", "PatternEngine", "PatternLanguage", "PatternAudioIO", "PatternMIDI", "PatternFuzzKit",
        "pstudio",
        "TestSupport",
      ],
      exclude: ["Snapshots"],
      swiftSettings: commonSettings
    ),
    .testTarget(
      name: "PatternServerTests",
      dependencies: [
        "PatternServer", "PatternStudio", "PatternLanguage", "PatternAudioIO", "PatternMIDI", "pstudio", "TestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      swiftSettings: commonSettings
    ),
  ]
)
