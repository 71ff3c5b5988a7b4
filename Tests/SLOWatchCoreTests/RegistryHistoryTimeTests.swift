import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// The history's notion of time through the registry: "now" is the wall clock the registry checks
/// timestamps against, never the history's newest sample.
@Suite("Registry history: time")
struct RegistryHistoryTimeTests {
    @Test(
        "after a quiet spell longer than five minutes, samples at the present time go into history",
        arguments: [300_000.0, 3_600_000.0, .infinity])
    func quietSpellThenPresent(skewMilliseconds: Double) throws {
        let clock = ManualClock()
        var configuration = MetricsRegistry.Configuration()
        configuration.maxFutureSkewMilliseconds = skewMilliseconds
        let registry = MetricsRegistry(configuration: configuration, wallClock: clock, monotonicClock: clock)
        try registry.record("api", value: 1)
        clock.advance(by: .seconds(600))
        try registry.record("api", value: 2)
        try registry.record("api", value: 3, timestamp: clock.nowMilliseconds() + 60_000)
        let counters = try #require(registry.historyCounters(for: "api"))
        #expect(counters.future == 0 && counters.late == 0)
        let span = try #require(registry.historySpan(for: "api", from: 0, to: .infinity))
        #expect(span.histogram.count == 3)
    }

    @Test("a timestamp past the skew limit is refused by the registry and reaches neither ring nor history")
    func pastTheSkewLimit() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(configuration: .init(), wallClock: clock, monotonicClock: clock)
        try registry.record("api", value: 1)
        let error = #expect(throws: MetricsError.self) {
            try registry.record("api", value: 2, timestamp: clock.nowMilliseconds() + 300_001)
        }
        #expect(error?.kind == .futureTimestamp)
        let span = try #require(registry.historySpan(for: "api", from: 0, to: .infinity))
        #expect(span.histogram.count == 1)
        #expect(registry.totalRecorded == 1)
    }
}
