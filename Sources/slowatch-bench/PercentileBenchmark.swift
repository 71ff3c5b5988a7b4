import SLOWatchCore
import SeededRandom

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Percentiles over a full 10,000-sample metric with a cold cache.
enum PercentileBenchmark {
    static func run(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        var random = SplitMix64(seed: 42)
        for _ in 0..<10_000 { try? registry.record("api.latency", value: latency(&random)) }
        // One write before each timed query, so the per-metric cache is always stale; the first 300
        // queries are the warm-up.
        var cold: [Double] = []
        for _ in 0..<3_300 {
            try? registry.record("api.latency", value: latency(&random))
            let start = Bench.now()
            _ = try? registry.percentiles(for: "api.latency")
            cold.append(Double(Bench.now() - start))
        }
        let measured = Timings(perOperation: Array(cold.dropFirst(300)), operations: 3_000)
        bench.report("percentiles_10k_cold", measured)
        bench.checkTime("percentiles_10k_cold", "p99", actual: measured.p99, budget: 150_000)

        let cached = Bench.time(samples: 20_000, warmUp: 1_000) { _ in
            _ = try? registry.percentiles(for: "api.latency")
        }
        bench.report("percentiles_10k_cached", cached)
    }

    /// An exponential latency with mean 20 ms, plus a 1 % tail up to 2 s.
    static func latency(_ random: inout SplitMix64) -> Double {
        let uniform = Double.random(in: Double.ulpOfOne..<1, using: &random)
        let base = -20 * log(uniform)
        return Int.random(in: 0..<100, using: &random) == 0
            ? base + Double.random(in: 200...2_000, using: &random) : base
    }
}
