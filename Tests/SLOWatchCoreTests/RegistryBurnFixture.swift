import SLOWatchCoreTesting

@testable import SLOWatchCore

/// One row of the SRE workbook's alert table for a 30-day period, as issue 16 states it. The test keeps
/// its own copy, so that the moments it expects do not come from the code under test.
struct WorkbookTier: Sendable, Equatable {
    /// The tier's name.
    let name: String
    /// The burn rate both windows must exceed, in tenths (14.4 is 144), so the model compares exactly.
    let factorTenths: Int
    /// The long window, in minutes.
    let longMinutes: Int
    /// The short window, in minutes.
    let shortMinutes: Int
    /// The severity label.
    let severity: String

    /// page-fast 14.4 over 1h and 5m, page-slow 6 over 6h and 30m, ticket-fast 3 over 1d and 2h,
    /// ticket-slow 1 over 3d and 6h.
    static let table = [
        WorkbookTier(
            name: "page-fast", factorTenths: 144, longMinutes: 60, shortMinutes: 5, severity: "critical"),
        WorkbookTier(
            name: "page-slow", factorTenths: 60, longMinutes: 360, shortMinutes: 30, severity: "critical"),
        WorkbookTier(
            name: "ticket-fast", factorTenths: 30, longMinutes: 1_440, shortMinutes: 120, severity: "warning"),
        WorkbookTier(
            name: "ticket-slow", factorTenths: 10, longMinutes: 4_320, shortMinutes: 360, severity: "warning"),
    ]
}

/// A real ``MetricsRegistry`` counting one error-budget SLO at ingest (objective 99 %, 30-day period,
/// the default tiers), a real ``SLOMonitor`` checking it once a simulated minute on a ``ManualClock``,
/// and the test's own model of what the tiers must do.
///
/// Each simulated minute gets ``volume`` samples in its middle, in one batch: the bad ones at 1,000 ms, the good ones
/// at 100 ms (threshold 250 ms); then the clock reaches the minute's end and a check runs. The clock
/// starts on an hour boundary, so minute `i` covers [start + i min, start + (i + 1) min).
///
/// The model: at the check ending minute `t`, a window of `w` minutes covers minutes [t − w, t), its
/// start rounded down to the hour when `w` is longer than 48 h (the registry reads such a window from
/// its 1-hour slices and widens the span to their boundaries, as ``BudgetCounts`` documents; shorter
/// windows start on whole minutes, which are slice boundaries of the finer tiers). Its burn rate is
/// (bad/total) / 1 %, none without events. A tier fires while both windows burn faster than its factor;
/// an alert is expected when it starts firing and a resolution when it stops.
final class RegistryBurnFixture {
    /// Samples per simulated minute.
    static let volume = 100
    /// 2025-11-29T05:00:00Z, an hour boundary, in ms since the epoch.
    static let startMilliseconds = 1_764_392_400_000.0

    let clock = ManualClock(startMilliseconds: RegistryBurnFixture.startMilliseconds)
    let registry: MetricsRegistry
    let publisher = SLORecordingPublisher()
    let monitor: SLOMonitor
    /// The metric `m`, recorded in batches as `POST /samples` does.
    private let handle: MetricHandle
    /// Minutes of good traffic before the traffic under test; events are labelled from its end.
    let prefillMinutes: Int
    /// Good and bad samples up to each minute: index `i` sums minutes 0..<i.
    private var goodBefore = [0]
    private var badBefore = [0]
    private var firing = [String: Bool]()
    /// `minute: kind tier` of each burn event the monitor published, minutes counted from the end of
    /// the prefill.
    private(set) var observed: [String] = []
    /// The same for the model.
    private(set) var expected: [String] = []
    /// The first check where a tier's reported burn rate differed from the model's, if any.
    private(set) var firstRateMismatch: String?

    /// Builds the registry and the monitor, then records `prefillMinutes` good minutes (default 3 days,
    /// the longest window) without checks: nothing can fire on good traffic, and the checks would
    /// triple the test's time.
    init(prefillMinutes: Int = 4_320) throws {
        registry = MetricsRegistry(
            configuration: .init(defaultCapacity: 200), wallClock: clock, monotonicClock: clock)
        let slo = try SLODefinition(
            id: "api", metric: "m", percentile: "p99", threshold: 250,
            budget: SLOBudget(slo: "api", objective: 99))
        monitor = try SLOMonitor(
            registry: registry, slos: [slo], publisher: publisher, monotonicClock: clock,
            budgetSource: registry)
        handle = try registry.handle(for: "m")
        self.prefillMinutes = prefillMinutes
        for _ in 0..<prefillMinutes { try step(bad: 0, checking: false) }
    }

    /// Minutes since the end of the prefill, at the last check.
    var minute: Int { goodBefore.count - 1 - prefillMinutes }

    /// Runs `minutes` minutes, minute `k` of them (from 0) with `bad(k)` bad samples.
    func run(minutes: Int, bad: (Int) -> Int) throws {
        for k in 0..<minutes { try step(bad: bad(k)) }
    }

    /// One minute with `bad` bad samples, then a check (unless `checking` is false); records what the
    /// monitor and the model did.
    func step(bad: Int, checking: Bool = true) throws {
        clock.advance(by: .seconds(30))
        let now = clock.nowMilliseconds()
        let samples = (0..<Self.volume).map { RecentSample(value: $0 < bad ? 1_000 : 100, timestamp: now) }
        try samples.withUnsafeBufferPointer { buffer throws(MetricsError) in
            try registry.record(handle, samples: buffer)
        }
        clock.advance(by: .seconds(30))
        goodBefore.append(goodBefore[goodBefore.count - 1] + Self.volume - bad)
        badBefore.append(badBefore[badBefore.count - 1] + bad)
        guard checking else { return }
        let before = publisher.count
        monitor.checkAll()
        let label = minute
        observed += publisher.published.withLock { Array($0[before...]) }.compactMap {
            $0.payload.burnEvent.map { "\(label): \($0.kind) \($0.tier)" }
        }
        judgeModel(label: label)
    }

    /// The model's burn rate of the window of `minutes` ending now, nil without events.
    func modelBurn(windowMinutes: Int) -> Double? {
        let (bad, total) = modelCounts(windowMinutes: windowMinutes)
        return total > 0 ? Double(bad) * 100 / Double(total) : nil
    }

    /// The model's bad and total samples in the window of `windowMinutes` ending now.
    private func modelCounts(windowMinutes: Int) -> (bad: Int, total: Int) {
        let now = goodBefore.count - 1
        var from = now - windowMinutes
        if windowMinutes > 48 * 60 { from = Int((Double(from) / 60).rounded(.down)) * 60 }
        from = max(0, from)
        let bad = badBefore[now] - badBefore[from]
        return (bad, bad + goodBefore[now] - goodBefore[from])
    }

    /// Whether the window burns faster than `factorTenths` / 10, in exact integer arithmetic.
    private func burnsFaster(windowMinutes: Int, factorTenths: Int) -> Bool {
        let (bad, total) = modelCounts(windowMinutes: windowMinutes)
        return total > 0 && bad * 1_000 > factorTenths * total
    }

    private func judgeModel(label: Int) {
        let states = monitor.status(id: "api")?.budget?.alerts ?? []
        for (position, tier) in WorkbookTier.table.enumerated() {
            let now =
                burnsFaster(windowMinutes: tier.longMinutes, factorTenths: tier.factorTenths)
                && burnsFaster(windowMinutes: tier.shortMinutes, factorTenths: tier.factorTenths)
            if now != (firing[tier.name] ?? false) {
                expected.append("\(label): \(now ? "alert" : "resolved") \(tier.name)")
                firing[tier.name] = now
            }
            guard firstRateMismatch == nil else { continue }
            let state = states.indices.contains(position) ? states[position] : nil
            let pairs = [
                (state?.longBurnRate, modelBurn(windowMinutes: tier.longMinutes)),
                (state?.shortBurnRate, modelBurn(windowMinutes: tier.shortMinutes)),
            ]
            if state == nil || pairs.contains(where: { !Self.same($0.0, $0.1) }) {
                firstRateMismatch =
                    "\(label): \(tier.name) reported \(pairs.map(\.0)), model \(pairs.map(\.1))"
            }
        }
    }

    private static func same(_ reported: Double?, _ model: Double?) -> Bool {
        switch (reported, model) {
        case (nil, nil): true
        case (let reported?, let model?): abs(reported - model) <= 1e-9 * max(1, abs(model))
        default: false
        }
    }
}
