import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// A check asks the registry once per (metric, window) for all its SLOs' quantiles; the values must be
/// those of asking once per SLO, as the monitor did before.
@Suite struct SLOMonitorGroupedSelectionTests {
    /// A small deterministic generator (SplitMix64), so a failure replays.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func groupedResultsEqualPerSLOSelections(seed: UInt64) throws {
        var random = SplitMix(state: seed)
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let metrics = ["m0", "m1", "m2", "empty"]
        try registry.register(MetricDefinition(name: "empty"))
        for _ in 0..<300 {
            let metric = metrics[Int.random(in: 0..<3, using: &random)]
            let age = Double.random(in: 0..<60_000, using: &random)
            try registry.record(
                metric, value: Double.random(in: 0..<1_000, using: &random).rounded(),
                timestamp: clock.nowMilliseconds() - age)
        }
        let percentiles = ["p50", "p75", "p90", "p95", "p99", "p99.9", "p12.5", "p100"]
        let windows: [Duration?] = [nil, .seconds(10), .seconds(30)]
        let slos = try (0..<200).map { index in
            try sloForTest(
                "s\(index)", (metrics + ["ghost"])[Int.random(in: 0..<5, using: &random)],
                percentiles[Int.random(in: 0..<percentiles.count, using: &random)],
                Double.random(in: 0..<1_000, using: &random).rounded(),
                direction: Bool.random(using: &random) ? .above : .below,
                window: windows[Int.random(in: 0..<windows.count, using: &random)],
                minSamples: Int.random(in: 1...40, using: &random))
        }
        let monitor = try SLOMonitor(registry: registry, slos: slos, monotonicClock: clock)
        let events = monitor.checkAll()

        var expectedViolations: [String] = []
        for status in monitor.statuses {
            let slo = status.slo
            // The old path: one selection per SLO, for its own quantile.
            let summary = try? registry.percentiles(
                for: slo.metric, quantiles: [slo.quantile], windowMilliseconds: slo.windowMilliseconds)
            #expect(status.lastCount == (summary?.count ?? 0), "\(slo)")
            let value = summary.flatMap {
                $0.count >= slo.minSamples ? $0.value(atQuantile: slo.quantile) : nil
            }
            #expect(status.lastActual == value, "\(slo)")
            if let value, slo.direction.isBreached(actual: value, threshold: slo.threshold) {
                expectedViolations.append(slo.id)
            }
        }
        #expect(events.map(\.slo) == expectedViolations)
        #expect(!expectedViolations.isEmpty)
    }
}
