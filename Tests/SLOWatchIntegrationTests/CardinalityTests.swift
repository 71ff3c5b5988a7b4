import Foundation
import TestCurlClient
import Testing

/// A flood of new metric names against the real `slowatch` binary: it stops at `--max-metrics` with 422
/// `metric_limit_reached`, naming the limit, and the process's resident memory stays within what the
/// admitted metrics' ring buffers need (capacity × 16 B × max-metrics) plus a bounded overhead; the
/// names refused after that cost nothing lasting.
@Suite(.serialized) struct CardinalityTests {
    static let maxMetrics = 2_000
    static let capacity = 1_000
    /// New names per `POST /samples` batch (a batch is all or nothing).
    static let batchSize = 250

    /// A batch of one sample for each of the names `prefix.first` … `prefix.(first + count - 1)`.
    static func batch(_ prefix: String, from first: Int, count: Int) -> String {
        let samples = (first..<first + count).map {
            "{\"metric\":\"\(prefix).\($0)\",\"value\":\(Double($0 % 97))}"
        }
        return "{\"samples\":[" + samples.joined(separator: ",") + "]}"
    }

    @Test func floodOfNewMetricNamesStopsAtMaxMetricsWith422AndBoundedMemory() throws {
        let child = try SlowatchProcess([
            "--port", "0", "--max-metrics", "\(Self.maxMetrics)", "--capacity", "\(Self.capacity)",
        ])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "slowatch did not start: \(child.standardError)")
        let base = "http://127.0.0.1:\(port)"
        let client = try CurlClient(timeoutMilliseconds: 5_000)
        // Warm up the paths the flood takes (parsing, a 422, the allocator's arenas) before the baseline.
        #expect(try client.get(base + "/healthz").status == 200)
        #expect(try client.postJSON(base + "/samples", Self.batch("warmup", from: 0, count: 1)).status == 200)
        #expect(try client.request(method: "DELETE", url: base + "/metrics/warmup.0").status == 204)
        let before = try #require(ProcessMemory.residentBytes(child.processIdentifier))

        var admitted = 0
        while admitted < Self.maxMetrics {
            let response = try client.postJSON(
                base + "/samples", Self.batch("flood", from: admitted, count: Self.batchSize))
            try #require(
                response.status == 200, "batch at \(admitted): \(response.status) \(response.bodyText)")
            admitted += Self.batchSize
        }
        let full = try #require(ProcessMemory.residentBytes(child.processIdentifier))

        // Every further new name is refused, with the limit named, however many come.
        var refusedBatches = 0
        var wrong: [String] = []
        for round in 0..<40 {
            let response = try client.postJSON(
                base + "/samples", Self.batch("refused", from: round * Self.batchSize, count: Self.batchSize))
            if response.status == 422, response.errorCode == "metric_limit_reached",
                response.errorMessage?.contains("\(Self.maxMetrics)") == true
            {
                refusedBatches += 1
            } else {
                wrong.append("\(response.status) \(response.bodyText)")
            }
        }
        let single = try client.postJSON(base + "/samples", "{\"metric\":\"one.more\",\"value\":1}")
        #expect(single.status == 422)
        #expect(single.errorMessage?.contains("\(Self.maxMetrics)") == true, "\(single.bodyText)")
        #expect(refusedBatches == 40, "wrong answers to new names past the limit: \(wrong.prefix(2))")
        let after = try #require(ProcessMemory.residentBytes(child.processIdentifier))

        let metrics = try client.get(base + "/metrics", headers: [("Accept", "application/json")])
        let listed = (try metrics.json()["metrics"] as? [Any])?.count
        #expect(listed == Self.maxMetrics, "GET /metrics lists \(listed ?? -1) metrics")
        // An existing metric still takes samples.
        #expect(try client.postJSON(base + "/samples", "{\"metric\":\"flood.7\",\"value\":3}").status == 200)

        // The ring buffers: 2,000 × 1,000 samples × 16 B (a Double value and an Int64 timestamp) = 32 MB,
        // allocated on each metric's first sample. The overhead covers, per metric, its name, definition,
        // index and table entries and lock, plus the allocator's slack: measured at 1.4 MB in all (about
        // 700 B a metric) in a debug build. The bound, 8 MiB (about 4 KB a metric), leaves room for a
        // release build's different allocations and for the allocator's arenas, yet a leak of even one
        // extra ring per metric (another 32 MB) would break it.
        let rings = Self.maxMetrics * Self.capacity * 16
        let overhead = 8 << 20
        // Under ThreadSanitizer the child's heap is shadowed: measured 3.6 times the plain growth.
        let scale = ThreadSanitizerCheck.isActive ? 5 : 1
        #expect(
            full - before <= (rings + overhead) * scale,
            "admitting \(Self.maxMetrics) metrics grew RSS by \(full - before) bytes, over \(rings) + \(overhead)"
        )
        // Refused names leave nothing behind: 10,000 of them may cost at most the allocator's 4 MiB of slack.
        #expect(after - full <= 4 << 20, "10,000 refused names grew RSS by \(after - full) bytes")
        print(
            "cardinality: RSS before \(before), after \(Self.maxMetrics) metrics \(full) "
                + "(+\(full - before), rings \(rings)), after 10,000 refused names \(after) (+\(after - full))"
        )
    }
}
