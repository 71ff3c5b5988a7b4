import SLOWatchCore
import SLOWatchSync
import SeededRandom

/// `SLOMonitor.checkAll` with 100 error-budget SLOs (default tiers, 30-day period), each check reading
/// the period, the seven status windows and the tiers' windows from a count source. The source is an
/// in-memory fake (per-minute prefix sums over 35 days, shared by every SLO, answered in O(log n)), so
/// the figure is the monitor's own cost, not the registry's counters.
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
        var timings: [Double] = []
        for _ in 0..<220 {
            let start = Bench.now()
            monitor.checkAll()
            timings.append(Double(Bench.now() - start))
        }
        let measured = Timings(perOperation: Array(timings.dropFirst(20)), operations: 200)
        bench.report("check_all_100_budget_slos_fake_source", measured)
        bench.checkTime(
            "check_all_100_budget_slos_fake_source", "p99", actual: measured.p99, budget: 5_000_000)
    }
}
