import Dispatch
import Foundation
import TestRawClient

/// A well-behaved client that keeps asking a server for `GET /hello` on fresh connections while a test
/// attacks the server, recording how long each exchange took, so the test can assert the server kept
/// serving (every request answered) and how fast (the p99).
///
/// It runs on a thread of its own from `init` until ``finish()``, one request every `pauseMicroseconds`,
/// each bounded by the raw client's 2 s read timeout, and at most `maxRequests` requests.
final class LatencyProbe: Sendable {
    /// What the probe thread shares with the test.
    private struct State: Sendable {
        var latenciesMilliseconds: [Double] = []
        var failures: [String] = []
        var stopRequested = false
    }

    private let state = Locked(State())
    private let done = DispatchSemaphore(value: 0)

    /// Starts probing 127.0.0.1:`port`.
    init(port: Int, pauseMicroseconds: UInt32 = 20_000, maxRequests: Int = 5_000) {
        Thread.detachNewThread { [state, done] in
            defer { done.signal() }
            for _ in 0..<maxRequests {
                if state.value.stopRequested { return }
                let start = DispatchTime.now().uptimeNanoseconds
                do {
                    let client = try RawClient(port: port, timeoutMilliseconds: 2000)
                    defer { client.close() }
                    try client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    let response = try client.readResponse()
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    state.withLock { state in
                        if response.status == 200 {
                            state.latenciesMilliseconds.append(elapsed)
                        } else {
                            state.failures.append("status \(response.status)")
                        }
                    }
                } catch {
                    state.withLock { $0.failures.append("\(error)") }
                }
                usleep(pauseMicroseconds)
            }
        }
    }

    /// Stops the probe and waits for its thread (at most 5 s); returns the latencies (ms) of the answered
    /// requests, in order, and a description of each request that failed.
    func finish() -> (latencies: [Double], failures: [String]) {
        state.withLock { $0.stopRequested = true }
        _ = done.wait(timeout: .now() + 5)
        let final = state.value
        return (final.latenciesMilliseconds, final.failures)
    }

    /// The `quantile` (0...1) of `values` by the nearest-rank method; 0 for none.
    static func percentile(_ values: [Double], _ quantile: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
