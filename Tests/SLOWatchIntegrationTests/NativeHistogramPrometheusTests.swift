import Foundation
import TestCurlClient
import Testing

/// Issue 17's "done when" for native histograms: three slowatch binaries, each sent a different third of
/// one sample set, scraped by a real Prometheus with native histograms on; Prometheus's quantiles of the
/// summed histograms are within one bucket of the exact answers over all the samples.
@Suite("Native histograms summed across three nodes by a real Prometheus", .serialized)
struct NativeHistogramPrometheusTests {
    /// Outside CI a missing Prometheus skips the test; in CI (`CI` set) it runs and fails.
    static let runs =
        ExternalTool.isInstalled("prometheus") || ProcessInfo.processInfo.environment["CI"] != nil

    /// `count` log-normal values (median 20, σ = 1), from a fixed seed (xorshift64*, Box–Muller).
    static func logNormal(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        func uniform() -> Double {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return (Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) + 0.5) / 0x1p53
        }
        return (0..<count).map { _ in
            let normal = (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
            return 20 * exp(normal)
        }
    }

    /// The README's Prometheus configuration (example `native-histograms-prometheus`), scraping `ports`
    /// every second instead of the README's three ports every 15 s.
    static func configuration(scraping ports: [Int]) throws -> String {
        var text = try ReadmeSnippet.code("native-histograms-prometheus")
        let replacements = [
            (
                "['127.0.0.1:8080', '127.0.0.1:8081', '127.0.0.1:8082']",
                "[" + ports.map { "'127.0.0.1:\($0)'" }.joined(separator: ", ") + "]"
            ),
            ("scrape_interval: 15s", "scrape_interval: 1s\n  scrape_timeout: 1s"),
        ]
        for (from, to) in replacements {
            guard text.contains(from) else { throw TestServiceError("the README's example has no '\(from)'") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        return text
    }

    @Test(
        "histogram_quantile over sum(slowatch_sample_histogram) is within one bucket of the exact p50, p90, p99",
        .enabled(if: runs, ExternalTool.skipReason("prometheus")), .timeLimit(.minutes(2)))
    func summedQuantilesAreWithinOneBucket() throws {
        let values = Self.logNormal(30_000, seed: 0x5107_17)
        var nodes: [SlowatchProcess] = []
        defer { for node in nodes { node.kill() } }
        var ports: [Int] = []
        let client = try CurlClient(timeoutMilliseconds: 10_000)
        for third in 0..<3 {
            let node = try SlowatchProcess(["--port", "0"])
            nodes.append(node)
            let port = try #require(node.boundPort(), "slowatch did not start: \(node.standardError)")
            ports.append(port)
            let part = Array(values[(third * 10_000)..<((third + 1) * 10_000)])
            for start in stride(from: 0, to: part.count, by: 2_500) {
                let body = TestSamples.json("lat", Array(part[start..<(start + 2_500)]))
                #expect(try client.postJSON("http://127.0.0.1:\(port)/samples", body).status == 200)
            }
        }
        // The text format is unchanged and still passes promtool.
        if ExternalTool.isInstalled("promtool") {
            _ = try PromtoolCheck.scrapeAndCheck(
                "http://127.0.0.1:\(ports[0])/metrics", folderName: "slowatch-native-promtool")
        }

        let folder = try ExternalTool.temporaryFolder("slowatch-native-histograms")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configFile = folder.appendingPathComponent("prometheus.yml")
        try Self.configuration(scraping: ports).write(to: configFile, atomically: true, encoding: .utf8)
        let webPort = try ExternalTool.freeLoopbackPort()
        let program = try #require(ExternalTool.path("prometheus"), "prometheus is not installed")
        let prometheus = try SlowatchProcess(
            [
                "--config.file=\(configFile.path)", "--enable-feature=native-histograms",
                "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(webPort)",
            ], executablePath: program)
        defer { prometheus.kill() }
        let base = "http://127.0.0.1:\(webPort)"
        try #require(
            ExternalTool.waitUntilReady("\(base)/-/ready", timeout: 20) != nil,
            "prometheus did not become ready:\n\(prometheus.standardError)")

        // sum() of the three cumulative histograms is exact at any instant once each node was scraped.
        let family = "sum(slowatch_sample_histogram{metric=\"lat\"})"
        let deadline = Date().addingTimeInterval(40)
        var count: [Double]?
        while Date() < deadline {
            count = PrometheusScrapeTests.query(
                "histogram_count(\(family))", prometheus: base, client: client)
            if count == [30_000] { break }
            usleep(250_000)
        }
        try #require(
            count == [30_000], "prometheus counted \(String(describing: count)):\n\(prometheus.standardError)"
        )

        let sorted = values.sorted()
        let width = exp2(exp2(-6.0)) - 1
        for q in [0.5, 0.9, 0.99] {
            let exact = sorted[Int((q * Double(sorted.count)).rounded(.up)) - 1]
            let answer = PrometheusScrapeTests.query(
                "histogram_quantile(\(q), \(family))", prometheus: base, client: client)
            let value = try #require(answer?.first, "no answer for q=\(q)")
            #expect(abs(value - exact) <= width * exact, "q=\(q): prometheus \(value), exact \(exact)")
        }
    }
}
