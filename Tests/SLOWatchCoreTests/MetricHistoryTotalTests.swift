import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// The cumulative total behind the native histograms (``MetricHistory/cumulativeTotal``).
@Suite("Metric history: the cumulative total since registration")
struct MetricHistoryTotalTests {
    static let tiers = MetricHistoryTests.smallTiers

    @Test(
        "the total is the exact histogram of every sample history counted, through closes, late samples, ageing",
        arguments: [0.0, 3_000, 300_000])
    func exactThroughClosesAndLateSamples(denseMilliseconds: Double) {
        var random = SplitMix64(seed: 17)
        var history = MetricHistory(tiers: Self.tiers, denseMilliseconds: denseMilliseconds)
        var counted: [Double] = []
        var refused = 0
        // 600 s of samples (past the 300 s the coarsest tier keeps), some late by up to 400 s, so
        // that some go to coarser tiers, some are refused as late, and slices age out.
        for step in 0..<6_000 {
            let late = step % 50 == 0 ? Double.random(in: 0..<400_000, using: &random) : 0
            let time = 1_000_000 + Double(step) * 100 - late
            let value = step % 97 == 0 ? 0 : exp(Double.random(in: -3..<7, using: &random))
            switch history.record(value, at: time) {
            case .recorded: counted.append(value)
            case .late, .future: refused += 1
            }
            // The total equals the merge of the history's own slices while nothing has aged out.
            if step == 250 {
                #expect(history.cumulativeTotal == history.span(from: 0, to: .infinity).histogram)
            }
        }
        #expect(refused > 0, "some samples were late")
        #expect(history.late == UInt64(refused))
        let expected = ExponentialHistogramTests.histogram(counted)
        let total = history.cumulativeTotal
        #expect(total.count == UInt64(counted.count))
        #expect(total.positive == expected.positive)
        #expect(total.zeroCount == expected.zeroCount)
        #expect(total.minimum == expected.minimum)
        #expect(total.maximum == expected.maximum)
        #expect(abs(total.sum - expected.sum) <= 1e-9 * expected.sum)
        // Slices aged out of the coarsest tier: history's own span holds fewer samples than the total.
        #expect(history.span(from: 0, to: .infinity).histogram.count < total.count)
    }

    @Test("batches count in the total exactly as single samples do, deltas included, merged or not")
    func batchesMatchSingles() {
        var random = SplitMix64(seed: 23)
        var single = MetricHistory(tiers: Self.tiers, denseMilliseconds: 3_000)
        var batched = single
        var samples: [RecentSample] = []
        for step in 0..<4_000 {
            // Mostly in order; every tenth sample up to 8 s late (a delta, or past the deltas' reach).
            let late = step % 10 == 0 ? Double.random(in: 0..<8_000, using: &random) : 0
            samples.append(
                RecentSample(value: Double(step % 500 + 1), timestamp: 1_000_000 + Double(step) * 50 - late))
        }
        var start = 0
        while start < samples.count {
            let end = min(samples.count, start + Int.random(in: 1...40, using: &random))
            for sample in samples[start..<end] { single.record(sample.value, at: sample.timestamp) }
            samples[start..<end].withUnsafeBufferPointer { batched.record($0) }
            #expect(batched.cumulativeTotal == single.cumulativeTotal, "after \(end) samples")
            start = end
        }
        #expect(single.cumulativeTotal.count == UInt64(samples.count) - single.late)
        #expect(!single.dense.histograms.isEmpty || single.closedTotal != nil)
    }

    @Test("the total only grows: dropping slices for memory leaves it whole")
    func dropsKeepTheTotal() {
        var history = MetricHistory(tiers: Self.tiers)
        for step in 0..<200 { history.record(Double(step + 1), at: 1_000_000 + Double(step) * 500) }
        let before = history.cumulativeTotal
        while history.dropOldestSlice() > 0 {}
        #expect(history.cumulativeTotal == before)
        #expect(before.count == 200)
    }

    @Test("a restored history rebuilds its total from its slices, or takes a saved one")
    func restoredTotal() throws {
        var history = MetricHistory(tiers: Self.tiers)
        for step in 0..<4_000 { history.record(Double(step % 300 + 1), at: 1_000_000 + Double(step) * 100) }
        let saved = history.saved
        let fresh = MetricHistory(tiers: Self.tiers)
        // Slices aged out: rebuilt from what the slices still hold.
        let rebuilt = try MetricHistory(restoring: saved, like: fresh)
        #expect(rebuilt.cumulativeTotal == rebuilt.span(from: 0, to: .infinity).histogram)
        #expect(rebuilt.cumulativeTotal.count < 4_000)
        // With the saved closed total, exact again, and it keeps counting.
        var restored = try MetricHistory(restoring: saved, like: fresh)
        let taken = restored.restoreClosedTotal(try #require(history.closedTotal))
        #expect(taken)
        #expect(restored.cumulativeTotal == history.cumulativeTotal)
        restored.record(7, at: 1_000_000 + 4_000 * 100)
        history.record(7, at: 1_000_000 + 4_000 * 100)
        #expect(restored.cumulativeTotal == history.cumulativeTotal)
        #expect(restored.cumulativeTotal.count == 4_001)
        // A saved total smaller than the restored slices is refused: it cannot belong to them.
        var refusing = try MetricHistory(restoring: saved, like: fresh)
        let refused = refusing.restoreClosedTotal(ExponentialHistogram(scale: 6))
        #expect(!refused)
        #expect(refusing.cumulativeTotal == rebuilt.cumulativeTotal)
    }

    @Test("the registry reads every metric's total in name order, and counts it in the history's bytes")
    func registryTotals() throws {
        var configuration = MetricsRegistry.Configuration()
        configuration.historyTiers = Self.tiers
        let registry = MetricsRegistry(configuration: configuration)
        let now = registry.wallClock.nowMilliseconds()
        for step in 0..<100 {
            try registry.record("b", value: Double(step), timestamp: now - 50_000 + Double(step) * 400)
            try registry.record("a", value: -Double(step), timestamp: now - 50_000 + Double(step) * 400)
        }
        let totals = registry.cumulativeTotals()
        #expect(totals.map(\.definition.name) == ["a", "b"])
        #expect(totals.map(\.histogram.count) == [100, 100])
        #expect(totals[0].histogram.negative.counts.reduce(0, +) == 99)
        #expect(registry.cumulativeTotal(for: "b") == totals[1].histogram)
        let history = try #require(registry.history(for: "b"))
        let closed = try #require(history.closedTotal)
        #expect(history.bytes >= closed.allocatedBytes + history.open.allocatedBytes)
    }
}
