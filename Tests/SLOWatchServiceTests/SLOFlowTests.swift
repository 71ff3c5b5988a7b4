import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("SLO flow: samples → monitor → GET /slo/violations and the stream")
struct SLOFlowTests {
    /// The check interval of these tests, in ms.
    static let intervalMilliseconds = 100

    /// `{"samples":[…]}` with `count` samples of `value` ms for `checkout.latency`.
    static func batch(_ value: Double, count: Int) -> String {
        let one = #"{"metric":"checkout.latency","value":\#(value)}"#
        return #"{"samples":["# + Array(repeating: one, count: count).joined(separator: ",") + "]}"
    }

    /// Waits until the monitor ran at least `count` more checks than `before`.
    static func waitForChecks(_ service: TestService, after before: UInt64, count: UInt64) -> Bool {
        SSEReader.poll(upTo: 10_000) { service.service.monitor.checks >= before + count }
    }

    @Test("a breach is published within one interval, not again inside the rate window, then recovers")
    func violationThenRecovery() throws {
        let slo = try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: .p95, threshold: 60, minSamples: 5)
        let service = try TestService {
            $0.slos = [slo]
            $0.checkIntervalMilliseconds = Double(Self.intervalMilliseconds)
            $0.rateLimitWindowMilliseconds = 60_000
            $0.keepaliveIntervalMilliseconds = 200
        }
        defer { service.stop() }
        let reader = try TestEvents.connect(service)
        defer { reader.close() }
        let client = try CurlClient()

        // Breach: 20 samples of 100 ms make p95 = 100 ms > 60 ms.
        let posted = try client.postJSON(service.url("/samples"), Self.batch(100, count: 20))
        #expect(posted.status == 200, "\(posted.bodyText)")
        let breachPosted = Date()
        #expect(reader.waitForEvents(1))
        let latency = Date().timeIntervalSince(breachPosted) * 1000
        #expect(latency <= Double(Self.intervalMilliseconds) + 1000, "the violation took \(latency) ms")
        let violation = try #require(reader.events.first)
        #expect(violation.event == "perf.slo_violation")
        let payload = try #require(violation.envelope?["payload"] as? [String: Any])
        #expect(payload["slo"] as? String == "checkout-p95")
        #expect(payload["metric"] as? String == "checkout.latency")
        #expect(payload["actual"] as? Double == 100)
        #expect(payload["threshold"] as? Double == 60)
        let listed = try ViolationListTests.violations(client.get(service.url("/slo/violations")))
        #expect(listed.count == 1)
        #expect(listed.first?["sequence"] as? Int == Int(violation.id ?? ""))
        #expect(listed.first?["topic"] as? String == "perf.slo_violation")

        // A further breach inside the 60 s rate window: several checks see it, none publishes.
        let worse = try client.postJSON(service.url("/samples"), Self.batch(200, count: 20))
        #expect(worse.status == 200)
        let checks = service.service.monitor.checks
        #expect(Self.waitForChecks(service, after: checks, count: 3))
        #expect(service.service.monitor.statuses.first?.violating == true)
        #expect(try ViolationListTests.violations(client.get(service.url("/slo/violations"))).count == 1)
        #expect(reader.events.count == 1)

        // Recovery: 1,000 samples of 10 ms leave 40 slow ones (under 4 %), so p95 = 10 ms.
        let good = try client.postJSON(service.url("/samples"), Self.batch(10, count: 1000))
        #expect(good.status == 200)
        #expect(reader.waitForEvents(2))
        let recovery = try #require(reader.events.last)
        #expect(recovery.event == "perf.slo_recovered")
        let recovered = try #require(recovery.envelope?["payload"] as? [String: Any])
        #expect(recovered["slo"] as? String == "checkout-p95")
        #expect(recovered["reason"] as? String == "within_threshold")
        #expect(recovered["actual"] as? Double == 10)
        let all = try ViolationListTests.violations(client.get(service.url("/slo/violations")))
        #expect(all.map { $0["topic"] as? String } == ["perf.slo_violation", "perf.slo_recovered"])
        #expect(SSEStreamTests.ids(reader) == all.map { ($0["sequence"] as? Int) ?? -1 })
    }
}
