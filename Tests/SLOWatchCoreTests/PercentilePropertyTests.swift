import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// The reference: sort a copy and read the nearest rank, found by counting up rather than by the
/// production formula: the smallest k ≥ 1 with k ≥ q·n − 1e-9·n.
private func referenceQuantile(_ sorted: [Double], _ q: Double) -> Double {
    let n = Double(sorted.count)
    let target = q * n - 1e-9 * n
    var k = 1
    while Double(k) < target && k < sorted.count { k += 1 }
    return sorted[k - 1]
}

@Suite(
    "Percentile properties",
    .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
struct PercentilePropertyTests {
    @Test func selectionMatchesASortBasedReferenceOnThousandsOfRandomArrays() throws {
        let seed: UInt64 = 0x5EED_2025
        var random = SplitMix64(seed: seed)
        let clock = ManualClock()
        let now = clock.nowMilliseconds()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        for round in 0..<2_000 {
            let size = Self.size(&random)
            let name = "p\(round)"
            try registry.register(MetricDefinition(name: name, capacity: size))
            let distinct = Self.distinctValues(&random)
            var samples: [(value: Double, timestamp: Double)] = []
            for _ in 0..<size {
                let value =
                    distinct.map { Double(Int.random(in: 0..<$0, using: &random)) - 3 }
                    ?? Double.random(in: -1_000...1_000, using: &random)
                samples.append((value, now - Double(Int.random(in: 0..<100_000, using: &random))))
            }
            for sample in samples {
                try registry.record(name, value: sample.value, timestamp: sample.timestamp)
            }

            var quantiles: [Double] = [0, 1e-9, 1, 0.25, 0.75]
            for _ in 0..<3 { quantiles.append(Double.random(in: 0...1, using: &random)) }
            let k = Int.random(in: 1...size, using: &random)
            quantiles.append(Double(k) / Double(size))  // an integral product on purpose
            let window: Double? =
                Bool.random(using: &random) ? Double.random(in: 0...120_000, using: &random) : nil

            let summary = try registry.percentiles(
                for: name, quantiles: quantiles, windowMilliseconds: window)
            let cutoff = window.map { now - $0 } ?? -.infinity
            let used = samples.filter { $0.timestamp >= cutoff }
            let context = "seed \(seed) round \(round) size \(size) window \(String(describing: window))"
            try Self.check(summary, against: used, quantiles: quantiles, context: context)
            if window == nil {
                // Standard-only quantiles are answered from the per-metric cache the second time.
                let standardOnly = [0.999, 0, 0.5, 1]
                for _ in 0..<2 {
                    let cached = try registry.percentiles(for: name, quantiles: standardOnly)
                    try Self.check(
                        cached, against: used, quantiles: standardOnly, context: context + " cached")
                }
            }
            try registry.unregister(name)
        }
    }

    /// Most arrays are small, some are large (up to 20,000).
    private static func size(_ random: inout SplitMix64) -> Int {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<70: Int.random(in: 1...50, using: &random)
        case 70..<95: Int.random(in: 51...2_000, using: &random)
        default: Int.random(in: 2_001...20_000, using: &random)
        }
    }

    /// Half the arrays draw from a few distinct values, so duplicates abound.
    private static func distinctValues(_ random: inout SplitMix64) -> Int? {
        Bool.random(using: &random) ? Int.random(in: 1...8, using: &random) : nil
    }

    private static func check(
        _ summary: PercentileSummary, against used: [(value: Double, timestamp: Double)], quantiles: [Double],
        context: String
    ) throws {
        #expect(summary.count == used.count, "\(context)")
        guard !used.isEmpty else {
            #expect(summary == .empty, "\(context)")
            return
        }
        let sorted = used.map(\.value).sorted()
        #expect(summary.min == sorted.first && summary.max == sorted.last, "\(context)")
        let mean = try #require(summary.mean)
        let expectedMean = sorted.reduce(0, +) / Double(sorted.count)
        #expect(abs(mean - expectedMean) <= 1e-9 * max(1, abs(expectedMean)), "\(context)")
        #expect(summary.oldestTimestamp == used.map(\.timestamp).min(), "\(context)")
        #expect(summary.newestTimestamp == used.map(\.timestamp).max(), "\(context)")
        let standard = [summary.p50, summary.p90, summary.p95, summary.p99, summary.p999]
        #expect(
            standard == PercentileSummary.standardQuantiles.map { referenceQuantile(sorted, $0) },
            "\(context)")
        #expect(summary.quantiles.map(\.quantile) == quantiles, "\(context)")
        #expect(
            summary.quantiles.map(\.value) == quantiles.map { referenceQuantile(sorted, $0) }, "\(context)")
    }
}
