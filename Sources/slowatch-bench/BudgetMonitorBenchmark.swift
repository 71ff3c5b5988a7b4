import SLOWatchCore
import SLOWatchSync
import SeededRandom

/// `SLOMonitor.checkAll` with 100 error-budget SLOs (default tiers, 30-day period), each check reading
/// the period, the seven status windows and the tiers' windows from a count source: first an in-memory
/// fake (per-minute prefix sums over 35 days, shared by every SLO, answered in O(log n)), the monitor's
/// own cost; then the registry's counters, backfilled from 35 days of history.
enum BudgetMonitorBenchmark {
    /// Per-minute good/bad prefix sums ending at `end` (ms), the same series for every SLO.
    final class PrefixSumSource: BudgetCountSource {
        let startMilliseconds: Double
        let good: [UInt64]
        let bad: [UInt64]
        private let started = PThreadLock<Set<String>>([])

        init(endMilliseconds: Double, minutes: Int, random: inout SplitMix64) {
            startMilliseconds = endMilliseconds - Double(minutes) * 60_000
            var good: [UInt64] = [0]
            var bad: [UInt64] = [0]
            good.reserveCapacity(minutes + 1)
            bad.reserveCapacity(minutes + 1)
            for _ in 0..<minutes {
                let badMinute = random.next() % 5
                good.append(good[good.count - 1] + 1_000 - badMinute)
                bad.append(bad[bad.count - 1] + badMinute)
            }
            self.good = good
            self.bad = bad
        }

        func startCounting(_ spec: BudgetCounterSpec) -> Int64 {
            started.withLock { _ = $0.insert(spec.sloID) }
            return Int64(startMilliseconds)
        }

        func stopCounting(sloID: String) { started.withLock { _ = $0.remove(sloID) } }

        func budgetCounts(sloID: String, fromMilliseconds: Double, toMilliseconds: Double) -> BudgetCounts? {
            let last = good.count - 1
            func index(_ milliseconds: Double) -> Int {
                min(last, max(0, Int(((milliseconds - startMilliseconds) / 60_000).rounded(.up))))
            }
            let (low, high) = (index(fromMilliseconds), index(toMilliseconds))
            return BudgetCounts(
                goodEvents: good[high] - good[low],
                totalEvents: good[high] - good[low] + bad[high] - bad[low],
                fromMilliseconds: Int64(fromMilliseconds), toMilliseconds: Int64(toMilliseconds),
                exactSinceMilliseconds: Int64(startMilliseconds))
        }
    }

    static func run(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 13)
        let source = PrefixSumSource(
            endMilliseconds: registry.wallClock.nowMilliseconds() + 3_600_000, minutes: 35 * 1_440,
            random: &random)
        let slos = (0..<100).compactMap { index -> SLODefinition? in
            guard let budget = try? SLOBudget(slo: "budget-\(index)", objective: 99.9) else { return nil }
            return try? SLODefinition(
                id: "budget-\(index)", metric: "service.\(index % 10).latency", percentile: "p99",
                threshold: 250, budget: budget)
        }
        guard slos.count == 100,
            let monitor = try? SLOMonitor(registry: registry, slos: slos, budgetSource: source)
        else {
            bench.checkBytes("budget monitor setup failed", actual: 1, budget: 0)
            return
        }
        let measured = Bench.time(samples: 200, warmUp: 20) { _ in monitor.checkAll() }
        bench.report("check_all_100_budget_slos_fake_source", measured)
        bench.checkTime(
            "check_all_100_budget_slos_fake_source", "p99", actual: measured.p99, budget: 5_000_000)
        runWithRegistry(&bench, slos: slos)
    }

    /// The same 100 SLOs with the registry as the count source, as the service runs them: 10 metrics
    /// with one sample a minute over the last 35 days (recorded with their timestamps, so they are in
    /// history), then the monitor starts the counters, which backfill the 35 days from history, and
    /// every check reads the registry's counters.
    static func runWithRegistry(_ bench: inout Bench, slos: [SLODefinition]) {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 17)
        let now = registry.wallClock.nowMilliseconds()
        let minutes = 35 * 1_440
        for metric in 0..<10 {
            let name = "service.\(metric).latency"
            for minute in 0..<minutes {
                let value = Double(100 + random.next() % 200)
                try? registry.record(name, value: value, timestamp: now - Double(minutes - minute) * 60_000)
            }
        }
        guard let monitor = try? SLOMonitor(registry: registry, slos: slos, budgetSource: registry) else {
            bench.checkBytes("budget monitor setup failed", actual: 1, budget: 0)
            return
        }
        let measured = Bench.time(samples: 200, warmUp: 20) { _ in monitor.checkAll() }
        bench.report("check_all_100_budget_slos_registry", measured)
        bench.checkTime("check_all_100_budget_slos_registry", "p50", actual: measured.p50, budget: 5_000_000)
    }
}
