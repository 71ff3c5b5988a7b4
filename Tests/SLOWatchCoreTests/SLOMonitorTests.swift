import Testing

@testable import SLOWatchCore

@Suite struct SLOMonitorTests {
    @Test func aPercentileOverTheThresholdIsAViolationWithEveryFieldAndWithinItIsNot() throws {
        let fixture = try SLOMonitorFixture([sloForTest("echo-p50", "echo", "p50", 30)])
        try fixture.record("echo", [10, 20, 30])
        #expect(fixture.check() == [])
        #expect(fixture.monitor.statuses.first?.lastActual == 20)
        #expect(fixture.monitor.statuses.first?.violating == false)

        try fixture.record("echo", [40, 50])  // 10 20 30 40 50: p50 is the 3rd = 30, equal is within
        #expect(fixture.check() == [])
        try fixture.record("echo", [60])  // p50 is now the 3rd of 6 = 30 still
        #expect(fixture.check() == [])
        try fixture.record("echo", [70])  // p50 is the 4th of 7 = 40
        let events = fixture.monitor.checkAll()
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .violation)
        #expect(event.topic == "perf.slo_violation")
        #expect(event.slo == "echo-p50" && event.metric == "echo")
        #expect(event.percentile == "p50" && event.quantile == 0.5)
        #expect(event.threshold == 30 && event.actual == 40 && event.unit == "ms")
        #expect(event.direction == .above && event.count == 7)
        #expect(event.timestamp == fixture.clock.nowMilliseconds())
        #expect(event.violatingForMs == nil)
        #expect(fixture.monitor.statuses.first?.violating == true)
        #expect(fixture.monitor.violationsEmitted == 1)
        #expect(fixture.monitor.checks == 4)
    }

    @Test func noSamplesOrAnUnknownMetricIsNoBreach() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("empty-p50", "empty", "p50", 0), sloForTest("ghost-p50", "ghost", "p50", 0),
        ])
        try fixture.registry.register(MetricDefinition(name: "empty"))
        #expect(fixture.check() == [])
        #expect(fixture.monitor.statuses.map(\.lastCount) == [0, 0])
        #expect(fixture.monitor.statuses.map(\.lastActual) == [nil, nil])
        try fixture.record("empty", [1])
        #expect(fixture.check() == ["violation empty-p50"])
    }

    @Test func fewerSamplesThanMinSamplesAreNotJudged() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30, minSamples: 5)])
        try fixture.record("m", [100, 100, 100, 100])
        #expect(fixture.check() == [])
        #expect(fixture.monitor.statuses.first?.lastCount == 4)
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
    }

    @Test func theRateLimitSuppressesASecondViolationWithinTheWindowAndAllowsItAfter() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .milliseconds(9_999))
        #expect(fixture.check() == [])
        #expect(fixture.monitor.statuses.first?.violating == true)
        fixture.clock.advance(by: .milliseconds(1))
        #expect(fixture.check() == ["violation m-p50"])
        #expect(fixture.check() == [])
        #expect(fixture.monitor.violationsEmitted == 2)
    }

    @Test func theRateWindowIsConfigurable() throws {
        let fixture = try SLOMonitorFixture(
            [sloForTest("m-p50", "m", "p50", 30)], rateLimit: .milliseconds(500))
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .milliseconds(499))
        #expect(fixture.check() == [])
        fixture.clock.advance(by: .milliseconds(1))
        #expect(fixture.check() == ["violation m-p50"])
    }

    @Test func eachSLOAndEachMetricHasItsOwnRateLimit() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("a-p50", "a", "p50", 30), sloForTest("a-p95", "a", "p95", 60),
            sloForTest("b-p50", "b", "p50", 30),
        ])
        // a: 18 fast and 2 slow samples: p95 (the 19th) breaches, p50 does not.
        try fixture.record("a", Array(repeating: 10, count: 18) + [100, 100])
        #expect(fixture.check() == ["violation a-p95"])
        fixture.clock.advance(by: .milliseconds(5_000))
        // Now a's p50 breaches too, and b starts breaching: both fire although a-p95 is limited.
        try fixture.record("a", Array(repeating: 100, count: 20))
        try fixture.record("b", [100])
        #expect(fixture.check() == ["violation a-p50", "violation b-p50"])
        fixture.clock.advance(by: .milliseconds(5_000))
        #expect(fixture.check() == ["violation a-p95"])
        fixture.clock.advance(by: .milliseconds(5_000))
        #expect(fixture.check() == ["violation a-p50", "violation b-p50"])
    }

    @Test func severalMetricsViolatingAtOnceAllEmit() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("input-to-echo-p50", "input-to-echo", "p50", 30),
            sloForTest("input-to-echo-p95", "input-to-echo", "p95", 60),
            sloForTest("input-to-render-p50", "input-to-render", "p50", 60),
            sloForTest("input-to-render-p95", "input-to-render", "p95", 150),
            sloForTest("fps-p50", "fps", "p50", 60, direction: .below, unit: "fps"),
            sloForTest("memory-p95", "memory", "p95", 500, unit: "MB"),
            sloForTest("startup-to-interactive-p95", "startup-to-interactive", "p95", 2000),
        ])
        try fixture.record("input-to-echo", [500])
        try fixture.record("input-to-render", [500])
        try fixture.record("fps", [20])
        try fixture.record("memory", [900])
        try fixture.record("startup-to-interactive", [5_000])
        #expect(
            fixture.check() == [
                "violation input-to-echo-p50", "violation input-to-echo-p95", "violation input-to-render-p50",
                "violation input-to-render-p95", "violation fps-p50", "violation memory-p95",
                "violation startup-to-interactive-p95",
            ])
        #expect(fixture.monitor.violationsEmitted == 7)
        #expect(fixture.monitor.statuses.allSatisfy { $0.violating })
    }

    @Test func directionBelowBreachesUnderTheThreshold() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("fps-p50", "fps", "p50", 60, direction: .below, unit: "fps")
        ])
        try fixture.record("fps", [60, 60, 61])
        #expect(fixture.check() == [])
        try fixture.record("fps", [30, 30, 30, 30])
        let event = try #require(fixture.monitor.checkAll().first)
        #expect(
            event.kind == .violation && event.actual == 30 && event.direction == .below && event.unit == "fps"
        )
    }

    @Test func aWindowedSLOJudgesOnlyTheSamplesInsideItsWindow() throws {
        let fixture = try SLOMonitorFixture([
            sloForTest("m-p50", "m", "p50", 30, window: .seconds(1), minSamples: 2)
        ])
        let now = fixture.clock.nowMilliseconds()
        try fixture.record("m", [500, 500, 500], timestamp: now - 5_000)
        try fixture.record("m", [10], timestamp: now - 500)
        #expect(fixture.check() == [])  // only one sample in the window: below minSamples
        #expect(fixture.monitor.statuses.first?.lastCount == 1)
        try fixture.record("m", [20], timestamp: now - 100)
        #expect(fixture.check() == [])  // 10 and 20 in the window; the old 500s do not count
        try fixture.record("m", [90, 90], timestamp: now)
        #expect(fixture.check() == [])  // p50 of 10 20 90 90 is the 2nd: 20
        try fixture.record("m", [90], timestamp: now)
        let event = try #require(fixture.monitor.checkAll().first)
        #expect(event.count == 5 && event.actual == 90)
        fixture.clock.advance(by: .milliseconds(2_000))
        #expect(fixture.check() == [])  // the window is empty now
        #expect(fixture.monitor.statuses.first?.lastCount == 0)
    }

    @Test func reRegisteringOrUnregisteringAMetricResetsItsSLOsAndEndsTheAnnouncedBreach() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .milliseconds(1_000))
        #expect(fixture.check() == [])
        let before = fixture.registry.registrationID(for: "m")
        try fixture.registry.upsert(MetricDefinition(name: "m", capacity: 100))
        #expect(fixture.registry.registrationID(for: "m") != before)
        // The old breach ends (metric_reset); the kept samples breach anew, and the limit was reset.
        #expect(fixture.check() == ["recovery m-p50", "violation m-p50"])

        try fixture.registry.unregister("m")
        #expect(fixture.check() == ["recovery m-p50"])
        #expect(fixture.monitor.statuses.first?.violating == false)
        try fixture.record("m", [1])  // registered afresh, within: that breach has already ended
        #expect(fixture.check() == [])
        #expect(fixture.monitor.recoveriesEmitted == 2)
        #expect(fixture.monitor.violationsEmitted == 2)
    }
}
