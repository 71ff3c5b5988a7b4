// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer targets, kept out of the root package so that `swift test` there is unaffected.
// Build and run them with scripts/fuzz.sh: `swift build --sanitize=fuzzer --sanitize=address` in this
// folder. Each target's main.swift holds only `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.
let package = Package(
    name: "slowatch-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "slowatch", path: "..")
    ],
    targets: [
        // What every target shares: the invariant check that stops the fuzzer with a message.
        .target(name: "FuzzSupport"),
        // The HTTP request parser, fed in arbitrary read splits.
        .executableTarget(
            name: "FuzzHTTPParser",
            dependencies: ["FuzzSupport", .product(name: "SLOWatchHTTP", package: "slowatch")]
        ),
        // The POST /samples body decoders (JSON and StatsD text), JSON held to JSONSerialization.
        .executableTarget(
            name: "FuzzSamplesBody",
            dependencies: ["FuzzSupport", .product(name: "SLOWatchService", package: "slowatch")]
        ),
        // The POST /v1/metrics decoder (OTLP protobuf and JSON, gzip) and the mapping of its data points.
        .executableTarget(
            name: "FuzzOTLPBody",
            dependencies: ["FuzzSupport", .product(name: "SLOWatchService", package: "slowatch")]
        ),
        // The exact decimal-to-Double fast path, held to strtod_l to the bit.
        .executableTarget(
            name: "FuzzNumberText",
            dependencies: ["FuzzSupport", .product(name: "SLOWatchService", package: "slowatch")]
        ),
        // The configuration file loader (YAML and JSON) and the settings resolver behind it.
        .executableTarget(
            name: "FuzzConfigLoader",
            dependencies: ["FuzzSupport", .product(name: "SLOWatchService", package: "slowatch")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
