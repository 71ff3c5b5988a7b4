import Foundation
import TestCurlClient
import Testing

/// Whether the parser test runs: python's `prometheus_client` is importable (pip installs it when
/// missing), or this is CI, where its absence fails the test rather than skipping it.
private let parserRuns: Bool =
    ProcessInfo.processInfo.environment["CI"] != nil
    || PythonModules.importable(["prometheus_client.openmetrics.parser"], installing: ["prometheus-client"])

/// The OpenMetrics 1.0.0 answer of the real binary, read by the reference parser and by promtool.
@Suite("OpenMetrics from the binary, read by prometheus_client and promtool")
struct OpenMetricsParserTests {
    /// The binary's answer to Prometheus's scrape header, with a metric, an SLO and counters in it.
    static func scrape() throws -> (response: CurlResponse, stop: () -> Void) {
        let folder = try ExternalTool.temporaryFolder("slowatch-openmetrics")
        let config = folder.appendingPathComponent("slowatch.yaml")
        try """
        slos:
          - {id: checkout-p95, metric: checkout.latency, percentile: p95, threshold: 60}
        """.write(to: config, atomically: true, encoding: .utf8)
        let slowatch = try SlowatchProcess([
            "--config", config.path, "--port", "0", "--check-interval", "100ms",
        ])
        let stop = {
            slowatch.kill()
            try? FileManager.default.removeItem(at: folder)
        }
        guard let port = slowatch.boundPort() else {
            stop()
            throw TestServiceError("slowatch did not start: \(slowatch.standardError)")
        }
        let client = try CurlClient()
        let values = (1...40).map { #"{"metric":"checkout.latency","value":\#($0 * 3)}"# }
        _ = try client.postJSON(
            "http://127.0.0.1:\(port)/samples", #"{"samples":[\#(values.joined(separator: ","))]}"#)
        usleep(300_000)  // a check or two, so the SLO has a violation counted
        let response = try client.get(
            "http://127.0.0.1:\(port)/metrics", headers: [("Accept", PrometheusScrapeAccept.value)])
        return (response, stop)
    }

    @Test(
        "prometheus_client's OpenMetrics parser reads every family of the answer",
        .enabled(if: parserRuns, "python3 -m pip install prometheus-client (.ci/run installs it)"),
        .timeLimit(.minutes(1)))
    func referenceParserReadsIt() throws {
        let (response, stop) = try Self.scrape()
        defer { stop() }
        #expect(response.status == 200)
        #expect(
            response.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        let text = response.bodyText
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.contains("# TYPE slowatch_slo_violations counter\n"))
        #expect(text.contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"))
        #expect(text.contains("# UNIT slowatch_memory_budget_bytes bytes\n"))
        let folder = try ExternalTool.temporaryFolder("slowatch-openmetrics-parse")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scrape.txt")
        try Data(response.body).write(to: file)
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            families = list(text_string_to_metric_families(open(sys.argv[1]).read()))
            for f in families: print(f.name, f.type, len(f.samples))
            """
        let python = try #require(ExternalTool.path("python3"))
        let result = try SlowatchProcess.run(["-c", script, file.path], executablePath: python, timeout: 30)
        #expect(result.status == 0, "the parser said: \(result.standardError)\n--- the answer:\n\(text)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains("slowatch_slo_violations counter 1"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("slowatch_sample_value summary ") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("slowatch_http_requests counter ") }, "\(lines)")
    }

    @Test(
        "promtool reads the OpenMetrics answer; its only remarks are the 0.0.4 linter's on counter HELP",
        .enabled(if: ExternalTool.isInstalled("promtool"), ExternalTool.skipReason("promtool")),
        .timeLimit(.minutes(1)))
    func promtoolReadsIt() throws {
        let (response, stop) = try Self.scrape()
        defer { stop() }
        let folder = try ExternalTool.temporaryFolder("slowatch-openmetrics-promtool")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scrape.txt")
        try Data(response.body).write(to: file)
        let promtool = try #require(ExternalTool.path("promtool"))
        let result = try SlowatchProcess.run(
            ["-c", #"exec "$0" check metrics < "$1""#, promtool, file.path], executablePath: "/bin/sh",
            timeout: 20)
        // Debian 12's promtool 2.42 lints with the 0.0.4 rules: it parses the OpenMetrics text (a parse
        // error would be reported as such), and looks for a counter's HELP under its `_total` sample name.
        let remarks = (result.standardOutput + result.standardError).split(separator: "\n")
        #expect(!remarks.isEmpty || result.status == 0)
        for remark in remarks {
            #expect(remark.hasSuffix("_total no help text"), "promtool said: \(remark)")
        }
    }
}
