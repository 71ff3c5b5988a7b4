import Testing

@testable import SLOWatchCore

/// The typed event payload: what the bus carries for an SLO event, and how it is written out.
@Suite("Event payload")
struct EventPayloadTests {
    /// A recovery with every optional field set.
    private let recovery = SLOEvent(
        kind: .recovery, slo: "a-p95", metric: "a", percentile: "p95", quantile: 0.95, threshold: 60,
        actual: 40,
        unit: "ms", direction: .above, count: 3, timestamp: 1_000, violatingForMs: 250, reason: .metricReset,
        severity: "critical")

    @Test("an SLO event is carried typed, and read back as the same value without any field lookup")
    func typed() {
        let payload = recovery.payload
        #expect(payload == .slo(recovery))
        #expect(payload.sloEvent == recovery)
        let fields: EventPayload = ["slo": "a-p95"]
        #expect(fields.sloEvent == nil)
        #expect(fields == .fields(EventFields([("slo", "a-p95")])))
    }

    @Test("its encoder writes every field once, in the fixed order, to any writer")
    func encoderOrder() {
        var fields = EventFields()
        recovery.writeFields(to: &fields)
        #expect(
            fields.keys == [
                "slo", "metric", "percentile", "quantile", "threshold", "actual", "unit", "direction",
                "severity",
                "count", "timestamp", "violatingForMs", "reason",
            ])
        #expect(fields["reason"] == "metric_reset" && fields["count"] == .integer(3))
        #expect(recovery.payload.fields == fields)
    }

    @Test("the log text of a payload is its fields as key=value pairs")
    func description() {
        var violation = recovery
        violation.kind = .violation
        violation.violatingForMs = nil
        violation.reason = nil
        #expect(
            violation.payload.description
                == "slo=a-p95 metric=a percentile=p95 quantile=0.95 threshold=60.0 actual=40.0 unit=ms "
                + "direction=above severity=critical count=3 timestamp=1000.0")
    }

    @Test("the bus refuses a typed payload on another topic than its own, and counts the failure")
    func topicMismatch() throws {
        let bus = EventBus()
        #expect(recovery.payload.topic == "perf.slo_recovered")
        #expect(throws: EventError.topicMismatch("perf.slo_violation", expected: "perf.slo_recovered")) {
            try bus.publish(topic: SLOEvent.violationTopic, payload: recovery.payload)
        }
        #expect(bus.lastSequence == 0 && bus.publishFailures == 1)
        let published = try bus.publish(topic: recovery.topic, payload: recovery.payload)
        #expect(published.payload.sloEvent == recovery && published.sequence == 1)
    }
}
