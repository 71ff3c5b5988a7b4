import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Metric history: deltas beside compacted slices, batches, against a reference")
struct MetricHistoryDeltaTests {
    /// The nonzero buckets of a histogram, keyed by bucket index (negative side below −1,000,000),
    /// with its count, zero count, minimum and maximum: what must be equal whatever the merge order.
    static func shape(_ histogram: ExponentialHistogram) -> [Int: UInt64] {
        var shape: [Int: UInt64] = [
            Int.min: histogram.count, Int.min + 1: histogram.zeroCount,
            Int.min + 2: histogram.minimum.bitPattern, Int.min + 3: histogram.maximum.bitPattern,
        ]
        for (offset, count) in histogram.positive.counts.enumerated() where count > 0 {
            shape[histogram.positive.offset + offset] = count
        }
        for (offset, count) in histogram.negative.counts.enumerated() where count > 0 {
            shape[-1_000_000 - histogram.negative.offset - offset] = count
        }
        return shape
    }

    /// Samples over `seconds` at 20 per second, each late by up to 10 minutes with probability
    /// `lateShare` (else on time): some into deltas, some into compacted slices past the deltas'
    /// 5 minutes; none older than the finest tier's 6 hours or ahead of the newest time.
    static func traffic(seed: UInt64, seconds: Int, lateShare: Double) -> [RecentSample] {
        var random = SplitMix64(seed: seed)
        let start = 1_800_000_000_000.0
        return (0..<(seconds * 20)).map { step in
            var time = start + Double(step) * 50
            if Double.random(in: 0..<1, using: &random) < lateShare {
                time -= Double.random(in: 0..<600_000, using: &random)
            }
            let value = exp(Double.random(in: -1..<8, using: &random)) * (step % 97 == 0 ? -1 : 1)
            return RecentSample(value: step % 89 == 0 ? 0 : value, timestamp: time)
        }
    }

    @Test(
        "every 10 s slice answers the histogram of exactly its samples, one by one or in batches",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"),
        arguments: [(1 as UInt64, 0.0), (2, 0.3), (3, 0.9)])
    func sliceByReference(seed: UInt64, lateShare: Double) {
        let samples = Self.traffic(seed: seed, seconds: 600, lateShare: lateShare)
        var single = MetricHistory(tiers: .default)
        for sample in samples { #expect(single.record(sample.value, at: sample.timestamp) == .recorded) }
        var batched = MetricHistory(tiers: .default)
        var random = SplitMix64(seed: seed &+ 100)
        samples.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                let length = min(Int.random(in: 1...300, using: &random), buffer.count - position)
                batched.record(UnsafeBufferPointer(rebasing: buffer[position..<(position + length)]))
                position += length
            }
        }
        // The reference: each slice's samples recorded straight into one histogram.
        var reference: [Int64: [Double]] = [:]
        for sample in samples {
            reference[Int64((sample.timestamp / 10_000).rounded(.down)), default: []].append(sample.value)
        }
        for (index, values) in reference {
            let start = Double(index * 10_000)
            let expected = Self.shape(MetricHistoryTests.histogram(values))
            #expect(Self.shape(single.span(from: start, to: start + 10_000).histogram) == expected)
            #expect(Self.shape(batched.span(from: start, to: start + 10_000).histogram) == expected)
        }
        // Both paths hold the same slices, deltas and counters.
        #expect(batched.saved == single.saved)
        #expect(single.span(from: 0, to: .infinity).histogram.count == UInt64(samples.count))
        if lateShare > 0 { #expect(!single.dense.indices.isEmpty) }
    }

    @Test("a batch counts late and future samples as one by one does")
    func batchCountsLateAndFuture() {
        let start = 1_800_000_000_000.0
        let samples = [
            RecentSample(value: 1, timestamp: start),
            RecentSample(value: 2, timestamp: start + 400_000),  // future: > 5 min ahead
            RecentSample(value: 3, timestamp: start - 40 * 86_400_000),  // late: before every tier
            RecentSample(value: 4, timestamp: start + 200_000),
            RecentSample(value: 5, timestamp: start + 100_000),  // into a delta
            RecentSample(value: 6, timestamp: start + 100_500),
            RecentSample(value: 7, timestamp: start - 3 * 3_600_000),  // into a compacted slice's tier
            RecentSample(value: 8, timestamp: 0x1p60),  // beyond the time limit: future
        ]
        var single = MetricHistory(tiers: .default)
        for sample in samples { single.record(sample.value, at: sample.timestamp) }
        var batched = MetricHistory(tiers: .default)
        samples.withUnsafeBufferPointer { batched.record($0) }
        #expect(batched.late == 1 && batched.future == 2)
        #expect(batched.saved == single.saved)
        #expect(batched.dense.indices == [Int64((start + 100_000) / 10_000)])
    }

    @Test("a delta and its compacted twin are saved, restored and queried together, once")
    func deltaAndTwinSurviveRestore() throws {
        var history = MetricHistory(tiers: .default)
        let start = 1_800_000_000_000.0
        for second in 0..<60 { history.record(Double(second + 1), at: start + Double(second) * 1_000) }
        history.record(1_000, at: start + 2_000)
        let index = Int64(start / 10_000)
        #expect(history.levels[0].slice(at: index)?.count == 10)
        #expect(history.dense.indices == [index])
        let saved = history.saved
        #expect(saved.dense.map(\.index) == [index])
        #expect(saved.pieces.contains { $0.tier == 0 && $0.level == 0 && $0.index == index })
        var restored = try MetricHistory(restoring: saved, like: MetricHistory(tiers: .default))
        #expect(restored.saved == saved)
        #expect(restored.span(from: start, to: start + 10_000).histogram.count == 11)
        #expect(restored.span(from: start, to: start + 10_000).histogram.maximum == 1_000)
        // Once the delta ages out it is merged into the twin: still 11, now in one slice.
        restored.record(1, at: start + 300_000)
        restored.record(1, at: start + 400_000)
        #expect(restored.dense.indices.isEmpty)
        #expect(restored.levels[0].slice(at: index)?.count == 11)
        #expect(restored.span(from: start, to: start + 10_000).histogram.count == 11)
    }

    @Test("a snapshot from before the deltas (recent slices dense, none compacted) still restores")
    func oldSnapshotRestores() throws {
        var history = MetricHistory(tiers: .default)
        let start = 1_800_000_000_000.0
        for second in 0..<60 { history.record(Double(second + 1), at: start + Double(second) * 1_000) }
        // The old layout: the closed finest slices as dense pieces, no tier-0 piece, compactedThrough
        // below them.
        var saved = history.saved
        let closed = saved.pieces.filter { $0.tier == 0 && $0.level == 0 }
        #expect(closed.count == 5)
        saved.pieces.removeAll { $0.tier == 0 }
        saved.validFrom = saved.validFrom.map { $0.map { _ in Int64.max } }
        saved.dense = closed
        let restored = try MetricHistory(restoring: saved, like: MetricHistory(tiers: .default))
        #expect(restored.span(from: 0, to: .infinity).histogram.count == 60)
        #expect(restored.dense.indices.count == 5)
    }
}
