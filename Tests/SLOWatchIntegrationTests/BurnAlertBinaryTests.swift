import Foundation
import TestCurlClient
import Testing

/// An error-budget SLO end to end, through the release-shaped binary and the real Alertmanager: a
/// configuration file with a compressed period (1 h) and one fast tier (burn rate 10 over 1 m and 5 s),
/// samples half of which are bad, the exact counts in `GET /slos/{id}`, the `perf.slo_burn_alert` event,
/// the budget gauge in `/metrics`, the `SLOBurnRate` alert active in Alertmanager, and its resolution
/// once the short window holds no bad sample.
@Suite("Burn-rate alerts through the binary")
struct BurnAlertBinaryTests {
    static let binary = AlertmanagerIntegrationTests.binary

    @Test(
        "a burning budget SLO fires SLOBurnRate in Alertmanager with exact counts, then resolves",
        .enabled(if: ExternalTool.isInstalled(binary), ExternalTool.skipReason(binary)))
    func firesThenResolves() throws {
        let alertmanager = try AlertmanagerIntegrationTests.Alertmanager()
        defer { alertmanager.stop() }
        try alertmanager.waitUntilReady()
        let folder = try ExternalTool.temporaryFolder("slowatch-burn-binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("slowatch.yaml")
        try """
        slos:
          - id: api-budget
            metric: api.latency
            percentile: p99
            threshold: 250
            objective: 99
            period: 1h
            alerts:
              - {tier: fast, burnRate: 10, longWindow: 1m, shortWindow: 5s, severity: page}
        """.write(to: config, atomically: true, encoding: .utf8)
        let slowatch = try SlowatchProcess([
            "--config", config.path, "--port", "0", "--check-interval", "100ms",
            "--alertmanager", alertmanager.url,
        ])
        defer { slowatch.kill() }
        let port = try #require(slowatch.boundPort(), "\(slowatch.standardError)")
        let base = "http://127.0.0.1:\(port)"
        let client = try CurlClient()

        // 60 good samples (at or below 250 ms) and 40 bad ones: a bad fraction of 40 %, a burn rate of
        // 40 against the 1 % budget, in both windows.
        let values = (0..<60).map { _ in 250.0 } + (0..<40).map { _ in 251.0 }
        let body =
            #"{"samples":["#
            + values.map { #"{"metric":"api.latency","value":\#($0)}"# }
            .joined(separator: ",") + "]}"
        #expect(try client.postJSON(base + "/samples", body).status == 200)

        // The SLO's percentile is above its threshold too, so Alertmanager also lists its SLOViolation.
        func burnAlerts() -> [[String: String]] {
            ((try? alertmanager.alerts(slo: "api-budget")) ?? []).compactMap {
                $0["labels"] as? [String: String]
            }
            .filter { $0["alertname"] == "SLOBurnRate" }
        }
        var labels: [String: String]?
        #expect(
            AlertTestSupport.poll(timeout: 15) {
                labels = burnAlerts().first
                return labels != nil
            }, "Alertmanager never got the burn alert: \(slowatch.standardError)")
        #expect(
            labels == [
                "alertname": "SLOBurnRate", "slo": "api-budget", "metric": "api.latency", "tier": "fast",
                "severity": "page",
            ])

        let status = try client.get(base + "/slos/api-budget")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.body)) as? [String: Any])
        let budget = try #require((object["status"] as? [String: Any])?["budget"] as? [String: Any])
        #expect(budget["total"] as? Int == 100 && budget["good"] as? Int == 60 && budget["bad"] as? Int == 40)
        // 1 % of 100 events is 1 bad event allowed; 40 were bad: 1 - 40 / 1 of the budget is left.
        #expect(budget["remaining"] as? Double == -39)

        let events = try client.get(base + "/slo/violations?topic=perf.slo_burn_alert").bodyText
        #expect(events.contains(#""tier":"fast""#), "\(events)")
        let scrape = try client.get(base + "/metrics", headers: [("Accept", "text/plain")]).bodyText
        #expect(scrape.contains(#"slowatch_slo_error_budget_remaining{slo="api-budget"} -39"#), "\(scrape)")

        // No bad sample for longer than the 5 s short window: the tier resolves, and Alertmanager drops
        // the alert from its active list.
        #expect(
            AlertTestSupport.poll(timeout: 20) { burnAlerts().isEmpty },
            "the burn alert was never resolved: \(slowatch.standardError)")
        let resolved = try client.get(base + "/slo/violations?topic=perf.slo_burn_resolved").bodyText
        #expect(resolved.contains(#""tier":"fast""#), "\(resolved)")
        slowatch.send(SIGTERM)
        #expect(slowatch.waitForExit(timeout: 15) == 0)
    }
}
