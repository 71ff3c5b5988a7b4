import Testing

@testable import SLOWatchCore

/// A subscriber always learns of the end of an announced breach, and why it ended.
@Suite struct SLOMonitorRecoveryReasonTests {
    @Test func unregisteringAMetricPublishesOneMetricResetRecoveryWithTheLastCheckedValues() throws {
        let publisher = SLORecordingPublisher()
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)], publisher: publisher)
        try fixture.record("m", [100, 100, 90])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .milliseconds(1_500))
        #expect(fixture.check() == [])  // still breached, still rate-limited
        try fixture.registry.unregister("m")
        fixture.clock.advance(by: .milliseconds(500))
        let events = fixture.monitor.checkAll()
        #expect(events.count == 1)
        let recovery = try #require(events.first)
        #expect(recovery.kind == .recovery && recovery.reason == .metricReset)
        #expect(recovery.actual == 100 && recovery.count == 3)  // from the last check: no fresh value
        #expect(recovery.violatingForMs == 2_000)
        #expect(recovery.timestamp == fixture.clock.nowMilliseconds())
        // Through the publisher and the counters like any recovery, and only once.
        let published = try #require(publisher.published.withLock { $0.last })
        #expect(published.topic == "perf.slo_recovered" && published.payload == recovery.payload)
        #expect(published.payload.fields["reason"] == "metric_reset")
        #expect(
            published.payload.fields["actual"] == .number(100)
                && published.payload.fields["count"] == .integer(3))
        #expect(fixture.monitor.recoveriesEmitted == 1 && publisher.count == 2)
        fixture.clock.advance(by: .milliseconds(20_000))
        #expect(fixture.check() == [])
        try fixture.record("m", [100])  // registered afresh and breaching: a new breach, a new violation
        #expect(fixture.check() == ["violation m-p50"])
        #expect(fixture.monitor.recoveriesEmitted == 1)
    }

    @Test func reRegisteringAMetricWhoseWindowIsEmptyReportsTheLastValueThatWasComputed() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p95", "m", "p95", 60, window: .seconds(1))])
        try fixture.record("m", [80, 75])
        #expect(fixture.check() == ["violation m-p95"])
        fixture.clock.advance(by: .milliseconds(2_000))
        #expect(fixture.check() == [])  // the window is empty: no proof of recovery
        #expect(fixture.monitor.statuses.first?.lastActual == nil)
        #expect(fixture.monitor.statuses.first?.violating == true)
        try fixture.registry.upsert(MetricDefinition(name: "m", capacity: 50))
        let events = fixture.monitor.checkAll()
        #expect(events.map(\.kind) == [.recovery])  // the kept samples are outside the window
        let recovery = try #require(events.first)
        #expect(recovery.reason == .metricReset && recovery.payload.fields["reason"] == "metric_reset")
        #expect(recovery.actual == 80 && recovery.count == 2 && recovery.violatingForMs == 2_000)
        #expect(fixture.monitor.statuses.first?.violating == false)
    }

    @Test func aBreachTheRateLimitKeptQuietGetsNoRecoveryWhenItsMetricIsReset() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.registry.register(MetricDefinition(name: "m", capacity: 1))
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
        try fixture.record("m", [10])
        #expect(fixture.check() == ["recovery m-p50"])
        try fixture.record("m", [100])
        #expect(fixture.check() == [])  // breached again, but never announced
        try fixture.registry.unregister("m")
        #expect(fixture.check() == [])
        #expect(fixture.monitor.recoveriesEmitted == 1)
    }

    @Test func replacingTheSLOSetEndsAnnouncedBreachesOfRemovedAndChangedSLOsAsSLORemoved() throws {
        let publisher = SLORecordingPublisher()
        let fixture = try SLOMonitorFixture(
            [
                sloForTest("kept", "a", "p50", 30), sloForTest("changed", "b", "p50", 30),
                sloForTest("removed", "c", "p50", 30), sloForTest("calm", "d", "p50", 30),
            ], publisher: publisher)
        for metric in ["a", "b", "c"] { try fixture.record(metric, [100]) }
        try fixture.record("d", [1])
        #expect(fixture.check() == ["violation kept", "violation changed", "violation removed"])
        fixture.clock.advance(by: .milliseconds(3_000))
        let stricter = try sloForTest("changed", "b", "p50", 20)
        let recoveries = try fixture.monitor.replaceSLOs([fixture.monitor.slos[0], stricter])
        // Published now, in the old order, describing the old definitions.
        #expect(recoveries.map(\.slo) == ["changed", "removed"])
        #expect(recoveries.allSatisfy { $0.kind == .recovery && $0.reason == .sloRemoved })
        #expect(recoveries.map(\.threshold) == [30, 30])
        #expect(recoveries.allSatisfy { $0.actual == 100 && $0.count == 1 && $0.violatingForMs == 3_000 })
        #expect(recoveries.allSatisfy { $0.timestamp == fixture.clock.nowMilliseconds() })
        let published = publisher.published.withLock { $0.suffix(2) }
        #expect(published.map(\.topic) == ["perf.slo_recovered", "perf.slo_recovered"])
        #expect(published.map { $0.payload.fields["reason"] } == ["slo_removed", "slo_removed"])
        #expect(fixture.monitor.recoveriesEmitted == 2)
        // The unchanged SLO keeps its limit; the changed one starts fresh and breaches anew.
        #expect(fixture.check() == ["violation changed"])
        #expect(try fixture.monitor.replaceSLOs(fixture.monitor.slos).isEmpty)
        #expect(try fixture.monitor.replaceSLOs([]).map(\.slo) == ["kept", "changed"])
        #expect(fixture.monitor.recoveriesEmitted == 4 && publisher.count == 8)
    }

    @Test func withNoPublisherAResetRecoveryGoesToTheConsoleFallbackWithItsReason() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.record("m", [100])
        fixture.monitor.checkAll()
        try fixture.registry.unregister("m")
        fixture.monitor.checkAll()
        #expect(
            fixture.log.messages(atLeast: .warning).last
                == "SLO recovered m-p50: m p50 = 100.0 ms (threshold above 30.0 ms, 1 samples, "
                + "violating for 0.0 ms, reason metric_reset)")
    }
}
