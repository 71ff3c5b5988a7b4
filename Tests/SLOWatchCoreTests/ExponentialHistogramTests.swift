import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Exponential histograms: totals, merge, downscale, compaction and quantiles")
struct ExponentialHistogramTests {
    static func histogram(_ values: [Double], scale: Int = 6) -> ExponentialHistogram {
        var histogram = ExponentialHistogram(scale: scale)
        let layout = ExponentialBucketLayout.at(scale: scale)
        for value in values { histogram.record(value, layout: layout) }
        return histogram
    }

    /// The exact nearest rank ⌈q·n⌉ over the raw samples.
    static func exact(_ sorted: [Double], _ q: Double) -> Double {
        sorted[QuantileSelection.rank(of: q, count: sorted.count) - 1]
    }

    /// Named sample sets: log-normal, bimodal, Pareto tail, constant, and a mix with zeros and negatives.
    static func distributions(count: Int, seed: UInt64) -> [(String, [Double])] {
        var random = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            let v = Double.random(in: 0..<1, using: &random)
            return sqrt(-2 * log(u)) * cos(2 * .pi * v)
        }
        let logNormal = (0..<count).map { _ in exp(3 + 1.1 * normal()) }
        let bimodal = (0..<count).map { _ in
            Bool.random(using: &random) ? exp(1 + 0.2 * normal()) : exp(5 + 0.3 * normal())
        }
        let pareto = (0..<count).map { _ in
            1 / pow(Double.random(in: Double.ulpOfOne..<1, using: &random), 1 / 1.5)
        }
        let constant = [Double](repeating: 42.125, count: count)
        let mixed = (0..<count).map { position -> Double in
            switch position % 5 {
            case 0: 0
            case 1: -exp(2 + normal())
            default: exp(2 + normal())
            }
        }
        return [
            ("log-normal", logNormal), ("bimodal", bimodal), ("pareto", pareto), ("constant", constant),
            ("zeros and negatives", mixed),
        ]
    }

    @Test("count, sum, min and max are exact; zero and negatives have their own buckets")
    func totals() {
        let histogram = Self.histogram([0, -0.0, 3, -3, 1e-310, 250])
        #expect(histogram.count == 6)
        #expect(histogram.zeroCount == 2)
        let expectedSum: Double = 3 - 3 + 1e-310 + 250
        #expect(histogram.sum == expectedSum)
        #expect(histogram.minimum == -3)
        #expect(histogram.maximum == 250)
        #expect(histogram.negative.counts.reduce(0, +) == 1)
        #expect(histogram.positive.counts.reduce(0, +) == 3)
    }

    @Test("a span wider than the bucket limit downscales instead of dropping anything")
    func wideSpanDownscales() {
        let histogram = Self.histogram([1e-300, 1, 1e300, Double.greatestFiniteMagnitude, 5e-324])
        #expect(histogram.count == 5)
        #expect(histogram.scale < 6)
        #expect(histogram.positive.counts.reduce(0, +) == 5)
        #expect(histogram.positive.counts.count <= ExponentialHistogram.maximumBuckets)
        #expect((histogram.quantile(1) ?? 0) >= 1e300)
        #expect((histogram.quantile(0) ?? 1) <= 1e-300)
    }

    @Test(
        "merging two histograms equals recording all their samples into one",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func mergeIsExact() {
        let sets = Self.distributions(count: 5_000, seed: 1)
        for (name, values) in sets {
            let half = values.count / 2
            var merged = Self.histogram(Array(values[..<half]))
            merged.merge(Self.histogram(Array(values[half...])))
            let whole = Self.histogram(values)
            #expect(merged.positive == whole.positive, "\(name)")
            #expect(merged.negative == whole.negative, "\(name)")
            #expect(merged.zeroCount == whole.zeroCount && merged.count == whole.count, "\(name)")
            #expect(merged.minimum == whole.minimum && merged.maximum == whole.maximum, "\(name)")
        }
    }

    @Test(
        "merging scales takes the coarser, exactly; downscaling equals recording at the coarser scale",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func downscaleIsExact() {
        let values = Self.distributions(count: 4_000, seed: 2)[0].1
        var fine = Self.histogram(values, scale: 8)
        fine.downscale(by: 3)
        let coarse = Self.histogram(values, scale: 5)
        #expect(fine == coarse)
        var mixed = Self.histogram(Array(values[..<1_000]), scale: 8)
        mixed.merge(Self.histogram(Array(values[1_000...]), scale: 5))
        // The sum may differ in its last bits (another order of additions); the buckets may not.
        #expect(mixed.scale == 5 && mixed.positive == coarse.positive && mixed.count == coarse.count)
    }

    @Test(
        "a compacted histogram decodes to exactly the same histogram, in a fraction of the bytes",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func compactionRoundTrips() {
        for (name, values) in Self.distributions(count: 20_000, seed: 4) {
            let histogram = Self.histogram(values)
            let compact = CompactHistogram(histogram)
            #expect(compact.histogram == histogram, "\(name)")
            #expect(compact.allocatedBytes < histogram.allocatedBytes / 4 + 128, "\(name)")
        }
        let empty = ExponentialHistogram(scale: 6)
        #expect(CompactHistogram(empty).histogram == empty)
        // Huge counts and indices take the escape path.
        var big = Self.histogram([1, 1e-300, 1e300, -7])
        big.merge(Self.histogram([Double](repeating: 2, count: 70_000)))
        #expect(CompactHistogram(big).histogram == big)
    }

    @Test(
        "quantiles are within (base-1)/(base+1) of the exact nearest rank on the raw samples",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func quantileProperty() {
        let qs = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
        for scale in [3, 6, 8] {
            let bound = ExponentialBucketLayout.at(scale: scale).relativeErrorBound * (1 + 1e-12)
            for (name, values) in Self.distributions(count: 30_000, seed: UInt64(scale)) {
                let histogram = Self.histogram(values, scale: scale)
                let sorted = values.sorted()
                for q in qs {
                    let exact = Self.exact(sorted, q)
                    let answer = histogram.quantile(q) ?? .nan
                    #expect(abs(answer - exact) <= bound * abs(exact), "\(name) q=\(q) scale \(scale)")
                }
            }
        }
        #expect(ExponentialHistogram(scale: 6).quantile(0.5) == nil)
    }
}
