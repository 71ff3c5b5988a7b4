// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// swift-docc-plugin (`swift package generate-documentation`) only when `make docs` asks for it
/// (`SLOWATCH_DOCC=1`): the product and test builds, and a newcomer's fresh clone, neither fetch nor
/// resolve it.
let documentationDependencies: [Package.Dependency] =
    Context.environment["SLOWATCH_DOCC"] == "1"
    ? [.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0")] : []

let package = Package(
    name: "slowatch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SLOWatchCore", targets: ["SLOWatchCore"]),
        .library(name: "SLOWatchCoreTesting", targets: ["SLOWatchCoreTesting"]),
        .library(name: "SLOWatchMetrics", targets: ["SLOWatchMetrics"]),
        .library(name: "SLOWatchHTTP", targets: ["SLOWatchHTTP"]),
        .library(name: "SLOWatchService", targets: ["SLOWatchService"]),
        .library(name: "SLOWatchHTTPTesting", targets: ["SLOWatchHTTPTesting"]),
        .executable(name: "slowatch", targets: ["slowatch"]),
        .executable(name: "slowatch-bench", targets: ["slowatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Protobuf coding for the Prometheus exposition and OTLP (generated code in SLOWatchProtobuf).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Test-only HTTP clients (libcurl, raw sockets), in a nested package so that `swift build` never
        // compiles them and needs no libcurl headers. Only test targets name its products.
        .package(name: "slowatch-test-clients", path: "Tests/Support/TestClients"),
    ] + documentationDependencies,
    targets: [
        // Locks shared by the core and the HTTP server (no I/O, no dependencies).
        .target(name: "SLOWatchSync", swiftSettings: strict),

        // The domain: registry, ring buffers, percentiles, SLOs, monitor, event bus. No I/O; it logs
        // only through the swift-log Logger it is given.
        .target(
            name: "SLOWatchCore",
            dependencies: ["SLOWatchSync", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Test support for apps that embed the core: a manual clock and bus/monitor helpers.
        .target(
            name: "SLOWatchCoreTesting",
            dependencies: ["SLOWatchCore", "SLOWatchSync", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // A swift-metrics backend: an app's Timer and Recorder values land in a MetricsRegistry.
        .target(
            name: "SLOWatchMetrics",
            dependencies: [
                "SLOWatchCore", "SLOWatchSync",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // C shim exposing epoll and eventfd, which Glibc does not export.
        .target(name: "CEpoll"),

        // C shim exposing strtod_l in the POSIX locale, which Glibc does not export.
        .target(name: "CNumberText"),

        // C shim over the system zlib (zlib1g-dev): gzip deflate of a buffer, and gzip inflate that stops at
        // a hard output limit.
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),

        // Sockets, addresses, the epoll event loop (timers, mailbox), loop threads and a pool for
        // blocking work. Knows no protocol: HTTP and StatsD run on it.
        .target(name: "SLOWatchPOSIX", dependencies: ["CEpoll", "SLOWatchSync"], swiftSettings: strict),

        // HTTP/1.1 on the POSIX layer. Knows nothing about metrics.
        .target(
            name: "SLOWatchHTTP", dependencies: ["SLOWatchPOSIX", "SLOWatchSync", "CZlib"],
            swiftSettings: strict),

        // In-process testing of routes: HTTPTestClient calls an HTTPRouter as a connection would, without a
        // socket (as Hummingbird's HummingbirdTesting does). Needs nothing beyond SLOWatchHTTP.
        .target(name: "SLOWatchHTTPTesting", dependencies: ["SLOWatchHTTP"], swiftSettings: strict),

        // Generated protobuf messages (`make generate` from Protos/): Prometheus's io.prometheus.client
        // MetricFamily and OpenTelemetry's OTLP metrics. Package visibility: nothing protobuf leaves the
        // package, and Core never imports it.
        .target(
            name: "SLOWatchProtobuf",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict
        ),

        // The service: routes, JSON coding, configuration, and monitor → bus → SSE. The only module
        // that imports both SLOWatchCore and SLOWatchHTTP.
        .target(
            name: "SLOWatchService",
            dependencies: [
                "SLOWatchCore", "SLOWatchHTTP", "SLOWatchPOSIX", "SLOWatchSync", "CNumberText",
                "SLOWatchProtobuf",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            // openapi.yaml (a link to the file at the root) is compiled into the binary as bytes, so the
            // service serves its spec wherever it runs, and the served copy can never drift from the file.
            // dashboard.html (the page at GET /) is embedded the same way, so it works offline.
            resources: [.embedInCode("Resources/openapi.yaml"), .embedInCode("Resources/dashboard.html")],
            swiftSettings: strict
        ),

        // The thin executable: arguments, configuration, signals.
        .executableTarget(
            name: "slowatch",
            dependencies: [
                "SLOWatchService", "SLOWatchCore", "SLOWatchHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "slowatch-bench",
            dependencies: ["SLOWatchCore", "SLOWatchService", "SLOWatchSync", "SeededRandom"],
            swiftSettings: strict),

        // A seeded generator for property tests and benchmarks, so every run sees the same data.
        .target(name: "SeededRandom", swiftSettings: strict),

        // A transport-only server (204 on POST /samples) for comparing SLOWatchHTTP with nginx.
        .executableTarget(name: "http-bench-server", dependencies: ["SLOWatchHTTP"], swiftSettings: strict),

        // The SSE fan-out load client (run by Benchmarks/sse-fanout.sh): raw sockets on epoll, one thread.
        .executableTarget(
            name: "sse-fanout", dependencies: ["CEpoll", "SLOWatchCore"], path: "Benchmarks/SSEFanout",
            swiftSettings: strict),

        // The open-loop load generator (run by Benchmarks/harness/latency.sh, `make bench-latency`): a fixed
        // request rate over keep-alive connections, latency from each intended send time, an HDR-style
        // histogram. One thread on epoll and a timerfd (CLoadTimer, which Glibc does not export).
        .target(name: "CLoadTimer", path: "Benchmarks/LoadGenerator/CLoadTimer"),
        .target(
            name: "LoadGeneratorKit", dependencies: ["CEpoll", "CLoadTimer", "SeededRandom"],
            path: "Benchmarks/LoadGenerator/Kit", swiftSettings: strict),
        .executableTarget(
            name: "load-generator", dependencies: ["LoadGeneratorKit"], path: "Benchmarks/LoadGenerator/Main",
            swiftSettings: strict),

        .testTarget(
            name: "SLOWatchCoreTests",
            dependencies: [
                "SLOWatchCore", "SLOWatchCoreTesting", "SLOWatchMetrics", "SLOWatchSync", "SeededRandom",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "LoadGeneratorTests", dependencies: ["LoadGeneratorKit"], swiftSettings: strict),
        .testTarget(
            name: "SLOWatchPOSIXTests", dependencies: ["SLOWatchPOSIX", "SLOWatchSync"], swiftSettings: strict
        ),
        .testTarget(
            name: "SLOWatchHTTPTests",
            dependencies: [
                "SLOWatchHTTP", "SLOWatchHTTPTesting", "SLOWatchSync", "SeededRandom",
                .product(name: "TestCurlClient", package: "slowatch-test-clients"),
                .product(name: "TestRawClient", package: "slowatch-test-clients"),
            ],
            swiftSettings: strict
        ),
        // Tests of the service: routes in process and over real sockets, decoders, configuration, streams.
        .testTarget(
            name: "SLOWatchServiceTests",
            dependencies: [
                "SLOWatchService", "SLOWatchCore", "SLOWatchCoreTesting", "SLOWatchHTTP",
                "SLOWatchHTTPTesting",
                "SLOWatchPOSIX", "SLOWatchSync", "SeededRandom", "slowatch", "SLOWatchProtobuf",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "TestCurlClient", package: "slowatch-test-clients"),
                .product(name: "TestRawClient", package: "slowatch-test-clients"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Tests that drive the `slowatch` binary (which the dependency on the executable target builds) or an
        // external program: Chromium, Prometheus, promtool, Alertmanager, the Docker build command; the
        // hostile-input suite sends its catalogue (Fixtures/hostile) to the binary. The
        // helpers they share with SLOWatchServiceTests (TestService, SlowatchProcess, ExternalTool, …) are
        // symbolic links in Support/ to that target's files, since a test target cannot import another.
        .testTarget(
            name: "SLOWatchIntegrationTests",
            dependencies: [
                "SLOWatchService", "SLOWatchCore", "SLOWatchCoreTesting", "SLOWatchSync", "slowatch",
                .product(name: "TestCurlClient", package: "slowatch-test-clients"),
                .product(name: "TestRawClient", package: "slowatch-test-clients"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The hostile-input catalogues are read from the source tree, not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
