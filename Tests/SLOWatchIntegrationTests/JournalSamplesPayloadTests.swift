import Foundation
import TestCurlClient
import Testing

/// `POST /samples` with `--data-dir`, through the real binary: the record written straight from the
/// decoded batch (``SamplesPayload`` in the service) is applied and counted live, and replays after
/// `kill -9` to the very same rings.
@Suite("Journal: samples records from mixed batches", .serialized)
struct JournalSamplesPayloadTests {
    @Test(
        "mixed-metric batches, timed and untimed, come back after kill -9 sample for sample, and are counted once"
    )
    func mixedBatchesReplayExactly() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--fsync", "never"])
        defer { first.child.kill() }
        let metrics = ["mix.a", "mix.b.longer_name", "mix.c"]
        var posted = 0
        for round in 0..<20 {
            let samples = (0..<(7 + round)).map { index -> String in
                let metric = metrics[(index * 5 + round) % metrics.count]
                let value = Double(round * 100 + index) + 0.125
                // Every third sample is untimed: stamped with the request's arrival, in the record too.
                let timestamp =
                    index % 3 == 0 ? "" : #","timestamp":\#(1_764_393_600_000 + round * 100 + index)"#
                return #"{"metric":"\#(metric)","value":\#(value)\#(timestamp)}"#
            }
            posted += samples.count
            let response = try CurlClient(timeoutMilliseconds: 10_000).request(
                method: "POST", url: "http://127.0.0.1:\(first.port)/samples",
                body: Array(#"{"samples":[\#(samples.joined(separator: ","))]}"#.utf8),
                headers: [("Content-Type", "application/json")])
            #expect(response.status == 200)
            #expect(response.bodyText == #"{"accepted":\#(samples.count)}"#)
        }
        // Prometheus's text format, as a scrape asks for it.
        let exposition = try CurlClient(timeoutMilliseconds: 10_000).get(
            "http://127.0.0.1:\(first.port)/metrics", headers: [("Accept", "text/plain; version=0.0.4")]
        ).bodyText
        #expect(exposition.contains("slowatch_samples_total \(posted)\n"), "\(exposition.prefix(2_000))")
        let before = try metrics.map { try first.get("/metrics/\($0)/samples?limit=10000").body }
        first.child.kill()

        let second = try DurableNode(directory: directory, ["--fsync", "never"])
        defer { second.child.kill() }
        for (index, metric) in metrics.enumerated() {
            let after = try second.get("/metrics/\(metric)/samples?limit=10000").body
            #expect(after == before[index], "\(metric)")
        }
        #expect(
            second.child.standardError.contains("then 20 journal records"), "\(second.child.standardError)")
    }
}
