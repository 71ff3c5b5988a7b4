import Dispatch
import Foundation
import SLOWatchSync
import TestCurlClient
import Testing

/// More than 1 GiB of samples survive a graceful restart, and the shutdown takes at most 10 s.
///
/// Heavy (1.28 GB of samples posted, journaled and replayed, about 3 GB of RAM), so it runs only with
/// `SLOWATCH_LARGE_SNAPSHOT_TEST=1`; `SLOWATCH_LARGE_TEST_BINARY` may name a release build (the debug
/// one posts far slower).
@Suite("Large data across a restart")
struct LargeSnapshotTests {
    static let environment = ProcessInfo.processInfo.environment
    static let metrics = 8
    static let capacity = 10_000_000
    static let batch = 10_000

    @Test(
        "8 metrics x 10M samples (1.28 GB): SIGTERM exits within 10 s and a restart has every sample",
        .enabled(if: environment["SLOWATCH_LARGE_SNAPSHOT_TEST"] == "1", "set SLOWATCH_LARGE_SNAPSHOT_TEST=1")
    )
    func largeRestart() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binary = Self.environment["SLOWATCH_LARGE_TEST_BINARY"]
        let arguments = [
            "--port", "0", "--data-dir", directory, "--capacity", String(Self.capacity), "--check-interval",
            "1h",
            "--snapshot-interval", "20s",
            // 1.28 GB of rings and 160 MB of scratch, beside the history's 1 GiB and the streams' 64 MiB.
            "--memory-limit", "3GiB",
        ]
        let first = try SlowatchProcess(arguments, executablePath: binary)
        defer { first.kill() }
        let port = try #require(first.boundPort(), "\(first.standardError)")
        let posted = Date()
        let failures = PThreadLock(0)
        let writers = DispatchGroup()
        for writer in 0..<2 {
            DispatchQueue.global().async(group: writers) {
                guard let client = try? CurlClient(timeoutMilliseconds: 60_000) else {
                    return failures.withLock { $0 += 1 }
                }
                for metric in stride(from: writer, to: Self.metrics, by: 2) {
                    for start in stride(from: 0, to: Self.capacity, by: Self.batch) {
                        let samples = (start..<(start + Self.batch)).map {
                            #"{"metric":"big\#(metric)","value":\#($0)}"#
                        }
                        let body = Array(#"{"samples":[\#(samples.joined(separator: ","))]}"#.utf8)
                        let response = try? client.post(
                            "http://127.0.0.1:\(port)/samples", body: body,
                            headers: [("Content-Type", "application/json")])
                        if response?.status != 200 { failures.withLock { $0 += 1 } }
                    }
                }
            }
        }
        writers.wait()
        let postSeconds = Date().timeIntervalSince(posted)
        #expect(failures.withLock { $0 } == 0)
        let paths = (0..<Self.metrics).flatMap {
            ["/metrics/big\($0)", "/metrics/big\($0)/percentiles", "/metrics/big\($0)/samples?limit=10000"]
        }
        let client = try CurlClient(timeoutMilliseconds: 60_000)
        let before = try paths.map { try client.get("http://127.0.0.1:\(port)\($0)").body }
        #expect(String(decoding: before[0], as: UTF8.self).contains(#""count":10000000"#))

        let stopping = Date()
        first.send(SIGTERM)
        #expect(first.waitForExit(timeout: 30) == 0, "\(first.standardError)")
        let stopSeconds = Date().timeIntervalSince(stopping)
        #expect(stopSeconds <= 10, "the shutdown took \(stopSeconds) s")

        let starting = Date()
        let second = try SlowatchProcess(arguments, executablePath: binary)
        defer { second.kill() }
        let restartedPort = try #require(second.boundPort(timeout: 600), "\(second.standardError)")
        let startSeconds = Date().timeIntervalSince(starting)
        for (path, answer) in zip(paths, before) {
            let restarted = try client.get("http://127.0.0.1:\(restartedPort)\(path)").body
            #expect(Self.withoutHistoryBytes(restarted) == Self.withoutHistoryBytes(answer), "\(path)")
        }
        print(
            "large restart: posted 80M samples in \(postSeconds) s, SIGTERM took \(stopSeconds) s, restart \(startSeconds) s"
        )
        second.send(SIGTERM)
        #expect(second.waitForExit(timeout: 30) == 0)
    }

    /// `body` with the value of `"bytes"` (a metric's history member: the memory its slices take,
    /// which depends on how its arrays grew, not on what they hold) replaced by `*`.
    static func withoutHistoryBytes(_ body: [UInt8]) -> String {
        let text = String(decoding: body, as: UTF8.self)
        guard let key = text.range(of: #""bytes":"#) else { return text }
        let digits = text[key.upperBound...].prefix { $0.isNumber }
        return text.replacingCharacters(in: key.upperBound..<digits.endIndex, with: "*")
    }
}
