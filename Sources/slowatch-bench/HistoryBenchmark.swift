import SLOWatchCore
import SeededRandom

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 16's history: `record` with the history slices advancing, the bytes one busy metric's
/// history takes after 35 simulated days (and how much of it the summaries take), and a 30-day
/// percentile query from history, with its summaries and, for the ratio, slice by slice.
enum HistoryBenchmark {
    /// The simulated traffic: 100 samples/s into one metric, log-normal latencies (median 20 ms,
    /// σ = 1.15 in ln: 99.7 % of them within 0.6 … 630 ms, three decades), at the default tiers and scale 6.
    static let samplesPerSecond = 100

    /// 65,536 log-normal values, drawn once, so the 35-day simulation costs a table read per sample.
    static func latencyTable() -> [Double] {
        var random = SplitMix64(seed: 16)
        return (0..<65_536).map { _ in
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            let v = Double.random(in: 0..<1, using: &random)
            return exp(log(20) + 1.15 * sqrt(-2 * log(u)) * cos(2 * .pi * v))
        }
    }

    static func run(_ bench: inout Bench) {
        let table = latencyTable()
        let registry = MetricsRegistry()
        // Each run stamps its 100 samples 1 ms apart: a new 10 s slice every 100 runs.
        var clock = 1_800_000_000_000.0
        let timings = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: RecordBenchmark.batch) {
            run in
            for index in 0..<RecordBenchmark.batch {
                clock += 1
                try? registry.record(
                    "api.latency", value: table[(run &* 100 &+ index) & 0xFFFF], timestamp: clock)
            }
        }
        bench.report("record_with_history", timings)
        bench.checkTime("record_with_history", "p50", actual: timings.p50, budget: 100)

        // 35 days at 100 samples/s, straight into one history (302 million samples).
        var history = MetricHistory(tiers: .default)
        let start = 1_800_000_000_000.0
        let days = 35
        let total = days * 86_400 * samplesPerSecond
        let step = 1_000 / Double(samplesPerSecond)
        for sample in 0..<total {
            history.record(table[(sample &* 40_503) & 0xFFFF], at: start + Double(sample) * step)
        }
        bench.report("history_bytes_35d_100_per_s", bytes: history.bytes)
        bench.checkBytes("history_bytes_35d_100_per_s", actual: history.bytes, budget: 2_000_000)
        for (position, slices) in history.levels.enumerated() {
            bench.report("history_tier\(position)_bytes_35d_100_per_s", bytes: slices.bytes)
            // Where a tier's bytes go: its coded slices (live), and how many slices hold them.
            bench.report("history_tier\(position)_coded_bytes_35d_100_per_s", bytes: slices.liveBytes)
            bench.report("history_tier\(position)_slices_35d_100_per_s", bytes: slices.count)
        }
        bench.report(
            "history_open_and_delta_bytes_35d_100_per_s",
            bytes: history.open.allocatedBytes + history.dense.bytes)
        bench.report(
            "history_summary_bytes_35d_100_per_s", bytes: history.summaries.reduce(0) { $0 + $1.bytes })
        bench.report(
            "history_summary_coded_bytes_35d_100_per_s",
            bytes: history.summaries.reduce(0) { total, tier in
                tier.levels.reduce(total) { $0 + $1.liveBytes }
            })
        bench.report("history_summaries_35d_100_per_s", bytes: history.summaries.reduce(0) { $0 + $1.count })
        bench.report("history_closed_total_bytes_35d_100_per_s", bytes: history.closedTotalBytes)

        // A 30-day window from history: merge every slice in it, then four quantiles.
        let now = start + Double(total) * step
        var answer = 0.0
        let query = Bench.time(samples: 20, warmUp: 2, operationsPerRun: 1) { _ in
            let span = history.span(from: now - 30 * 86_400_000, to: now)
            answer += span.histogram.quantiles([0.5, 0.9, 0.99, 0.999]).compactMap { $0 }.reduce(0, +)
        }
        bench.report("history_query_30d", query)
        bench.checkTime("history_query_30d", "p50", actual: query.p50, budget: 5_000_000)

        // The same span merged slice by slice, as before the summaries: the ratio of the two, same run.
        let reference = Bench.time(samples: 10, warmUp: 1, operationsPerRun: 1) { _ in
            let from = history.alignedStart(now - 30 * 86_400_000)
            var merged = ExponentialHistogram(scale: history.layout.scale)
            history.forEachSlice(from: from, to: now, usingSummaries: false) { merged.merge($0) }
            answer += merged.quantiles([0.5, 0.9, 0.99, 0.999]).compactMap { $0 }.reduce(0, +)
        }
        bench.report("history_query_30d_slice_by_slice", reference)
        if answer.isNaN { printError("history_query_30d: NaN") }
    }
}
