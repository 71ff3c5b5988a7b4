import SLOWatchCore
import SeededRandom

/// `SLOMonitor.checkAll` with 10 SLOs over 10 metrics of 10,000 samples each, every cache cold.
enum MonitorBenchmark {
    static func run(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 7)
        let metrics = (0..<10).map { "service.\($0).latency" }
        for metric in metrics {
            for _ in 0..<10_000 { try? registry.record(metric, value: PercentileBenchmark.latency(&random)) }
        }
        // Half the SLOs look at a 60 s window (never cached), half at every retained sample.
        let percentiles = ["p50", "p90", "p95", "p99", "p99.9"]
        let slos = metrics.enumerated().compactMap { index, metric in
            try? SLODefinition(
                id: "slo-\(index)", metric: metric, percentile: percentiles[index % percentiles.count],
                threshold: 1_000_000, window: index.isMultiple(of: 2) ? .seconds(60) : nil)
        }
        guard slos.count == metrics.count,
            let monitor = try? SLOMonitor(registry: registry, slos: slos)
        else {
            bench.checkBytes("monitor setup failed", actual: 1, budget: 0)
            return
        }
        var timings: [Double] = []
        for _ in 0..<1_100 {
            // One write per metric before each timed check, so no summary is cached.
            for metric in metrics {
                try? registry.record(metric, value: PercentileBenchmark.latency(&random))
            }
            let start = Bench.now()
            monitor.checkAll()
            timings.append(Double(Bench.now() - start))
        }
        let measured = Timings(perOperation: Array(timings.dropFirst(100)), operations: 1_000)
        bench.report("check_all_10_slos_10k_cold", measured)
        bench.checkTime("check_all_10_slos_10k_cold", "p99", actual: measured.p99, budget: 1_500_000)
        manySLOs(&bench)
        BudgetMonitorBenchmark.run(&bench)
    }

    /// `checkAll` with 10,000 SLOs over 7 metrics of 10,000 samples each (a few windows and percentiles
    /// per metric, as a large deployment has), every cache cold; reported only, no budget.
    static func manySLOs(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 11)
        let metrics = (0..<7).map { "service.\($0).latency" }
        for metric in metrics {
            for _ in 0..<10_000 { try? registry.record(metric, value: PercentileBenchmark.latency(&random)) }
        }
        let percentiles = ["p50", "p90", "p95", "p99", "p99.9", "p75"]
        let windows: [Duration?] = [nil, .seconds(60), .seconds(300)]
        let slos = (0..<10_000).compactMap { index in
            try? SLODefinition(
                id: "slo-\(index)", metric: metrics[index % metrics.count],
                percentile: percentiles[index % percentiles.count], threshold: 1_000_000,
                window: windows[index % windows.count])
        }
        guard slos.count == 10_000, let monitor = try? SLOMonitor(registry: registry, slos: slos) else {
            bench.checkBytes("monitor setup failed", actual: 1, budget: 0)
            return
        }
        var timings: [Double] = []
        for _ in 0..<12 {
            for metric in metrics {
                try? registry.record(metric, value: PercentileBenchmark.latency(&random))
            }
            let start = Bench.now()
            monitor.checkAll()
            timings.append(Double(Bench.now() - start))
        }
        bench.report(
            "check_all_10000_slos_7_metrics_cold",
            Timings(perOperation: Array(timings.dropFirst(2)), operations: 10))
    }
}
