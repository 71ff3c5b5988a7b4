// swift-tools-version: 6.1
// A Swift client generated from slowatch's openapi.yaml by apple/swift-openapi-generator, and a program
// that calls every operation of the spec through it against a running slowatch (issue 17, item 6).
// A package of its own, so that `swift build` of slowatch never builds the generator; built and run by
// `make check-clients` (scripts/check-generated-clients.sh).
import PackageDescription

let package = Package(
    name: "slowatch-generated-client",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
    ],
    targets: [
        .executableTarget(
            name: "CallEveryOperation",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        )
    ]
)
