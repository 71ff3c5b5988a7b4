import Foundation
import Logging
import SLOWatchCore
import SLOWatchSync
import TestCurlClient

@testable import SLOWatchService

/// What the Alertmanager tests share: a service whose one SLO they can breach and heal on demand, a
/// logger that keeps its lines, and RFC 3339 reading.
enum AlertTestSupport {
    /// The SLO every alert test breaches: `checkout.latency` p95 above 60 ms, severity `critical`.
    static func checkoutSLO() throws -> SLODefinition {
        try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: .p95, threshold: 60, minSamples: 5,
            severity: "critical")
    }

    /// A service checking ``checkoutSLO()`` every 100 ms, forwarding to `endpoints` with `policy`.
    static func service(
        endpoints: [AlertmanagerEndpoint], policy: AlertDeliveryPolicy, logger: Logger? = nil
    ) throws -> TestService {
        let slo = try checkoutSLO()
        return try TestService(logger: logger) {
            $0.slos = [slo]
            $0.checkIntervalMilliseconds = 100
            $0.rateLimitWindowMilliseconds = 60_000
            $0.alertmanagers = endpoints
            $0.alertDelivery = policy
        }
    }

    /// Posts 20 samples of 100 ms: p95 = 100 ms, above the 60 ms threshold.
    static func breach(_ service: TestService, client: CurlClient) throws {
        let response = try client.postJSON(service.url("/samples"), batch(100, count: 20))
        guard response.status == 200 else { throw TestServiceError("POST /samples: \(response.bodyText)") }
    }

    /// Posts 1,000 samples of 10 ms, which leave the 20 slow ones under 5 %: p95 = 10 ms.
    static func heal(_ service: TestService, client: CurlClient) throws {
        let response = try client.postJSON(service.url("/samples"), batch(10, count: 1_000))
        guard response.status == 200 else { throw TestServiceError("POST /samples: \(response.bodyText)") }
    }

    /// `{"samples":[…]}` with `count` samples of `value` ms for `checkout.latency`.
    static func batch(_ value: Double, count: Int) -> String {
        let one = #"{"metric":"checkout.latency","value":\#(value)}"#
        return #"{"samples":["# + Array(repeating: one, count: count).joined(separator: ",") + "]}"
    }

    /// The payload `timestamp` (ms since the epoch) of the events in `GET /slo/violations`, by topic.
    static func eventTimes(_ service: TestService, client: CurlClient) throws -> [(topic: String, ms: Double)]
    {
        // Read here rather than through ViolationListTests, which the integration target does not have.
        let response = try client.get(service.url("/slo/violations"))
        guard let list = try response.json()["violations"] as? [[String: Any]] else {
            throw TestServiceError("no 'violations' array in \(response.bodyText)")
        }
        return list.map { event in
            let payload = event["payload"] as? [String: Any]
            return (event["topic"] as? String ?? "", payload?["timestamp"] as? Double ?? -1)
        }
    }

    /// An RFC 3339 time with fractional seconds, read by Foundation (independent of the service's writer).
    static func date(_ text: Any?) -> Date? {
        guard let text = text as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// A text logger at info level that keeps its lines in memory.
    static func capturingLogger() -> (Logger, () -> [String]) {
        let lines = PThreadLock([String]())
        let output = LogOutput { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let logger = Logger(label: "slowatch") { label in
            ServiceLogging.handler(label: label, format: .text, level: .info, output: output)
        }
        return (logger, { lines.withLock { $0 } })
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds.
    static func poll(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
