// swift-tools-version: 6.1
import PackageDescription

// HTTP clients used only by the root package's tests, kept in a package of their own so that a plain
// `swift build` (and `swift build -c release`, `make`, the Docker build) in the root never compiles them:
// the libcurl client needs libcurl4-openssl-dev's headers, which a machine that only builds slowatch does
// not have. The root package depends on this one with `.package(path:)` and names its products only in
// test targets; SwiftPM builds a dependency's targets only when something being built needs them.
let package = Package(
    name: "slowatch-test-clients",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TestCurlClient", targets: ["TestCurlClient"]),
        .library(name: "TestRawClient", targets: ["TestRawClient"]),
    ],
    targets: [
        // libcurl through pkg-config (apt libcurl4-openssl-dev).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Typed wrappers over curl_easy_setopt and curl_easy_getinfo, which are variadic and so not
        // callable from Swift.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // A blocking libcurl HTTP client: requests, chunked and Expect: 100-continue bodies, streams.
        .target(
            name: "TestCurlClient", dependencies: ["CCurlShim"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        // A blocking raw-socket HTTP client, for exact (and broken) bytes. Needs no libcurl.
        .target(name: "TestRawClient", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
    ],
    swiftLanguageModes: [.v6]
)
