import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

/// What the forwarder posts to an Alertmanager, read off a raw socket: the request, the alert's labels,
/// annotations and times, the re-sends while firing, and the resolution.
@Suite("Alertmanager payload")
struct AlertPayloadTests {
    /// The first alert of a captured request.
    private func alert(_ request: AlertCaptureServer.Request?) -> [String: Any]? { request?.alerts?.first }

    @Test(
        "a violation is posted as a firing alert, re-sent with the same startsAt, then resolved at the recovery"
    )
    func firingResendResolve() throws {
        let capture = try AlertCaptureServer()
        defer { capture.stop() }
        var policy = AlertDeliveryPolicy()
        policy.resendIntervalMilliseconds = 1_000
        let endpoint = try AlertmanagerEndpoint(parsing: capture.url + "/am/")
        let service = try AlertTestSupport.service(endpoints: [endpoint], policy: policy)
        defer { service.stop() }
        let client = try CurlClient()

        try AlertTestSupport.breach(service, client: client)
        #expect(capture.waitFor { !$0.isEmpty })
        let first = try #require(capture.requests.first)
        let received = Date()
        #expect(first.requestLine == "POST /am/api/v2/alerts HTTP/1.1")
        #expect(first.headers["host"] == "127.0.0.1:\(capture.port)")
        #expect(first.headers["content-type"] == "application/json")
        #expect(first.headers["connection"] == "close")
        #expect(first.alerts?.count == 1)
        let firing = try #require(alert(first))
        #expect(Set(firing.keys) == ["labels", "annotations", "startsAt", "endsAt", "generatorURL"])
        #expect(
            firing["labels"] as? [String: String] == [
                "alertname": "SLOViolation", "slo": "checkout-p95", "metric": "checkout.latency",
                "percentile": "p95", "severity": "critical",
            ])
        let annotations = try #require(firing["annotations"] as? [String: String])
        #expect(annotations["summary"] == "checkout.latency p95 is 100 ms, above the 60 ms threshold")
        #expect(
            annotations["description"]
                == "The SLO checkout-p95 allows checkout.latency p95 to be at most 60 ms; it was 100 ms over 20 samples."
        )
        #expect(firing["generatorURL"] as? String == "http://127.0.0.1:\(service.port)/slos/checkout-p95")

        // startsAt is the violation's time, to the ms, in RFC 3339 UTC with ms.
        let startsAtText = try #require(firing["startsAt"] as? String)
        #expect(
            startsAtText.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(startsAtText)")
        let violationMs = try #require(AlertTestSupport.eventTimes(service, client: client).first?.ms)
        let startsAt = try #require(AlertTestSupport.date(startsAtText))
        #expect(abs(startsAt.timeIntervalSince1970 * 1000 - violationMs) < 1)
        // A firing alert ends 4 resend intervals (4 s here) after it was sent, unless re-sent.
        let endsAt = try #require(AlertTestSupport.date(firing["endsAt"]))
        #expect(abs(endsAt.timeIntervalSince(received) - 4) < 1, "endsAt \(endsAt), received \(received)")

        // Re-sent about every second while firing: same labels and startsAt, a later endsAt.
        #expect(capture.waitFor(timeout: 5) { $0.count >= 3 })
        let resent = try #require(alert(capture.requests[2]))
        #expect(resent["labels"] as? [String: String] == firing["labels"] as? [String: String])
        #expect(resent["startsAt"] as? String == startsAtText)
        #expect(try #require(AlertTestSupport.date(resent["endsAt"])) > endsAt)

        // The recovery resolves it: same labels and startsAt, endsAt the recovery's time.
        try AlertTestSupport.heal(service, client: client)
        #expect(
            capture.waitFor(timeout: 5) { requests in
                requests.contains {
                    (AlertTestSupport.date(self.alert($0)?["endsAt"]) ?? .distantFuture) <= Date()
                }
            })
        let resolvedRequest = try #require(
            capture.requests.last {
                (AlertTestSupport.date(alert($0)?["endsAt"]) ?? .distantFuture) <= Date()
            })
        let resolved = try #require(alert(resolvedRequest))
        let times = try AlertTestSupport.eventTimes(service, client: client)
        let recoveryMs = try #require(times.first { $0.topic == "perf.slo_recovered" }?.ms)
        let resolvedEnd = try #require(AlertTestSupport.date(resolved["endsAt"]))
        #expect(abs(resolvedEnd.timeIntervalSince1970 * 1000 - recoveryMs) < 1)
        #expect(resolved["startsAt"] as? String == startsAtText)
        #expect(resolved["labels"] as? [String: String] == firing["labels"] as? [String: String])
        #expect(
            (resolved["annotations"] as? [String: String])?["summary"]
                == "checkout.latency p95 is back to 10 ms, within the 60 ms threshold")
        #expect(service.service.alertForwarder.withLock { $0?.firing.isEmpty } == true)

        // Forgotten once resolved: nothing more is sent over two resend intervals.
        let count = capture.requests.count
        usleep(2_200_000)
        #expect(capture.requests.count == count)
        #expect(ServiceCounters.read(service.service.counters.alertsSent) == UInt64(count))
        #expect(ServiceCounters.read(service.service.counters.alertDeliveryFailures) == 0)
    }

    @Test("every configured Alertmanager gets every alert")
    func everyEndpoint() throws {
        let first = try AlertCaptureServer()
        let second = try AlertCaptureServer()
        defer {
            first.stop()
            second.stop()
        }
        let endpoints = try [first.url, second.url].map { try AlertmanagerEndpoint(parsing: $0) }
        let service = try AlertTestSupport.service(endpoints: endpoints, policy: AlertDeliveryPolicy())
        defer { service.stop() }
        try AlertTestSupport.breach(service, client: try CurlClient())
        for capture in [first, second] {
            #expect(
                capture.waitFor {
                    $0.contains {
                        ($0.alerts?.first?["labels"] as? [String: String])?["slo"] == "checkout-p95"
                    }
                })
        }
    }

    @Test("removing a violating SLO resolves its alert (recovery reason slo_removed)")
    func removedSLO() throws {
        let capture = try AlertCaptureServer()
        defer { capture.stop() }
        let service = try AlertTestSupport.service(
            endpoints: [try AlertmanagerEndpoint(parsing: capture.url)], policy: AlertDeliveryPolicy())
        defer { service.stop() }
        let client = try CurlClient()
        try AlertTestSupport.breach(service, client: client)
        #expect(capture.waitFor { !$0.isEmpty })
        #expect(try client.delete(service.url("/slos/checkout-p95")).status == 204)
        #expect(capture.waitFor { $0.count >= 2 })
        let resolved = try #require(capture.requests.last?.alerts?.first)
        #expect(try #require(AlertTestSupport.date(resolved["endsAt"])) <= Date())
        #expect(
            (resolved["annotations"] as? [String: String])?["summary"]
                == "The SLO checkout-p95 was removed or changed; checkout.latency p95 was last 100 ms")
    }

    @Test("times are RFC 3339 UTC with ms, and numbers in summaries lose trailing zeros")
    func formats() {
        #expect(Alert.rfc3339(0) == "1970-01-01T00:00:00.000Z")
        #expect(Alert.rfc3339(1_764_393_605_123.9) == "2025-11-29T05:20:05.123Z")
        #expect(Alert.rfc3339(-5) == "1970-01-01T00:00:00.000Z")
        #expect(Alert.rfc3339(.nan) == "1970-01-01T00:00:00.000Z")
        #expect(Alert.rfc3339(1e300) == "9999-12-31T23:59:59.999Z")
        #expect(Alert.number(75) == "75")
        #expect(Alert.number(75.5) == "75.5")
        #expect(Alert.number(0.1 + 0.2) == "0.3")
        #expect(Alert.number(12.34567) == "12.346")
    }

    @Test("the generator URL names a wildcard-bound service by the machine's host name")
    func generatorBase() {
        #expect(SLOWatchService.generatorBase(host: "127.0.0.1", port: 8080) == "http://127.0.0.1:8080")
        #expect(SLOWatchService.generatorBase(host: "::1", port: 8080) == "http://[::1]:8080")
        let wildcard = SLOWatchService.generatorBase(host: "0.0.0.0", port: 8080)
        #expect(
            wildcard != "http://0.0.0.0:8080" && wildcard.hasPrefix("http://") && wildcard.hasSuffix(":8080"))
        #expect(
            SLOWatchService.generatorBase(host: "::", port: 1)
                == wildcard.replacingOccurrences(of: ":8080", with: ":1"))
    }
}
