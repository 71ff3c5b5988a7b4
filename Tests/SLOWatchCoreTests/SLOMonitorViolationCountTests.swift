import Testing

@testable import SLOWatchCore

@Suite struct SLOMonitorViolationCountTests {
    @Test func violationsAreCountedPerSLOAndARemovedSLOKeepsItsCount() throws {
        let fixture = try SLOMonitorFixture(
            [sloForTest("a-p50", "a", "p50", 30), sloForTest("b-p50", "b", "p50", 30)],
            rateLimit: .seconds(1))
        #expect(fixture.monitor.violationsEmittedBySLO.isEmpty)
        try fixture.record("a", [100])
        try fixture.record("b", [10])
        #expect(fixture.check() == ["violation a-p50"])
        fixture.clock.advance(by: .milliseconds(1_000))
        #expect(fixture.check() == ["violation a-p50"])
        try fixture.record("b", [100, 100])
        #expect(fixture.check() == ["violation b-p50"])
        #expect(fixture.monitor.violationsEmittedBySLO == ["a-p50": 2, "b-p50": 1])

        // The removal publishes a recovery, which is not a violation, and the count stays.
        let recoveries = try fixture.monitor.replaceSLOs([sloForTest("b-p50", "b", "p50", 30)])
        #expect(recoveries.map(\.slo) == ["a-p50"])
        #expect(fixture.monitor.violationsEmittedBySLO == ["a-p50": 2, "b-p50": 1])
        #expect(fixture.monitor.violationsEmitted == 3)
    }
}
