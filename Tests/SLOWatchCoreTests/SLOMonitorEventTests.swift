import Testing

@testable import SLOWatchCore

@Suite struct SLOMonitorEventTests {
    @Test func aRecoveryIsEmittedExactlyOnceWithHowLongTheSLOWasViolating() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.registry.register(MetricDefinition(name: "m", capacity: 3))
        try fixture.record("m", [100, 100, 100])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .milliseconds(3_000))
        #expect(fixture.check() == [])
        fixture.clock.advance(by: .milliseconds(2_000))
        try fixture.record("m", [10, 10, 10])  // the ring keeps 3: the breach is over
        let events = fixture.monitor.checkAll()
        let recovery = try #require(events.first)
        #expect(events.count == 1)
        #expect(recovery.kind == .recovery && recovery.topic == "perf.slo_recovered")
        #expect(recovery.violatingForMs == 5_000)
        #expect(recovery.reason == .withinThreshold)
        #expect(recovery.actual == 10 && recovery.threshold == 30 && recovery.count == 3)
        #expect(recovery.timestamp == fixture.clock.nowMilliseconds())
        fixture.clock.advance(by: .milliseconds(1_000))
        #expect(fixture.check() == [])
        #expect(fixture.monitor.recoveriesEmitted == 1)
        #expect(fixture.monitor.statuses.first?.violating == false)
    }

    @Test func anOscillatingMetricFiresIsLimitedThenFiresAgain() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.registry.register(MetricDefinition(name: "m", capacity: 1))
        func step(_ value: Double) -> [String] {
            fixture.clock.advance(by: .milliseconds(2_000))
            _ = try? fixture.registry.record("m", value: value)
            return fixture.check()
        }
        #expect(step(100) == ["violation m-p50"])  // t = 2 s
        #expect(step(10) == ["recovery m-p50"])  // t = 4 s
        #expect(step(100) == [])  // t = 6 s: breached again, but the limit is closed until 12 s
        #expect(fixture.monitor.statuses.first?.violating == true)
        #expect(step(10) == [])  // t = 8 s: that breach was never announced, so no recovery either
        #expect(step(100) == [])  // t = 10 s
        #expect(step(100) == ["violation m-p50"])  // t = 12 s: the limit reopens
        #expect(step(10) == ["recovery m-p50"])
        #expect(fixture.monitor.violationsEmitted == 2)
        #expect(fixture.monitor.recoveriesEmitted == 2)
    }

    @Test func theBusReceivesTheTopicAndTheLowerCamelCasePayload() async throws {
        let bus = EventBus(logger: .silent)
        let received = SLOTestCollector<Event>()
        try bus.subscribe(topics: [SLOEvent.violationTopic, SLOEvent.recoveredTopic]) { received.append($0) }
        let fixture = try SLOMonitorFixture([sloForTest("m-p95", "m", "p95", 60)], publisher: bus)
        try fixture.registry.register(MetricDefinition(name: "m", capacity: 1))
        try fixture.record("m", [75])
        fixture.monitor.checkAll()
        fixture.clock.advance(by: .milliseconds(250))
        try fixture.record("m", [5])
        fixture.monitor.checkAll()
        #expect(await sloWaitUntil { received.count == 2 })
        let (violation, recovery) = (received.values[0], received.values[1])
        #expect(violation.topic == "perf.slo_violation" && violation.sequence == 1)
        #expect(
            violation.payload.fields.keys == [
                "slo", "metric", "percentile", "quantile", "threshold", "actual", "unit", "direction",
                "severity", "count",
                "timestamp",
            ])
        #expect(violation.payload.fields["slo"] == "m-p95")
        #expect(violation.payload.fields["metric"] == "m")
        #expect(violation.payload.fields["percentile"] == "p95")
        #expect(violation.payload.fields["quantile"] == .number(0.95))
        #expect(violation.payload.fields["threshold"] == .number(60))
        #expect(violation.payload.fields["actual"] == .number(75))
        #expect(violation.payload.fields["unit"] == "ms")
        #expect(violation.payload.fields["direction"] == "above")
        #expect(violation.payload.fields["severity"] == "warning")
        #expect(violation.payload.fields["count"] == .integer(1))
        #expect(violation.payload.fields["timestamp"] == .number(fixture.clock.nowMilliseconds() - 250))
        #expect(recovery.topic == "perf.slo_recovered" && recovery.sequence == 2)
        #expect(recovery.payload.fields.keys == violation.payload.fields.keys + ["violatingForMs", "reason"])
        #expect(recovery.payload.fields["violatingForMs"] == .number(250))
        #expect(recovery.payload.fields["reason"] == "within_threshold")
        #expect(fixture.log.messages(atLeast: .warning).isEmpty)
    }

    @Test func aThrowingPublisherIsCaughtCountedAndLoggedAndTheCheckGoesOn() throws {
        let fixture = try SLOMonitorFixture(
            [sloForTest("a-p50", "a", "p50", 30), sloForTest("b-p50", "b", "p50", 30)],
            publisher: SLOThrowingPublisher())
        try fixture.record("a", [100])
        try fixture.record("b", [100])
        #expect(fixture.check() == ["violation a-p50", "violation b-p50"])
        #expect(fixture.monitor.publishFailures == 2)
        #expect(fixture.monitor.violationsEmitted == 2)
        let errors = fixture.log.messages(atLeast: .error)
        #expect(errors.count == 2)
        #expect(errors.first?.contains("publishing failed") == true)
        #expect(errors.first?.contains("a-p50") == true)
        fixture.clock.advance(by: .milliseconds(10_000))
        #expect(fixture.check() == ["violation a-p50", "violation b-p50"])
        #expect(fixture.monitor.checks == 2)
    }

    @Test func withNoBusViolationsGoToTheConsoleFallback() throws {
        let fixture = try SLOMonitorFixture([sloForTest("echo-p95", "echo", "p95", 60)])
        try fixture.record("echo", [75])
        fixture.monitor.checkAll()
        let lines = fixture.log.messages(atLeast: .warning)
        #expect(lines == ["SLO violation echo-p95: echo p95 = 75.0 ms (threshold above 60.0 ms, 1 samples)"])
        let publisher = SLORecordingPublisher()
        fixture.monitor.setPublisher(publisher)
        fixture.clock.advance(by: .milliseconds(10_000))
        fixture.monitor.checkAll()
        #expect(publisher.count == 1)
        #expect(fixture.log.messages(atLeast: .warning).count == 1)
    }

    @Test func aCheckLongerThanFiveMillisecondsIsCountedAsSlowAndLogged() throws {
        let slow = try SLOMonitorFixture(
            [sloForTest("m-p50", "m", "p50", 30)], monotonicClock: SLOAdvancingClock(stepMilliseconds: 10))
        slow.monitor.checkAll()
        #expect(slow.monitor.slowChecks == 1)
        #expect(slow.log.messages(atLeast: .warning).first?.hasPrefix("slow SLO check") == true)
        let quick = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        quick.monitor.checkAll()
        #expect(quick.monitor.slowChecks == 0)
        #expect(quick.log.messages(atLeast: .warning).isEmpty)
    }

    @Test("publishing is timed apart from the evaluation, with a warning of its own")
    func slowPublishingIsLoggedApartFromTheCheck() throws {
        // Every clock reading advances 10 ms: the evaluation spans two readings, the publishing one.
        let fixture = try SLOMonitorFixture(
            [sloForTest("m-p50", "m", "p50", 30)], monotonicClock: SLOAdvancingClock(stepMilliseconds: 10))
        try fixture.record("m", [75])
        let publisher = SLORecordingPublisher()
        fixture.monitor.setPublisher(publisher)
        fixture.monitor.checkAll()
        #expect(publisher.count == 1)
        let warnings = fixture.log.messages(atLeast: .warning)
        #expect(warnings.contains { $0.hasPrefix("slow SLO check: 20.0 ms for 1 SLOs") }, "\(warnings)")
        #expect(
            warnings.contains { $0.hasPrefix("slow event delivery: 10.0 ms to publish 1 events") },
            "\(warnings)")
        #expect(fixture.monitor.slowChecks == 1)
    }

    @Test func replacingTheSLOSetKeepsUnchangedSLOsAndRejectsDuplicates() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("a-p50", "a", "p50", 30), sloForTest("b-p50", "b", "p50", 30),
        ])
        try fixture.record("a", [100])
        try fixture.record("b", [100])
        #expect(fixture.check() == ["violation a-p50", "violation b-p50"])
        let stricterB = try sloForTest("b-p50", "b", "p50", 20)
        try fixture.monitor.replaceSLOs([
            fixture.monitor.slos[0], stricterB, sloForTest("c-p50", "a", "p50", 50),
        ])
        // a-p50 is unchanged and still rate-limited; b-p50 changed and c-p50 is new: both start fresh.
        #expect(fixture.check() == ["violation b-p50", "violation c-p50"])
        #expect(throws: SLOError.duplicateID("x")) {
            try fixture.monitor.replaceSLOs([sloForTest("x", "a", "p50", 1), sloForTest("x", "b", "p50", 1)])
        }
        #expect(fixture.monitor.slos.map(\.id) == ["a-p50", "b-p50", "c-p50"])
        #expect(throws: SLOError.duplicateID("d")) {
            try SLOMonitor(
                registry: fixture.registry,
                slos: [sloForTest("d", "a", "p50", 1), sloForTest("d", "a", "p90", 1)])
        }
    }
}
