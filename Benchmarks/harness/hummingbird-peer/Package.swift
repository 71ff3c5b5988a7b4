// swift-tools-version:6.0
// The Hummingbird peer of slowatch's HTTP benchmark kit (Benchmarks/harness). It is a package of its own
// so that Hummingbird never enters the root Package.swift; build it with
//   swift build -c release --scratch-path /tmp/slowatch-bench-hummingbird-peer
import PackageDescription

let package = Package(
    name: "hummingbird-peer",
    platforms: [.macOS(.v15)],
    dependencies: [
        // 2.28.1 is the version in this machine's package mirror.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird")
            ]
        )
    ]
)
