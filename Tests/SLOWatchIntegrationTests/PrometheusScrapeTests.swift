import Foundation
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("A real Prometheus scrapes slowatch")
struct PrometheusScrapeTests {
    /// A Prometheus configuration that scrapes `127.0.0.1:port` every second.
    static func configuration(scraping port: Int) -> String {
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: slowatch
            metrics_path: /metrics
            static_configs:
              - targets: ['127.0.0.1:\(port)']
        """
    }

    /// The result values of an instant query (`/api/v1/query`), or nil while it has none.
    static func query(_ expression: String, prometheus: String, client: CurlClient) -> [Double]? {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        guard let response = try? client.get("\(prometheus)/api/v1/query?query=\(encoded)"),
            response.status == 200, let json = try? response.json(),
            let data = json["data"] as? [String: Any], let results = data["result"] as? [[String: Any]],
            !results.isEmpty
        else { return nil }
        // Each result is {"metric":{…},"value":[<time>,"<value>"]}.
        return results.compactMap { ($0["value"] as? [Any])?.last as? String }.compactMap(Double.init)
    }

    @Test(
        "prometheus scrapes every second and its query answers the p99 slowatch computed",
        .enabled(if: ExternalTool.isInstalled("prometheus"), ExternalTool.skipReason("prometheus")),
        .timeLimit(.minutes(1)))
    func prometheusQueriesTheP99() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient(timeoutMilliseconds: 2_000)
        // 200 samples of 1.1 … 220: the p99 is the 198th smallest, 217.8 (not a whole number).
        let values = (1...200).reversed().map { Double($0) * 1.1 }
        let posted = try client.postJSON(
            service.url("/samples"), TestSamples.json("checkout.latency", values))
        #expect(posted.status == 200)
        let percentiles = try client.get(service.url("/metrics/checkout.latency/percentiles")).json()
        let p99 = try #require(percentiles["p99"] as? Double)
        #expect(p99 == 198 * 1.1)

        let folder = try ExternalTool.temporaryFolder("slowatch-prometheus")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configFile = folder.appendingPathComponent("prometheus.yml")
        try Self.configuration(scraping: service.port).write(
            to: configFile, atomically: true, encoding: .utf8)
        let webPort = try ExternalTool.freeLoopbackPort()
        let program = try #require(ExternalTool.path("prometheus"))
        let prometheus = try SlowatchProcess(
            [
                "--config.file=\(configFile.path)",
                "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(webPort)",
            ], executablePath: program)
        defer { prometheus.kill() }
        let base = "http://127.0.0.1:\(webPort)"
        let ready = ExternalTool.waitUntilReady("\(base)/-/ready", timeout: 15)
        try #require(ready != nil, "prometheus did not become ready:\n\(prometheus.standardError)")

        // Within the test's bound: the target goes up after its first scrape, then the p99 is queryable.
        let deadline = Date().addingTimeInterval(20)
        var answer: [Double]?
        while Date() < deadline {
            answer = Self.query(
                #"slowatch_sample_value{metric="checkout.latency",quantile="0.99"}"#, prometheus: base,
                client: client)
            if answer != nil { break }
            usleep(200_000)
        }
        #expect(
            answer == [p99],
            "prometheus answered \(String(describing: answer)); its log:\n\(prometheus.standardError)")
        #expect(Self.query(#"up{job="slowatch"}"#, prometheus: base, client: client) == [1])
        // Prometheus asks for gzip on every scrape, and slowatch answered gzip-coded: its counter of
        // coded answers, scraped by the same Prometheus, is above 0 from the second scrape on (a scrape's
        // answer is counted after it is rendered).
        var coded: [Double]?
        let codedDeadline = Date().addingTimeInterval(10)
        while Date() < codedDeadline {
            coded = Self.query("slowatch_http_gzip_responses_total > 0", prometheus: base, client: client)
            if coded != nil { break }
            usleep(200_000)
        }
        #expect((coded?.first ?? 0) > 0, "coded answers: \(String(describing: coded))")
        #expect(
            Self.query(
                #"slowatch_sample_value_count{metric="checkout.latency"}"#, prometheus: base, client: client)
                == [200])
    }

    @Test(
        "the README's curl --compressed example reads the gzip-coded text exposition",
        .enabled(if: ExternalTool.isInstalled("curl"), ExternalTool.skipReason("curl")),
        .timeLimit(.minutes(1)))
    func curlCompressed() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient(timeoutMilliseconds: 2_000)
        let samples = (0..<40).map { #"{"metric":"m.\#($0)","value":\#($0)}"# }.joined(separator: ",")
        #expect(try client.postJSON(service.url("/samples"), #"{"samples":[\#(samples)]}"#).status == 200)
        // The README's example (Prometheus section, Compression), with this service's port.
        let snippet = try ReadmeSnippet.code("gzip-scrape")
            .replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(service.port)")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/bin/sh")
        curl.arguments = ["-c", snippet]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.lowercased().contains("\r\ncontent-encoding: gzip\r\n"), "\(text.prefix(600))")
        #expect(text.contains(#"slowatch_sample_value_count{metric="m.39","#), "\(text.suffix(600))")
    }
}
