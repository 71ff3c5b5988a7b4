import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// A monitor with one error-budget SLO (objective 99 %, so 1 % of events may be bad) on a manual clock,
/// fed by a ``ManualBudgetCountSource`` whose events the test adds once a simulated minute.
private struct BudgetFixture {
    let clock = ManualClock()
    let registry: MetricsRegistry
    let source: ManualBudgetCountSource
    let publisher = SLORecordingPublisher()
    let monitor: SLOMonitor
    /// Simulated minutes since the start of the test.
    var minute = 0

    init(alerts: [BurnAlertTier]? = nil, rateLimit: Duration = .seconds(10), prefillDays: Int = 3) throws {
        registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        source = ManualBudgetCountSource(clock: clock)
        let slo = try budgetSLO("api", alerts: alerts)
        monitor = try SLOMonitor(
            registry: registry, slos: [slo], publisher: publisher,
            configuration: .init(rateLimit: rateLimit), monotonicClock: clock, budgetSource: source)
        // `prefillDays` of good minutes (1,000 events each) before the test starts.
        let now = clock.nowMilliseconds()
        for back in stride(from: prefillDays * 1_440, through: 1, by: -1) {
            source.add(sloID: "api", atMilliseconds: now - Double(back) * 60_000 + 30_000, good: 1_000)
        }
    }

    /// One minute passes with `bad` of its 1,000 events bad, then a check runs; returns `kind tier` of
    /// each burn event it published.
    mutating func step(bad: UInt64) -> [String] {
        minute += 1
        let before = publisher.count
        clock.advance(by: .seconds(60))
        source.add(
            sloID: "api", atMilliseconds: clock.nowMilliseconds() - 30_000, good: 1_000 - bad, bad: bad)
        monitor.checkAll()
        return publisher.published.withLock { Array($0[before...]) }.compactMap { entry in
            entry.payload.burnEvent.map { "\($0.kind) \($0.tier)" }
        }
    }

    /// Runs `minutes` steps with `bad` bad events each; returns each event with its minute.
    mutating func run(minutes: Int, bad: UInt64) -> [String] {
        (0..<minutes).flatMap { _ in step(bad: bad).map { "\(minute): \($0)" } }
    }
}

/// An SLO `id` on metric `m` with objective 99 and a 30-day period.
func budgetSLO(
    _ id: String, objective: Double = 99, alerts: [BurnAlertTier]? = nil,
    method: BudgetingMethod = .occurrences
) throws -> SLODefinition {
    try SLODefinition(
        id: id, metric: "m", percentile: "p99", threshold: 250,
        budget: SLOBudget(slo: id, objective: objective, method: method, alerts: alerts))
}

@Suite struct SLOBudgetMonitorTests {
    @Test func aShortBurstTripsOnlyPageFastAndItResolvesWhenTheShortWindowClears() throws {
        var fixture = try BudgetFixture()
        // 10 minutes all bad: the 1h burn reaches 14.4 after 9 of them (9,000/60,000 / 1 % = 15).
        var events = fixture.run(minutes: 10, bad: 1_000)
        #expect(events == ["9: alert page-fast"])
        // Good again: the 5m window holds a bad minute until minute 15.
        events = fixture.run(minutes: 200, bad: 0)
        #expect(events == ["15: resolved page-fast"])
        let status = try #require(fixture.monitor.status(id: "api")?.budget)
        #expect(status.bad == 10_000)
        #expect(status.alerts.map(\.firing) == [false, false, false, false])
    }

    @Test func aSlowLeakTripsOnlyTicketSlow() throws {
        var fixture = try BudgetFixture()
        // 2 % bad burns at 2: the 3d window passes 1 after 2,161 minutes; 1d never reaches 3.
        var events = fixture.run(minutes: 2_200, bad: 20)
        #expect(events == ["2161: alert ticket-slow"])
        // Good again: the 6h window's burn is (360 − j)/180 after j good minutes, 1 at j = 180.
        events = fixture.run(minutes: 400, bad: 0)
        #expect(events == ["2380: resolved ticket-slow"])
    }

    @Test func pageSlowFiresOnAnEightPercentBurnAndResolvesWhenItsShortWindowClears() throws {
        var fixture = try BudgetFixture()
        // Burn 8: 6h passes 6 after 271 minutes; 14.4 (page-fast) and 1d/3d are never reached.
        var events = fixture.run(minutes: 300, bad: 80)
        #expect(events == ["271: alert page-slow"])
        // The 30m window: 80·(30 − j)/300 > 6 until j = 8.
        events = fixture.run(minutes: 60, bad: 0)
        #expect(events == ["308: resolved page-slow"])
    }

    @Test func ticketFastFiresOnAFourPercentBurnWithTicketSlow() throws {
        var fixture = try BudgetFixture()
        var events = fixture.run(minutes: 1_100, bad: 40)
        #expect(events == ["1081: alert ticket-fast", "1081: alert ticket-slow"])
        // 2h: 40·(120 − j)/1,200 > 3 until j = 30; 6h: 40·(360 − j)/3,600 > 1 until j = 270.
        events = fixture.run(minutes: 300, bad: 0)
        #expect(events == ["1130: resolved ticket-fast", "1370: resolved ticket-slow"])
    }

    @Test func theStatusShowsTheBudgetAndTheBurnRatesOfTheStandardWindows() throws {
        var fixture = try BudgetFixture(prefillDays: 0)
        _ = fixture.run(minutes: 4, bad: 0)
        _ = fixture.step(bad: 10)
        let budget = try #require(fixture.monitor.status(id: "api")?.budget)
        #expect(budget.total == 5_000 && budget.good == 4_990 && budget.bad == 10)
        #expect(abs(budget.allowedBad - 50) < 1e-9)
        #expect(abs(budget.remaining - 0.8) < 1e-9)
        #expect(budget.burnRates.map(\.windowMilliseconds) == SLOBudgetStatus.statusWindowsMilliseconds)
        // 10 bad of 5,000 is 0.2 %, a burn rate of 0.2 in every window.
        #expect(budget.burnRates.allSatisfy { abs(($0.burnRate ?? 0) - 0.2) < 1e-9 })
        #expect(budget.alerts.map(\.tier.name) == ["page-fast", "page-slow", "ticket-fast", "ticket-slow"])
    }

    @Test func aWindowWithoutEventsHasNoBurnRate() throws {
        let fixture = try BudgetFixture(prefillDays: 0)
        fixture.monitor.checkAll()
        let budget = try #require(fixture.monitor.status(id: "api")?.budget)
        #expect(budget.total == 0 && budget.remaining == 1)
        #expect(budget.burnRates.allSatisfy { $0.burnRate == nil })
    }

    @Test func replacedTiersFireWithTheirOwnRateAndSeverity() throws {
        let tier = try BurnAlertTier(
            slo: "api", name: "fast", burnRate: 2, longWindowMilliseconds: 600_000,
            shortWindowMilliseconds: 120_000, severity: "page")
        var fixture = try BudgetFixture(alerts: [tier], prefillDays: 0)
        // 3 % bad: the 10m and 2m burns are 3 > 2 from the first minute.
        let events = fixture.run(minutes: 3, bad: 30)
        #expect(events == ["1: alert fast"])
        let alert = try #require(fixture.publisher.published.withLock { $0.last?.payload.burnEvent })
        #expect(alert.severity == "page" && alert.factor == 2)
        #expect(alert.longWindowMs == 600_000 && alert.shortWindowMs == 120_000)
        #expect(alert.topic == "perf.slo_burn_alert")
    }

    @Test func anEmptyTierListDisablesAlerting() throws {
        var fixture = try BudgetFixture(alerts: [])
        #expect(fixture.run(minutes: 20, bad: 1_000).isEmpty)
        #expect(fixture.monitor.status(id: "api")?.budget?.alerts.isEmpty == true)
        #expect(fixture.monitor.status(id: "api")?.budget?.bad == 20_000)
    }

    @Test func aFlappingTierIsRateLimitedAndAnUnannouncedFiringGetsNoResolution() throws {
        let tier = try BurnAlertTier(
            slo: "api", name: "fast", burnRate: 2, longWindowMilliseconds: 60_000,
            shortWindowMilliseconds: 60_000, severity: "page")
        var fixture = try BudgetFixture(alerts: [tier], rateLimit: .seconds(300), prefillDays: 0)
        var events: [String] = []
        for bad: UInt64 in [50, 0, 50, 0, 50, 0, 50] {
            events += fixture.step(bad: bad).map { "\(fixture.minute): \($0)" }
        }
        // Fires at 1, resolves at 2; fires again at 3 and 5 within the 5-minute limit (no events); at 7
        // the limit is open again.
        #expect(events == ["1: alert fast", "2: resolved fast", "7: alert fast"])
    }

    @Test func removingAFiringSLOResolvesItsAlertsAndStopsItsCounter() throws {
        var fixture = try BudgetFixture()
        _ = fixture.run(minutes: 10, bad: 1_000)
        #expect(fixture.source.specs["api"] != nil)
        let before = fixture.publisher.count
        #expect(fixture.monitor.removeSLO(id: "api") == [])
        let ended = fixture.publisher.published.withLock { Array($0[before...]) }.compactMap(
            \.payload.burnEvent)
        #expect(ended.map(\.tier) == ["page-fast"])
        #expect(ended.first?.reason == .sloRemoved && ended.first?.kind == .resolved)
        #expect(fixture.source.specs["api"] == nil)
    }

    @Test func aTimeslicesSLOCountsSlicesAndRegistersItsRule() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let source = ManualBudgetCountSource(clock: clock)
        let monitor = try SLOMonitor(
            registry: registry, slos: [budgetSLO("ts", method: .timeslices)], monotonicClock: clock,
            budgetSource: source)
        let rule = try #require(source.specs["ts"]?.timeslice)
        #expect(rule.sliceMilliseconds == 60_000 && rule.quantile == 0.99 && rule.minSamples == 1)
        source.add(sloID: "ts", good: 5_000, bad: 5_000, goodSlices: 98, badSlices: 2)
        clock.advance(by: .seconds(1))
        monitor.checkAll()
        let budget = try #require(monitor.status(id: "ts")?.budget)
        #expect(budget.total == 100 && budget.bad == 2 && abs(budget.allowedBad - 1) < 1e-9)
        #expect(abs(budget.remaining - (-1)) < 1e-9)
    }

    @Test func aPlainSLOHasNoBudgetAndNoCounter() throws {
        let clock = ManualClock()
        let source = ManualBudgetCountSource(clock: clock)
        let monitor = try SLOMonitor(
            registry: MetricsRegistry(wallClock: clock, monotonicClock: clock),
            slos: [sloForTest("plain", "m", "p95", 60)], monotonicClock: clock, budgetSource: source)
        monitor.checkAll()
        #expect(source.specs.isEmpty)
        #expect(monitor.status(id: "plain")?.budget == nil)
    }

    @Test func theDefaultTiersScaleTheirWindowsWithThePeriod() throws {
        let week = BurnAlertTier.defaults(periodMilliseconds: 7 * 86_400_000)
        // 7/30 of 1h is 14 min, of 5m 70 s; of 3d 16.8 h.
        #expect(
            week.first?.longWindowMilliseconds == 840_000 && week.first?.shortWindowMilliseconds == 70_000)
        #expect(week.last?.longWindowMilliseconds == 60_480_000)
        #expect(week.map(\.burnRate) == [14.4, 6, 3, 1])
        #expect(week.map(\.severity) == ["critical", "critical", "warning", "warning"])
    }

    @Test func theCumulativeEventCountsKeepGrowingPastHalfTheRetention() throws {
        let clock = ManualClock()
        let source = ManualBudgetCountSource(clock: clock)
        let monitor = try SLOMonitor(
            registry: MetricsRegistry(wallClock: clock, monotonicClock: clock), slos: [budgetSLO("api")],
            monotonicClock: clock, budgetSource: source)
        var previousGood: UInt64 = 0
        for day in 1...40 {
            clock.advance(by: .seconds(86_400))
            source.add(sloID: "api", atMilliseconds: clock.nowMilliseconds() - 60_000, good: 10, bad: 1)
            monitor.checkAll()
            let budget = try #require(monitor.status(id: "api")?.budget)
            // The anchor rolls forward after 17.5 days (half the 35-day retention); nothing is lost.
            #expect(budget.cumulativeGood == UInt64(10 * day) && budget.cumulativeBad == UInt64(day))
            #expect(budget.cumulativeGood >= previousGood)
            previousGood = budget.cumulativeGood
        }
        // The period's counts cover only the last 30 days.
        #expect(monitor.status(id: "api")?.budget?.total == 330)
    }
}
