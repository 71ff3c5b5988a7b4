import SLOWatchCore

/// Issue 16's exact budget counters: what they add to `record`, and what the monitor's reads cost.
enum BudgetCounterBenchmark {
    /// Calls per timed batch; see `Bench.time`.
    static let batch = 100

    /// The windows the monitor reads per budget SLO and check, in ms: 5m, 30m, 1h, 2h, 6h, 1d, 3d and
    /// the 30-day period.
    static let windows: [Double] = [
        300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000, 3 * 86_400_000, 30 * 86_400_000,
    ]

    static func run(_ bench: inout Bench) {
        record(&bench)
        reads(&bench)
    }

    /// `record` into a metric with 3 budget SLOs, stamped by the wall clock as the `record` benchmark is
    /// (which has none), so the two figures compare.
    static func record(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        for (index, threshold) in [100.0, 250, 500].enumerated() {
            registry.startCounting(
                BudgetCounterSpec(
                    sloID: "slo\(index)", metric: "api.latency", threshold: threshold, direction: .above))
        }
        let timings = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { run in
            let base = Double(run & 1023)
            for index in 0..<batch { try? registry.record("api.latency", value: base + Double(index)) }
        }
        bench.report("record_3_budget_slos", timings)
        bench.checkTime("record_3_budget_slos", "p50", actual: timings.p50, budget: 100)
    }

    /// One monitor check's reads: 100 budget SLOs × the 8 windows, after 35 days of one sample a minute
    /// per metric (10 metrics, 10 SLOs each), so every tier holds slices.
    static func reads(_ bench: inout Bench) {
        let registry = MetricsRegistry(configuration: .init(maxFutureSkewMilliseconds: .infinity))
        for slo in 0..<100 {
            registry.startCounting(
                BudgetCounterSpec(
                    sloID: "slo\(slo)", metric: "m\(slo % 10)", threshold: Double(slo % 10) * 10,
                    direction: .above))
        }
        let end = 1_790_000_000_000.0
        let start = end - 35 * 86_400_000
        for metric in 0..<10 {
            var time = start
            while time < end {
                try? registry.record("m\(metric)", value: Double(Int(time / 60_000) % 100), timestamp: time)
                time += 60_000
            }
        }
        var sink: UInt64 = 0
        let timings = Bench.time(samples: 200, warmUp: 20) { _ in
            for slo in 0..<100 {
                for window in windows {
                    let counts = registry.budgetCounts(
                        sloID: "slo\(slo)", fromMilliseconds: end - window, toMilliseconds: end)
                    sink &+= counts?.totalEvents ?? 0
                }
            }
        }
        bench.report("budget_counts_100_slos", timings)
        bench.checkTime("budget_counts_100_slos", "p50", actual: timings.p50, budget: 5_000_000)
        if sink == 0 { print("budget_counts_100_slos: nothing counted") }
    }
}
