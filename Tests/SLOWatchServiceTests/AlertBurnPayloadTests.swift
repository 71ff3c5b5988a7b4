import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

/// What the forwarder posts for a burn-rate tier, read off a raw socket: `SLOBurnRate` with `tier` and
/// `severity` labels while firing, then the same alert with `endsAt` when it resolves.
@Suite("Alertmanager burn-rate payload")
struct AlertBurnPayloadTests {
    @Test("a firing tier is posted as SLOBurnRate, re-sent with the same startsAt, then resolved")
    func firingThenResolved() throws {
        let capture = try AlertCaptureServer()
        defer { capture.stop() }
        var policy = AlertDeliveryPolicy()
        policy.resendIntervalMilliseconds = 1_000
        let endpoint = try AlertmanagerEndpoint(parsing: capture.url)
        let source = ManualBudgetCountSource(clock: SystemWallClock())
        let tier = try BurnAlertTier(
            slo: "api", name: "fast", burnRate: 2, longWindowMilliseconds: 600_000,
            shortWindowMilliseconds: 2_000, severity: "page")
        let slo = try SLODefinition(
            id: "api", metric: "api.latency", percentile: "p99", threshold: 250,
            budget: SLOBudget(slo: "api", objective: 99, alerts: [tier]))
        let service = try TestService(budgetCountSource: source) {
            $0.slos = [slo]
            $0.alertmanagers = [endpoint]
            $0.alertDelivery = policy
        }
        defer { service.stop() }
        // Half a second back: the service's clock reads whole ms, and the windows end at its now.
        source.add(
            sloID: "api", atMilliseconds: SystemWallClock().nowMilliseconds() - 500, good: 900, bad: 100)
        service.service.monitor.checkAll()
        #expect(
            capture.waitFor { requests in requests.contains { Self.labels($0)?["alertname"] == "SLOBurnRate" }
            })
        let firstRequest = try #require(capture.requests.first)
        let firing = try #require(firstRequest.alerts?.first)
        #expect(
            firing["labels"] as? [String: String] == [
                "alertname": "SLOBurnRate", "slo": "api", "metric": "api.latency", "tier": "fast",
                "severity": "page",
            ])
        let annotations = try #require(firing["annotations"] as? [String: String])
        #expect(annotations["summary"]?.contains("faster than 2") == true, "\(annotations)")
        #expect(capture.waitFor(timeout: 5) { $0.count >= 2 })
        #expect(capture.requests[1].alerts?.first?["startsAt"] as? String == firing["startsAt"] as? String)

        // The 2 s short window empties: the tier resolves, sent with endsAt at or before now.
        Thread.sleep(forTimeInterval: 2.5)
        service.service.monitor.checkAll()
        #expect(
            capture.waitFor(timeout: 5) { requests in
                requests.contains { request in
                    guard let alert = request.alerts?.first,
                        alert["startsAt"] as? String == firing["startsAt"] as? String
                    else { return false }
                    return (AlertTestSupport.date(alert["endsAt"]) ?? .distantFuture) <= Date()
                }
            })
        #expect(service.service.alertForwarder.withLock { $0?.firing.isEmpty } == true)
    }

    private static func labels(_ request: AlertCaptureServer.Request) -> [String: String]? {
        request.alerts?.first?["labels"] as? [String: String]
    }
}
