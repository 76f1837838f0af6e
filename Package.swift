// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Settings every Pattern Studio target shares: `any` spelled out, and every module a file uses imported
/// and declared below (no member reaches a file through another file's import).
let commonSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// Release builds are tuned to the CPU that builds them: pstudio is built from source where it runs (the
/// README's commands, `Scripts/install`), so it may use the vectors that CPU has — AVX-512 (`skylake-avx512`:
/// F, CD, BW, DQ, VL, which Intel since Skylake-SP and AMD since Zen 4 have) or AVX2 + FMA (`haswell`). Swift
/// never contracts a·b + c into a fused multiply-add, so the audio is bit-identical to a portable build
/// (`Scripts/bench` checks); measured on this project's CI machine: W1 0.20 → 0.16 s, W2 0.38 → 0.27 s,
/// W3 2.74 → 2.34 s (with the Swift runtime linked statically as well). `PSTUDIO_PORTABLE=1` builds for any x86-64.
let hostTuning: [SwiftSetting] = {
  #if arch(x86_64) && os(Linux)
    let environment = ProcessInfo.processInfo.environment
    guard environment["PSTUDIO_PORTABLE"] == nil,
      let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let flags = Set(line.split(separator: " ").map(String.init))
    let haswell = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"].allSatisfy(flags.contains)
    let skylakeAVX512 =
      haswell && ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    guard let cpu = skylakeAVX512 ? "skylake-avx512" : haswell ? "haswell" : nil else { return [] }
    return [.unsafeFlags(["-target-cpu", cpu], .when(configuration: .release))]
  #else
    return []
  #endif
}()

/// For the modules whose work is per sample or per character (the front end, the readers, the render
/// pipeline, files): optimised in debug builds too, so the test suite, its end-to-end runs and the bounded fuzz
/// run on the one debug build at close to release speed. They contain no `assert` (which -O would drop);
/// preconditions and overflow traps stay. Tests still see internals: SwiftPM builds debug with -enable-testing.
let optimisedSettings = commonSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))] + hostTuning

/// gold (the Swift driver's linker on Linux) writes the executable with `write`, not through `mmap`: the file
/// the linker wrote then starts as fast as a copy of it (a one-line `check` 2.9 → 1.8 ms; with `mmap` the same
/// bytes page-faulted slower). GNU ld has no such option, so it is passed only where gold is installed.
let writesWithoutMmap: [String] =
  FileManager.default.isExecutableFile(atPath: "/usr/bin/ld.gold") ? ["-Xlinker", "--no-mmap-output-file"] : []

/// Release link settings of both executables.
/// The Swift runtime and Foundation linked in: no dynamic symbol lookups at start-up. And none of the
/// executable's own ~37,000 symbols exported (the static stdlib's link flags export them): the dynamic table the
/// loader hashes and the runtime's `dladdr` scans on every start shrinks to ~600 entries, and a one-line `check`
/// starts ~1.2 ms sooner (5.2 → 4.0 ms, measured alternating). Nothing loads code that links back into pstudio.
/// Not position-independent: a PIE this size carries ~130,000 relative relocations (Swift metadata's absolute
/// pointers) that the loader applies at every start, dirtying ~350 pages; without them a one-line `check` takes
/// 4.2 ms instead of 5.6 (page faults 920 → 572, measured alternating). The shared libraries, stack and heap
/// are still placed at random; only the executable's own image is not.
/// The C++ runtime (which the Swift runtime and ICU use) and libgcc linked in too: loading and relocating
/// `libstdc++.so` cost ~0.5 ms of every start (a C++ hello world starts in 1.1 ms against C's 0.6).
/// `Scripts/link/libstdc++.so` is a linker script that names the static archive; the linker searches that folder
/// first, so the `-lstdc++` the static stdlib's flags add finds the archive, whatever the GCC version.
let releaseLinkerSettings: [LinkerSetting] = [
  .unsafeFlags(
    [
      "-static-stdlib", "-Xlinker", "--start-group", "-lFoundation", "-lCoreFoundation", "-lFoundationEssentials",
      "-lFoundationInternationalization", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections",
      "-lstdc++",
      "-Xlinker", "--end-group", "-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie",
      "-L", Context.packageDirectory + "/Scripts/link", "-Xclang-linker", "-static-libgcc",
    ] + writesWithoutMmap, .when(configuration: .release))
]

let package = Package(
  name: "PatternStudio",
  products: [
    .executable(name: "pstudio", targets: ["pstudio"]),
    .executable(name: "pstudio-server", targets: ["pstudio-server"]),
    // The facade and the front end's types it takes and returns (SourceFile, CompiledPattern): what the
    // Benchmarks/ package (and any embedding app) builds on.
    .library(name: "PatternStudio", targets: ["PatternStudio", "PatternLanguage"]),
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
    // Accounts (bcrypt, authenticator middleware) and live updates (WebSocket) for `serve --auth`.
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    // The tests' WebSocket client.
    .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
  ],
  targets: [
    .target(
      name: "PatternLanguage",
      dependencies: ["CByteScan"],
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
    // The three C libraries are headers only here: each is loaded on first use (Sources/CSndFile/lazy_library.h),
    // not at every start-up.
    .systemLibrary(
      name: "CSndFile",
      providers: [.apt(["libsndfile1-dev"])]
    ),
    .systemLibrary(
      name: "CSampleRate",
      providers: [.apt(["libsamplerate0-dev"])]
    ),
    .systemLibrary(
      name: "CEBUR128",
      providers: [.apt(["libebur128-dev"])]
    ),
    // A copy with non-temporal stores, header only (Swift has none of its own): `DirectFile`'s buffers.
    .systemLibrary(name: "CStreamCopy"),
    .systemLibrary(name: "CByteScan"),
    .target(
      name: "PatternAudioIO",
      dependencies: ["CSndFile", "CStreamCopy"],
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
        .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"],
      swiftSettings: commonSettings
    ),
    // What pstudio and pstudio-server share: --instruments, exit codes, stderr.
    .target(
      name: "PStudioCLI",
      dependencies: ["PatternStudio", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      exclude: ["README.md"],
      swiftSettings: commonSettings
    ),
    // The server (serve, users, its workers) in an executable of its own, which `pstudio serve` runs: the other
    // commands start without NIO, Hummingbird, GRDB and SQLite in the binary (a one-line check 2.33 → 2.03 ms).
    .executableTarget(
      name: "pstudio-server",
      dependencies: [
        "PStudioCLI", "PatternServer", "PatternStudio", "PatternAudioIO",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"],
      swiftSettings: commonSettings,
      linkerSettings: releaseLinkerSettings
    ),
    .executableTarget(
      name: "pstudio",
      dependencies: [
        "PStudioCLI", "PatternStudio", "PatternLanguage", "PatternEngine", "PatternAudioIO", "PatternMIDI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"],
      swiftSettings: commonSettings,
      linkerSettings: releaseLinkerSettings
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
        "pstudio", "CEBUR128",
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
        .product(name: "WSClient", package: "swift-websocket"),
      ],
      swiftSettings: commonSettings
    ),
  ]
)
