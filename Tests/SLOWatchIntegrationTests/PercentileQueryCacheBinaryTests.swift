import Foundation
import TestCurlClient
import Testing

/// Issue 19, item 5, through the binary: a `q=`/`window=` answer kept per metric version is the same
/// bytes while nothing changes, and never outlives a new sample or the wall clock moving samples out
/// of its window.
@Suite("Kept percentile answers through the binary")
struct PercentileQueryCacheBinaryTests {
    @Test("a kept answer repeats until a sample arrives or the window moves past its samples")
    func keptAnswersFollowTheMetric() throws {
        let child = try SlowatchProcess(["--port", "0", "--check-interval", "1h"])
        defer { child.kill() }
        let port = try #require(child.boundPort(), "\(child.standardError)")
        let client = try CurlClient(timeoutMilliseconds: 10_000)
        func post(_ values: ClosedRange<Int>) throws {
            let samples = values.map { #"{"metric":"api","value":\#($0)}"# }.joined(separator: ",")
            let response = try client.post(
                "http://127.0.0.1:\(port)/samples", body: Array(#"{"samples":[\#(samples)]}"#.utf8),
                headers: [("Content-Type", "application/json")])
            #expect(response.status == 200)
        }
        func get(_ query: String) throws -> [String: Any] {
            let body = try client.get("http://127.0.0.1:\(port)/metrics/api/percentiles?\(query)").body
            return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        }
        try post(1...100)
        for query in ["q=0.75", "q=0.9,0.75&q=0.75", "window=2s", "q=0.75&window=2s"] {
            let first = try client.get("http://127.0.0.1:\(port)/metrics/api/percentiles?\(query)").body
            let again = try client.get("http://127.0.0.1:\(port)/metrics/api/percentiles?\(query)").body
            #expect(first == again, "\(query)")
        }
        #expect(try get("q=0.75")["count"] as? Int == 100)
        // Nearest rank: the 75th of 1 … 100, then the 76th of 1 … 101.
        #expect((try get("q=0.75")["quantiles"] as? [String: Any])?["0.75"] as? Double == 75)
        try post(1_000...1_000)
        #expect(try get("q=0.75")["count"] as? Int == 101)
        #expect((try get("q=0.75")["quantiles"] as? [String: Any])?["0.75"] as? Double == 76)
        #expect(try get("q=0.75&window=2s")["count"] as? Int == 101)
        // No new sample: only the wall clock moves the window past every sample.
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try get("q=0.75&window=2s")["count"] as? Int == 0)
        #expect(try get("window=2s")["count"] as? Int == 0)
    }
}
