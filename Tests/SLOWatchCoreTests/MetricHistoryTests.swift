import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Metric history: tiers, roll-up, late and future samples, memory")
struct MetricHistoryTests {
    /// Small tiers so that tests age slices quickly: 1 s for 10 s, 5 s for 60 s, 30 s for 300 s.
    static let smallTiers: HistoryTiers = {
        do {
            return try HistoryTiers([
                .init(sliceMilliseconds: 1_000, retentionMilliseconds: 10_000),
                .init(sliceMilliseconds: 5_000, retentionMilliseconds: 60_000),
                .init(sliceMilliseconds: 30_000, retentionMilliseconds: 300_000),
            ])
        } catch {
            return .default
        }
    }()

    static func histogram(_ values: [Double]) -> ExponentialHistogram {
        ExponentialHistogramTests.histogram(values)
    }

    @Test(
        "any span equals the exact histogram of the samples in its slice-aligned range, across tiers",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"),
        arguments: [0.0, 3_000, 300_000])
    func spansAreExactMerges(denseMilliseconds: Double) {
        var random = SplitMix64(seed: 9)
        var history = MetricHistory(tiers: Self.smallTiers, denseMilliseconds: denseMilliseconds)
        var samples: [(time: Double, value: Double)] = []
        // 400 s of samples, several per slice, some out of order by up to 3 s.
        for step in 0..<8_000 {
            let time = 1_000_000 + Double(step) * 50 - Double.random(in: 0..<3_000, using: &random)
            let value = exp(Double.random(in: 0..<7, using: &random))
            samples.append((time, value))
            #expect(history.record(value, at: time) != .future)
        }
        let newest = history.newestMilliseconds
        for back in [5_000.0, 9_500, 40_000, 59_000, 200_000, 280_000] {
            let span = history.span(from: newest - back, to: newest + 1)
            let inSpan = samples.filter {
                $0.time >= Double(span.fromMilliseconds) && $0.time < newest + 1
                    && history.tierKeeping($0.time) != nil
            }
            let expected = Self.histogram(inSpan.map(\.value))
            #expect(span.histogram.count == expected.count, "back \(back)")
            #expect(span.histogram.positive == expected.positive, "back \(back)")
            #expect(span.histogram.minimum == expected.minimum, "back \(back)")
            #expect(span.fromMilliseconds <= Int64(newest - back), "back \(back)")
        }
        // Every sample still kept is counted exactly once.
        let everything = history.span(from: 0, to: .infinity)
        let kept = samples.filter { history.tierKeeping($0.time) != nil }
        #expect(everything.histogram.count == UInt64(kept.count))
    }

    @Test("a coarser slice is exactly the merge of the finer slices that aged into it")
    func rollUpEqualsMerge() {
        var history = MetricHistory(tiers: Self.smallTiers, denseMilliseconds: 0)
        // 10 samples in each second from t = 0 to 40 s.
        for second in 0..<40 {
            for k in 0..<10 {
                history.record(Double(second * 10 + k + 1), at: Double(second * 1_000 + k * 100))
            }
        }
        // Seconds 0 … 29 have aged out of the 1 s tier (it keeps 31 … 39 plus the open 39).
        #expect(history.levels[0].indices.first == 30)
        let coarser = history.levels[1]
        #expect(Array(coarser.indices) == [0, 1, 2, 3, 4, 5])
        for (position, index) in coarser.indices.enumerated() {
            let seconds = (Int(index) * 5)..<(Int(index) * 5 + 5)
            let values = seconds.flatMap { second in (0..<10).map { Double(second * 10 + $0 + 1) } }
            #expect(coarser.slices[position].histogram == Self.histogram(values), "slice \(index)")
        }
    }

    @Test(
        "an old sample goes into the slice of its time; one past retention is late; one far ahead is future")
    func lateAndFuture() {
        var history = MetricHistory(tiers: Self.smallTiers)
        history.record(1, at: 400_000)
        #expect(history.record(2, at: 399_000) == .recorded)  // the finest tier's previous slice
        #expect(history.record(3, at: 370_000) == .recorded)  // the 5 s tier
        #expect(history.record(4, at: 200_000) == .recorded)  // the 30 s tier
        #expect(history.record(5, at: 90_000) == .late)
        #expect(history.record(6, at: 400_000 + 300_001) == .future)
        #expect(history.late == 1 && history.future == 1)
        #expect(history.levels[1].slice(at: 74)?.count == 1)
        #expect(history.levels[2].slice(at: 6)?.count == 1)
        #expect(history.span(from: 0, to: .infinity).histogram.count == 4)
        // Within the limit, a sample far ahead advances the history: the old slices age out.
        #expect(history.record(7, at: 400_000 + 299_000) == .recorded)
        #expect(history.span(from: 0, to: .infinity).histogram.count == 1)
    }

    @Test("dropping for memory takes the oldest coarsest slices first and counts them")
    func dropOldest() {
        var history = MetricHistory(tiers: Self.smallTiers, denseMilliseconds: 0)
        for second in 0..<200 { history.record(Double(second + 1), at: Double(second * 1_000)) }
        let before = history.bytes
        let oldest = history.levels[2].indices.first
        #expect(history.dropOldestSlice() > 0)
        #expect(history.levels[2].indices.first != oldest)
        #expect(history.droppedSlices == 1)
        #expect(history.bytes < before)
    }

    @Test(
        "a day of busy latency-like data at the default tiers stays small",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func memoryPerDay() {
        var random = SplitMix64(seed: 35)
        var history = MetricHistory(tiers: .default)
        // 2 samples/s for 24 h, log-normal over about 3 decades (the 35-day, 100/s figure is `make bench`'s).
        let start = 1_800_000_000_000.0
        for step in 0..<172_800 {
            let value = exp(3 + 1.1 * (Double.random(in: -2...2, using: &random)))
            history.record(value, at: start + Double(step) * 500)
        }
        #expect(history.bytes < 1_000_000)
        #expect(history.span(from: start, to: .infinity).histogram.count == 172_800)
    }
}
