import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

/// The bytes every encoder of an SLO event writes, pinned as whole literals: the SSE frames, the JSON
/// page of `GET /slo/violations`, the Alertmanager post, the JSON log line and the durable record.
/// A change to any of them changes what clients, collectors or older data directories see.
@Suite("Golden bytes of SLO events")
struct EventGoldenTests {
    /// A violation with every field set to a value whose encoding is easy to read.
    static let violation = SLOEvent(
        kind: .violation, slo: "checkout-p95", metric: "checkout.latency", percentile: "p95", quantile: 0.95,
        threshold: 60, actual: 75.5, unit: "ms", direction: .above, count: 20, timestamp: 1_764_393_600_000,
        severity: "critical")

    /// Its recovery, 1.5 s later.
    static let recovery = SLOEvent(
        kind: .recovery, slo: "checkout-p95", metric: "checkout.latency", percentile: "p95", quantile: 0.95,
        threshold: 60, actual: 40.25, unit: "ms", direction: .above, count: 21, timestamp: 1_764_393_601_500,
        violatingForMs: 1500, reason: .withinThreshold, severity: "critical")

    /// The two events in the envelopes the bus would give them, with fixed ids.
    static let envelopes: [Event] = [
        Event(
            id: "evt_01KB5Z8Q00AAAAAAAAAAAAAAAA", topic: violation.topic, sequence: 1,
            timestamp: 1_764_393_600_000, payload: violation.payload),
        Event(
            id: "evt_01KB5Z8R4CBBBBBBBBBBBBBBBB", topic: recovery.topic, sequence: 2,
            timestamp: 1_764_393_601_500, payload: recovery.payload),
    ]

    /// The JSON envelope of the violation.
    static let violationJSON =
        #"{"id":"evt_01KB5Z8Q00AAAAAAAAAAAAAAAA","topic":"perf.slo_violation","sequence":1,"#
        + #""timestamp":1764393600000,"payload":{"slo":"checkout-p95","metric":"checkout.latency","#
        + #""percentile":"p95","quantile":0.95,"threshold":60,"actual":75.5,"unit":"ms","direction":"above","#
        + #""severity":"critical","count":20,"timestamp":1764393600000}}"#

    /// The JSON envelope of the recovery.
    static let recoveryJSON =
        #"{"id":"evt_01KB5Z8R4CBBBBBBBBBBBBBBBB","topic":"perf.slo_recovered","sequence":2,"#
        + #""timestamp":1764393601500,"payload":{"slo":"checkout-p95","metric":"checkout.latency","#
        + #""percentile":"p95","quantile":0.95,"threshold":60,"actual":40.25,"unit":"ms","direction":"above","#
        + #""severity":"critical","count":21,"timestamp":1764393601500,"violatingForMs":1500,"#
        + #""reason":"within_threshold"}}"#

    /// The SSE frame of the violation.
    static let violationFrame = "id: 1\nevent: perf.slo_violation\ndata: \(violationJSON)\n\n"
    /// The SSE frame of the recovery.
    static let recoveryFrame = "id: 2\nevent: perf.slo_recovered\ndata: \(recoveryJSON)\n\n"

    /// A live service whose bus history holds ``envelopes``.
    private static func serviceWithHistory() throws -> TestService {
        let service = try TestService(wallClock: ManualClock()) { $0.keepaliveIntervalMilliseconds = 60_000 }
        #expect(service.service.bus.restore(events: envelopes, lastSequence: 2))
        return service
    }

    @Test("the SSE frames of a violation and a recovery")
    func sseFrames() {
        #expect(String(decoding: SSEFrame.event(Self.envelopes[0]), as: UTF8.self) == Self.violationFrame)
        #expect(String(decoding: SSEFrame.event(Self.envelopes[1]), as: UTF8.self) == Self.recoveryFrame)
    }

    @Test("GET /slo/violations as a stream replays both frames after the prelude, byte for byte")
    func sseStreamBytes() throws {
        let service = try Self.serviceWithHistory()
        defer { service.stop() }
        let expected = "retry: 2000\n\n" + Self.violationFrame + Self.recoveryFrame
        var received: [UInt8] = []
        let response = try CurlClient().stream(
            service.url("/slo/violations?lastEventId=0"), headers: [("Accept", "text/event-stream")],
            timeoutMilliseconds: 10_000
        ) { chunk in
            received += chunk
            return received.count < expected.utf8.count
        }
        #expect(response.status == 200)
        #expect(String(decoding: received, as: UTF8.self) == expected)
    }

    @Test("the JSON page of GET /slo/violations, byte for byte")
    func jsonPage() throws {
        let service = try Self.serviceWithHistory()
        defer { service.stop() }
        let client = try CurlClient()
        let page = try client.get(service.url("/slo/violations"))
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "application/json; charset=utf-8")
        #expect(page.bodyText == #"{"violations":["# + Self.violationJSON + "," + Self.recoveryJSON + "]}")
        let filtered = try client.get(service.url("/slo/violations?after=1&limit=1&metric=checkout.latency"))
        #expect(filtered.bodyText == #"{"violations":["# + Self.recoveryJSON + "]}")
        let none = try client.get(service.url("/slo/violations?slo=other"))
        #expect(none.bodyText == #"{"violations":[]}"#)
    }

    @Test("the Alertmanager post of a firing and a resolved alert")
    func alertmanagerPost() {
        let base = "http://127.0.0.1:8080"
        let firing = Alert(
            event: Self.violation, startsAtMilliseconds: Self.violation.timestamp, generatorBase: base)
        let resolved = Alert(
            event: Self.recovery, startsAtMilliseconds: Self.violation.timestamp, generatorBase: base)
        let body = Alert.postBody(
            [firing, resolved], nowMilliseconds: 1_764_393_602_000, firingLeadMilliseconds: 240_000)
        let expected =
            #"[{"labels":{"alertname":"SLOViolation","slo":"checkout-p95","metric":"checkout.latency","#
            + #""percentile":"p95","severity":"critical"},"annotations":{"summary":"checkout.latency p95 is "#
            + #"75.5 ms, above the 60 ms threshold","description":"The SLO checkout-p95 allows checkout.latency "#
            + #"p95 to be at most 60 ms; it was 75.5 ms over 20 samples."},"startsAt":"2025-11-29T05:20:00.000Z","#
            + #""endsAt":"2025-11-29T05:24:02.000Z","generatorURL":"http://127.0.0.1:8080/slos/checkout-p95"},"#
            + #"{"labels":{"alertname":"SLOViolation","slo":"checkout-p95","metric":"checkout.latency","#
            + #""percentile":"p95","severity":"critical"},"annotations":{"summary":"checkout.latency p95 is back "#
            + #"to 40.25 ms, within the 60 ms threshold","description":"The SLO checkout-p95 allows "#
            + #"checkout.latency p95 to be at most 60 ms; it was 40.25 ms over 21 samples."},"#
            + #""startsAt":"2025-11-29T05:20:00.000Z","endsAt":"2025-11-29T05:20:01.500Z","#
            + #""generatorURL":"http://127.0.0.1:8080/slos/checkout-p95"}]"#
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test("the JSON log lines of an event: the monitor's warning and the bus's unheard-event line")
    func jsonLogLines() {
        func line(_ message: String) -> String {
            let record = LogRecord(
                timestamp: "2025-11-29T05:20:00.000Z", level: .warning, label: "slowatch", message: message,
                metadata: [:], error: nil)
            return String(decoding: record.jsonLine, as: UTF8.self)
        }
        #expect(
            line(Self.violation.description)
                == #"{"timestamp":"2025-11-29T05:20:00.000Z","level":"warning","label":"slowatch","#
                + #""message":"SLO violation checkout-p95: checkout.latency p95 = 75.5 ms (threshold above "#
                + #"60.0 ms, 20 samples)"}"# + "\n")
        #expect(
            line(Self.recovery.description)
                == #"{"timestamp":"2025-11-29T05:20:00.000Z","level":"warning","label":"slowatch","#
                + #""message":"SLO recovered checkout-p95: checkout.latency p95 = 40.25 ms (threshold above "#
                + #"60.0 ms, 21 samples, violating for 1500.0 ms, reason within_threshold)"}"# + "\n")
        #expect(
            line("event (no subscriber): \(Self.envelopes[1])")
                == #"{"timestamp":"2025-11-29T05:20:00.000Z","level":"warning","label":"slowatch","#
                + #""message":"event (no subscriber): #2 perf.slo_recovered slo=checkout-p95 "#
                + #"metric=checkout.latency percentile=p95 quantile=0.95 threshold=60.0 actual=40.25 unit=ms "#
                + #"direction=above severity=critical count=21 timestamp=1764393601500.0 violatingForMs=1500.0 "#
                + #"reason=within_threshold"}"# + "\n")
    }
}
