import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// Counting a run of samples at once (``ExponentialHistogram/record(valuesOf:layout:)``, the
/// open-slice runs of ``MetricHistory/record(_:)``) gives exactly what counting them one by one gives.
@Suite("Recording a run into histograms: at once equals one by one")
struct RecordRunEquivalenceTests {
    // MARK: Histogram

    /// Runs of values: typical latencies, zeros of both signs, negatives, subnormals and values far
    /// apart (which widen the span past the bucket limit and downscale).
    static func valueRuns(_ random: inout SplitMix64) -> [[Double]] {
        var runs: [[Double]] = [[], [1.5], [0, -0.0, 0], [-0.0, 0, -0.0, 1]]
        for length in [2, 5, 17, 100] {
            runs.append((0..<length).map { _ in exp(Double.random(in: -2...8, using: &random)) })
            runs.append(
                (0..<length).map { position in
                    switch position % 6 {
                    case 0: 0
                    case 1: -exp(Double.random(in: 0...5, using: &random))
                    case 2: Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF | 1)
                    case 3: -0.0
                    default: exp(Double.random(in: 0...5, using: &random))
                    }
                })
            runs.append((0..<length).map { position in position % 2 == 0 ? 1e-200 : 1e200 })
        }
        return runs
    }

    static func expectIdentical(_ a: ExponentialHistogram, _ b: ExponentialHistogram, _ comment: Comment) {
        #expect(a == b, comment)
        #expect(a.sum.bitPattern == b.sum.bitPattern, comment)
        #expect(a.minimum.bitPattern == b.minimum.bitPattern, comment)
        #expect(a.maximum.bitPattern == b.maximum.bitPattern, comment)
    }

    @Test("a run counted at once equals its values counted one by one, on any histogram, at any scale")
    func histogramRunEqualsSingles() {
        var random = SplitMix64(seed: 0x4157)
        let runs = Self.valueRuns(&random)
        for scale in [0, 1, 3, 6, 8] {
            let layout = ExponentialBucketLayout.at(scale: scale)
            // Starting empty, and starting with counts already held (so runs fall inside and outside).
            var primed = ExponentialHistogram(scale: scale)
            for value in [3.0, 40, 0.7, -2] { primed.record(value, layout: layout) }
            for start in [ExponentialHistogram(scale: scale), primed] {
                for (number, run) in runs.enumerated() {
                    var single = start
                    for value in run { single.record(value, layout: layout) }
                    var batched = start
                    let samples = run.map { RecentSample(value: $0, timestamp: 0) }
                    samples.withUnsafeBufferPointer { batched.record(valuesOf: $0, layout: layout) }
                    Self.expectIdentical(batched, single, "scale \(scale), run \(number)")
                    // Another scale's layout is ignored, as by one record each.
                    var other = start
                    let wrong = ExponentialBucketLayout.at(scale: scale == 6 ? 3 : 6)
                    samples.withUnsafeBufferPointer { other.record(valuesOf: $0, layout: wrong) }
                    Self.expectIdentical(other, single, "scale \(scale), run \(number), other layout")
                }
            }
        }
    }

    // MARK: History

    @Test("open-slice runs, cut by future samples, new slices and late ones, count as one by one")
    func historyRunsEqualSingles() {
        var random = SplitMix64(seed: 0x4157_0001)
        let start = 1_800_000_000_000.0
        var samples: [RecentSample] = []
        var time = start
        for step in 0..<3_000 {
            time += Double.random(in: 0...40, using: &random)
            var at = time
            switch step % 97 {
            case 13: at = time + 400_000  // future: more than 5 min ahead of the newest
            case 29: at = time - 25_000  // late, into a delta
            case 41: at = time + 250_000  // ahead, within the limit: raises the newest time
            default: break
            }
            let value: Double =
                switch step % 11 {
                case 3: 0
                case 7: -Double.random(in: 1...50, using: &random)
                default: exp(Double.random(in: -1...7, using: &random))
                }
            samples.append(RecentSample(value: value, timestamp: at))
        }
        var single = MetricHistory(tiers: .default)
        var batched = single
        var first = 0
        while first < samples.count {
            let end = min(samples.count, first + Int.random(in: 1...30, using: &random))
            for sample in samples[first..<end] { single.record(sample.value, at: sample.timestamp) }
            samples[first..<end].withUnsafeBufferPointer { batched.record($0) }
            Self.expectIdentical(batched.open, single.open, "after \(end) samples")
            #expect(
                batched.openIndex == single.openIndex
                    && batched.newestMilliseconds == single.newestMilliseconds)
            first = end
        }
        #expect(batched.late == single.late && batched.future == single.future)
        #expect(single.future > 0)
        #expect(batched.saved == single.saved)
    }
}
