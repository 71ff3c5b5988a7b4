import Foundation
import Testing

@testable import SLOWatchService

/// The allocation-free SHA-256 behind the dashboard's hashes and the token check, against the published
/// FIPS 180-4 vectors and against coreutils' `sha256sum` at every padding boundary.
@Suite("SHA-256")
struct SHA256Tests {
    /// The digest in lowercase hex.
    private func hex(_ digest: SHA256.Digest) -> String {
        digest.bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test("the FIPS 180-4 examples: empty, one block, two blocks, and a million a's")
    func publishedVectors() {
        let cases: [([UInt8], String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            ),
        ]
        for (message, expected) in cases {
            #expect(hex(SHA256.digest(message)) == expected, "\(message.count) bytes")
        }
    }

    @Test(
        "sha256sum agrees at every length around the padding boundaries",
        .enabled(if: ExternalTool.isInstalled("sha256sum"), ExternalTool.skipReason("sha256sum")))
    func agreesWithSha256sum() throws {
        let lengths = [1, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 121, 127, 128, 129, 4_096, 4_097]
        let folder = try ExternalTool.temporaryFolder("sha256")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        var expected: [String: String] = [:]
        for length in lengths {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = folder.appendingPathComponent("m\(length)").path
            try Data(message).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            expected[path] = hex(SHA256.digest(message))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ExternalTool.path("sha256sum")))
        process.arguments = paths
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var compared = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let path = String(parts[1].drop { $0 == " " || $0 == "*" })
            #expect(expected[path] == String(parts[0]), "\(path)")
            compared += 1
        }
        #expect(compared == lengths.count, "sha256sum printed:\n\(text)")
    }

    @Test("the digest reads a buffer in place, and equal digests compare equal, unequal ones not")
    func inPlaceAndComparison() {
        let message = Array("slowatch".utf8)
        let viaBuffer = message.withUnsafeBytes { SHA256.digest($0) }
        #expect(viaBuffer.isEqualInConstantTime(to: SHA256.digest(message)))
        #expect(!viaBuffer.isEqualInConstantTime(to: SHA256.digest(Array("slowatcH".utf8))))
        #expect(viaBuffer.bytes.count == 32)
    }
}
