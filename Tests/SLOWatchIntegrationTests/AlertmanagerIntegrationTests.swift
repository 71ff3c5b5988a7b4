import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

/// The real `prometheus-alertmanager` (Debian's binary name) receives slowatch's alerts: it shows the
/// alert active with the right labels, then resolved.
///
/// Alertmanager's `GET /api/v2/alerts` leaves resolved alerts out (whatever the `active`, `silenced`,
/// `inhibited` and `unprocessed` filters say), so "resolved" is seen as the alert leaving that list. To
/// tell a delivered resolution from an alert that merely expired, the firing alert's `endsAt` is
/// 4 minutes away (the default 1-minute resend interval): only the resolution can make it leave within
/// the test's few seconds.
@Suite("Alertmanager integration")
struct AlertmanagerIntegrationTests {
    /// The Debian package's binary.
    static let binary = "prometheus-alertmanager"

    /// A running Alertmanager on a free loopback port, with a null receiver and no clustering.
    final class Alertmanager: Sendable {
        let process: SlowatchProcess
        let port: Int
        let folder: URL

        init() throws {
            folder = try ExternalTool.temporaryFolder("slowatch-alertmanager")
            port = try ExternalTool.freeLoopbackPort()
            let config = folder.appendingPathComponent("alertmanager.yml")
            try """
            route:
              receiver: 'null'
              group_wait: 1s
            receivers:
              - name: 'null'
            """.write(to: config, atomically: true, encoding: .utf8)
            process = try SlowatchProcess(
                [
                    "--config.file=\(config.path)",
                    "--storage.path=\(folder.appendingPathComponent("data").path)",
                    "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
                ], executablePath: ExternalTool.path(AlertmanagerIntegrationTests.binary))
        }

        /// `http://127.0.0.1:<port>`.
        var url: String { "http://127.0.0.1:\(port)" }

        /// Waits until it answers `/-/ready`.
        func waitUntilReady() throws {
            guard ExternalTool.waitUntilReady(url + "/-/ready", timeout: 20) != nil else {
                throw TestServiceError(
                    "Alertmanager did not become ready: \(process.standardError.suffix(2_000))")
            }
        }

        /// The alerts `GET /api/v2/alerts` lists whose `slo` label is `slo`.
        func alerts(slo: String) throws -> [[String: Any]] {
            let response = try CurlClient(timeoutMilliseconds: 2_000).get(url + "/api/v2/alerts")
            let list =
                (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [[String: Any]] ?? []
            return list.filter { ($0["labels"] as? [String: String])?["slo"] == slo }
        }

        /// Kills it and removes its folder.
        func stop() {
            process.kill()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(
        "a violation shows as an active alert with the SLO's labels, and the recovery resolves it",
        .enabled(if: ExternalTool.isInstalled(binary), ExternalTool.skipReason(binary)))
    func activeThenResolved() throws {
        let alertmanager = try Alertmanager()
        defer { alertmanager.stop() }
        try alertmanager.waitUntilReady()
        let endpoint = try AlertmanagerEndpoint(parsing: alertmanager.url)
        let service = try AlertTestSupport.service(endpoints: [endpoint], policy: AlertDeliveryPolicy())
        defer { service.stop() }
        let client = try CurlClient()

        try AlertTestSupport.breach(service, client: client)
        var active: [String: Any]?
        #expect(
            AlertTestSupport.poll(timeout: 15) {
                active = try? alertmanager.alerts(slo: "checkout-p95").first
                return (active?["status"] as? [String: Any])?["state"] as? String == "active"
            }, "the alert never became active")
        let alert = try #require(active)
        #expect(
            alert["labels"] as? [String: String] == [
                "alertname": "SLOViolation", "slo": "checkout-p95", "metric": "checkout.latency",
                "percentile": "p95", "severity": "critical",
            ])
        #expect(
            (alert["annotations"] as? [String: String])?["summary"]
                == "checkout.latency p95 is 100 ms, above the 60 ms threshold")
        #expect(alert["generatorURL"] as? String == "http://127.0.0.1:\(service.port)/slos/checkout-p95")
        let violationMs = try #require(AlertTestSupport.eventTimes(service, client: client).first?.ms)
        let startsAt = try #require(AlertTestSupport.date(alert["startsAt"]))
        #expect(abs(startsAt.timeIntervalSince1970 * 1000 - violationMs) < 1)
        let endsAt = try #require(AlertTestSupport.date(alert["endsAt"]))
        #expect(endsAt.timeIntervalSinceNow > 200, "a firing alert ends 4 minutes after each send")

        try AlertTestSupport.heal(service, client: client)
        #expect(
            AlertTestSupport.poll(timeout: 15) {
                (try? alertmanager.alerts(slo: "checkout-p95").isEmpty) == true
            },
            "the alert was never resolved")
        // Alertmanager applies the resolve before its answer reaches the sender, which counts the
        // post only then: wait for the count rather than read it at once.
        #expect(
            AlertTestSupport.poll(timeout: 5) {
                ServiceCounters.read(service.service.counters.alertsSent) >= 2
            }, "the firing and the resolving post were not both counted as sent")
        #expect(ServiceCounters.read(service.service.counters.alertDeliveryFailures) == 0)
    }

    @Test(
        "the slowatch binary with --alertmanager twice sends the alert to both Alertmanagers",
        .enabled(if: ExternalTool.isInstalled(binary), ExternalTool.skipReason(binary)))
    func binaryWithTwoAlertmanagers() throws {
        let first = try Alertmanager()
        defer { first.stop() }
        let second = try Alertmanager()
        defer { second.stop() }
        try first.waitUntilReady()
        try second.waitUntilReady()
        let folder = try ExternalTool.temporaryFolder("slowatch-am-binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("slowatch.yaml")
        try """
        slos:
          - {id: checkout-p95, metric: checkout.latency, percentile: p95, threshold: 60, severity: page}
        """.write(to: config, atomically: true, encoding: .utf8)
        let slowatch = try SlowatchProcess([
            "--config", config.path, "--port", "0", "--check-interval", "100ms", "--alertmanager", first.url,
            "--alertmanager", second.url + "/",
        ])
        defer { slowatch.kill() }
        let port = try #require(slowatch.boundPort(), "\(slowatch.standardError)")
        #expect(
            slowatch.standardError.contains(
                "Forwarding SLO alerts to Alertmanager \(first.url), \(second.url)."))
        let client = try CurlClient()
        let posted = try client.postJSON(
            "http://127.0.0.1:\(port)/samples", #"{"samples":[{"metric":"checkout.latency","value":100}]}"#)
        #expect(posted.status == 200)
        for alertmanager in [first, second] {
            var labels: [String: String]?
            #expect(
                AlertTestSupport.poll(timeout: 15) {
                    labels =
                        (try? alertmanager.alerts(slo: "checkout-p95").first)?["labels"] as? [String: String]
                    return labels != nil
                }, "Alertmanager \(alertmanager.url) never got the alert: \(slowatch.standardError)")
            #expect(labels?["severity"] == "page")
            #expect(labels?["alertname"] == "SLOViolation")
        }
        slowatch.send(SIGTERM)
        #expect(slowatch.waitForExit(timeout: 15) == 0)
    }
}
