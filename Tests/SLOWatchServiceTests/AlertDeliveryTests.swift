import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

/// How alerts reach an Alertmanager that is down, refusing or stuck: retried with backoff, counted and
/// logged, superseded by newer states, bounded, and never in the monitor's way.
@Suite("Alertmanager delivery")
struct AlertDeliveryTests {
    /// A quick policy for tests: 100 ms doubling to 400 ms, many attempts, a 1 s timeout.
    private static func fastRetries(maximumAttempts: Int = 100) -> AlertDeliveryPolicy {
        var policy = AlertDeliveryPolicy()
        policy.initialBackoffMilliseconds = 100
        policy.maximumBackoffMilliseconds = 400
        policy.maximumAttempts = maximumAttempts
        policy.timeoutMilliseconds = 1_000
        return policy
    }

    /// A firing alert for SLO `slo`.
    private static func alert(_ slo: String = "checkout-p95", kind: SLOEvent.Kind = .violation) -> Alert {
        let event = SLOEvent(
            kind: kind, slo: slo, metric: "checkout.latency", percentile: "p95", quantile: 0.95,
            threshold: 60,
            actual: 75, unit: "ms", direction: .above, count: 20, timestamp: 1_764_393_605_000,
            violatingForMs: kind == .recovery ? 1_000 : nil,
            reason: kind == .recovery ? .withinThreshold : nil)
        return Alert(
            event: event, startsAtMilliseconds: 1_764_393_604_000, generatorBase: "http://127.0.0.1:1")
    }

    /// A target for `endpoint` with `policy`, the counters it adds to, and its log lines.
    private static func target(_ endpoint: AlertmanagerEndpoint, _ policy: AlertDeliveryPolicy) -> (
        AlertmanagerTarget, ServiceCounters, () -> [String]
    ) {
        let counters = ServiceCounters()
        let (logger, lines) = AlertTestSupport.capturingLogger()
        let target = AlertmanagerTarget(
            endpoint: endpoint, policy: policy, counters: counters, logger: logger,
            wallClock: SystemWallClock(), monotonicClock: SystemMonotonicClock())
        return (target, counters, lines)
    }

    @Test("the backoff starts at 0.5 s and doubles to at most 30 s")
    func backoffSchedule() {
        let policy = AlertDeliveryPolicy()
        #expect(
            (1...9).map { policy.backoffMilliseconds(afterFailures: $0) } == [
                500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
            ])
        #expect(policy.backoffMilliseconds(afterFailures: 10_000) == 30_000)
        #expect(policy.firingLeadMilliseconds == 240_000)
    }

    @Test(
        "an Alertmanager that refuses connections is retried with backoff, then gets the alert once it listens"
    )
    func refusedThenListening() throws {
        let port = try ExternalTool.freeLoopbackPort()
        let (logger, lines) = AlertTestSupport.capturingLogger()
        let service = try AlertTestSupport.service(
            endpoints: [AlertmanagerEndpoint(host: "127.0.0.1", port: port)], policy: Self.fastRetries(),
            logger: logger)
        defer { service.stop() }
        let counters = service.service.counters
        try AlertTestSupport.breach(service, client: try CurlClient())
        #expect(AlertTestSupport.poll { ServiceCounters.read(counters.alertDeliveryFailures) >= 3 })
        // With 100, 200, 400, 400 … ms between attempts, a second holds a handful, not thousands.
        usleep(1_000_000)
        let failures = ServiceCounters.read(counters.alertDeliveryFailures)
        #expect(failures <= 8, "\(failures) failed posts in about 1.5 s")
        // One warning for the first failure; the others wait for the rate limit.
        let warnings = lines().filter {
            $0.contains("warning") && $0.contains("Alertmanager http://127.0.0.1:\(port)")
        }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(
            warnings.first?.contains(
                "posting 1 alert failed (cannot connect: Connection refused); retrying in") == true)

        let capture = try AlertCaptureServer(port: port)
        defer { capture.stop() }
        #expect(capture.waitFor { !$0.isEmpty })
        #expect(AlertTestSupport.poll { ServiceCounters.read(counters.alertsSent) == 1 })
        #expect(
            (capture.requests.first?.alerts?.first?["labels"] as? [String: String])?["slo"] == "checkout-p95")
        #expect(AlertTestSupport.poll { lines().contains { $0.contains("accepts alerts again") } })
        #expect(service.service.alertForwarder.withLock { $0?.targets.first?.pendingCount } == 0)
    }

    @Test("a non-2xx answer counts as a failure and is logged with the answer's status")
    func refusedPost() throws {
        let capture = try AlertCaptureServer(status: 400)
        defer { capture.stop() }
        let (target, counters, lines) = Self.target(
            try AlertmanagerEndpoint(parsing: capture.url), Self.fastRetries(maximumAttempts: 2))
        target.enqueue([Self.alert()])
        #expect(AlertTestSupport.poll { target.pendingCount == 0 })
        #expect(capture.requests.count == 2)
        // The first failure is logged; the give-up is logged even inside the rate limit.
        let warnings = lines().filter { $0.contains(" warning ") }
        #expect(warnings.count == 2, "\(warnings)")
        #expect(
            warnings.first?.contains("posting 1 alert failed (HTTP 400); retrying in 0.1 s.") == true,
            "\(warnings)")
        #expect(warnings.last?.contains("gave up on 1 alert state after 2 attempts") == true, "\(warnings)")
        #expect(ServiceCounters.read(counters.alertDeliveryFailures) == 2)
        #expect(ServiceCounters.read(counters.alertsSent) == 0)
        _ = target.stop().wait(timeout: .now() + 2)
    }

    @Test("a state is given up after its attempts, and then not retried")
    func giveUp() throws {
        var policy = Self.fastRetries(maximumAttempts: 3)
        policy.initialBackoffMilliseconds = 50
        let port = try ExternalTool.freeLoopbackPort()
        let (target, counters, _) = Self.target(AlertmanagerEndpoint(host: "127.0.0.1", port: port), policy)
        target.enqueue([Self.alert(), Self.alert("other-p95")])
        #expect(AlertTestSupport.poll { target.pendingCount == 0 })
        let failures = ServiceCounters.read(counters.alertDeliveryFailures)
        #expect(failures == 3, "both waiting states travel in each post, so 3 posts use up 3 attempts")
        usleep(300_000)
        #expect(
            ServiceCounters.read(counters.alertDeliveryFailures) == failures,
            "nothing is retried after giving up")
        _ = target.stop().wait(timeout: .now() + 2)
    }

    @Test("a newer state of the same alert replaces the one waiting, and starts its attempts afresh")
    func supersede() throws {
        var policy = Self.fastRetries(maximumAttempts: 2)
        policy.initialBackoffMilliseconds = 60_000
        let port = try ExternalTool.freeLoopbackPort()
        let (target, counters, _) = Self.target(AlertmanagerEndpoint(host: "127.0.0.1", port: port), policy)
        target.enqueue([Self.alert(), Self.alert("other-p95")])
        // The first post fails at once; the next attempt is a minute away.
        #expect(AlertTestSupport.poll { ServiceCounters.read(counters.alertDeliveryFailures) == 1 })
        target.enqueue([Self.alert(kind: .recovery)])
        #expect(
            target.pendingCount == 2, "the resolution replaced the firing state instead of queueing behind it"
        )
        // The last chance at stop: one more failure gives up the old "other-p95" state (its second attempt)
        // but not the resolution (its first).
        _ = target.stop().wait(timeout: .now() + 2)
        #expect(ServiceCounters.read(counters.alertDeliveryFailures) == 2)
        #expect(target.pendingCount == 1)
    }

    @Test("at most maximumPendingAlerts states wait for one Alertmanager; more are dropped")
    func bounded() throws {
        var policy = Self.fastRetries()
        policy.maximumPendingAlerts = 3
        policy.initialBackoffMilliseconds = 60_000
        let (target, _, lines) = Self.target(
            AlertmanagerEndpoint(host: "127.0.0.1", port: try ExternalTool.freeLoopbackPort()), policy)
        target.enqueue((0..<5).map { Self.alert("slo-\($0)") })
        #expect(target.pendingCount == 3)
        #expect(
            lines().contains {
                $0.contains("2 alert states dropped, because 3 are already waiting to be sent.")
            })
        _ = target.stop().wait(timeout: .now() + 2)
    }

    @Test("an Alertmanager that never answers does not slow the monitor's checks")
    func stuckAlertmanager() throws {
        // A listening socket that never accepts: connections succeed (the backlog) and no answer comes.
        let stuck = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(stuck) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(stuck, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(listen(stuck, 64) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(stuck, $0, &length) }
        }
        var policy = Self.fastRetries()
        policy.timeoutMilliseconds = 3_000
        let slo = try AlertTestSupport.checkoutSLO()
        let service = try TestService {
            $0.slos = [slo]
            // 20 samples kept, so each breach or heal replaces the whole window.
            $0.metrics = [MetricDefinition(name: "checkout.latency", capacity: 20)]
            $0.rateLimitWindowMilliseconds = 0
            $0.alertmanagers = [
                AlertmanagerEndpoint(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)))
            ]
            $0.alertDelivery = policy
        }
        defer { service.stop() }
        let client = try CurlClient()
        for round in 0..<10 {
            if round % 2 == 0 {
                try AlertTestSupport.breach(service, client: client)
            } else {
                try AlertTestSupport.heal(service, client: client)
            }
            let start = Date()
            let events = service.service.monitor.checkAll()
            let elapsed = Date().timeIntervalSince(start)
            #expect(events.count == 1)
            #expect(elapsed < 1, "check \(round) took \(elapsed) s, as if it waited for the 3 s post")
        }
        #expect(service.service.monitor.violationsEmitted == 5)
        #expect(ServiceCounters.read(service.service.counters.alertsSent) == 0)
    }
}
