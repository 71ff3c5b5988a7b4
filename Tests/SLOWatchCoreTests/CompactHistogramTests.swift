import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Compact histograms: lossless round trip of every shape, and bytes near the counts' entropy")
struct CompactHistogramTests {
    /// Whether `a` and `b` are the same histogram, with the sum, minimum and maximum compared bit for
    /// bit (so NaN payloads and −0 count too).
    static func identical(_ a: ExponentialHistogram, _ b: ExponentialHistogram) -> Bool {
        a.scale == b.scale && a.zeroCount == b.zeroCount && a.count == b.count
            && a.positive == b.positive && a.negative == b.negative
            && a.sum.bitPattern == b.sum.bitPattern && a.minimum.bitPattern == b.minimum.bitPattern
            && a.maximum.bitPattern == b.maximum.bitPattern
    }

    /// Random bucket counts of one of several shapes: none, one bucket, sparse over a wide span,
    /// small Poisson-like counts, a smooth bell with large counts, huge counts up to `UInt64.max`.
    static func counts(_ random: inout SplitMix64) -> BucketCounts {
        let offset = Int.random(in: -5_000...5_000, using: &random)
        let length = Int.random(in: 1...4_096, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            return BucketCounts()
        case 1:
            return BucketCounts(offset: offset, counts: [UInt64.random(in: 1...UInt64.max, using: &random)])
        case 2:
            return BucketCounts(
                offset: offset,
                counts: (0..<length).map { _ in
                    Int.random(in: 0..<40, using: &random) == 0 ? UInt64.random(in: 1...9, using: &random) : 0
                })
        case 3:
            return BucketCounts(
                offset: offset, counts: (0..<length).map { _ in UInt64.random(in: 0...5, using: &random) })
        case 4:
            let peak = Double(UInt64.random(in: 1...2_000_000, using: &random))
            let width = Double(length) / 6
            return BucketCounts(
                offset: offset,
                counts: (0..<length).map { position in
                    let x = (Double(position) - Double(length) / 2) / width
                    let noise = Double.random(in: 0.9...1.1, using: &random)
                    return UInt64(peak * exp(-x * x / 2) * noise)
                })
        case 5:
            return BucketCounts(
                offset: offset,
                counts: (0..<min(length, 64)).map { _ in
                    Bool.random(using: &random)
                        ? UInt64.max - UInt64.random(in: 0...3, using: &random)
                        : UInt64.random(in: 0...UInt64.max, using: &random)
                })
        default:
            // Alternating huge and tiny counts: every difference wraps.
            return BucketCounts(
                offset: Int.random(in: Int.min / 2...Int.max / 2, using: &random),
                counts: (0..<min(length, 256)).map { $0 % 2 == 0 ? UInt64.max : 1 })
        }
    }

    static func double(_ random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: .infinity
        case 1: -.infinity
        case 2: -0.0
        case 3: Double(bitPattern: 0x7FF8_0000_DEAD_BEEF)  // a NaN with a payload
        default: Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random))
        }
    }

    @Test(
        "decode(encode(h)) is h for 1,000 random histograms of every shape, totals bit for bit",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func roundTripProperty() {
        var random = SplitMix64(seed: 1_616)
        for trial in 0..<1_000 {
            let scale =
                trial % 10 == 0
                ? Int.random(in: -1_000...1_000, using: &random) : Int.random(in: 0...8, using: &random)
            let histogram = ExponentialHistogram(
                scale: scale,
                zeroCount: Bool.random(using: &random)
                    ? 0 : UInt64.random(in: 0...UInt64.max, using: &random),
                positive: Self.counts(&random), negative: Self.counts(&random),
                count: UInt64.random(in: 0...UInt64.max, using: &random), sum: Self.double(&random),
                minimum: Self.double(&random), maximum: Self.double(&random))
            let compact = CompactHistogram(histogram)
            #expect(Self.identical(compact.histogram, histogram), "trial \(trial)")
            #expect(compact.count == histogram.count && compact.scale == histogram.scale, "trial \(trial)")
            #expect(compact.sum.bitPattern == histogram.sum.bitPattern, "trial \(trial)")
        }
    }

    @Test("recorded histograms round-trip: empty, one value, zeros, negatives, beyond the range")
    func recordedShapes() {
        let layout = ExponentialBucketLayout.at(scale: 6)
        let shapes: [[Double]] = [
            [], [42], [0, 0, 0], [-1, -2, -1e-9], [0, -3, 7, 1e300, 1e-300, -1e300],
            [Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude],
        ]
        for values in shapes {
            var histogram = ExponentialHistogram(scale: 6)
            for value in values { histogram.record(value, layout: layout) }
            let compact = CompactHistogram(histogram)
            #expect(Self.identical(compact.histogram, histogram), "\(values)")
            #expect(compact.zeroCount == histogram.zeroCount && compact.minimum == histogram.minimum)
        }
    }

    /// One minute at 100 samples/s of log-normal latencies three decades wide (median 20 ms, σ = 1.15
    /// in ln), as `slowatch-bench history` records them.
    static func minuteOfLatencies(seed: UInt64) -> ExponentialHistogram {
        var random = SplitMix64(seed: seed)
        let layout = ExponentialBucketLayout.at(scale: 6)
        var histogram = ExponentialHistogram(scale: 6)
        for _ in 0..<6_000 {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            let v = Double.random(in: 0..<1, using: &random)
            histogram.record(exp(log(20) + 1.15 * sqrt(-2 * log(u)) * cos(2 * .pi * v)), layout: layout)
        }
        return histogram
    }

    @Test(
        "a minute of busy latencies (6,000 samples, ~750 buckets) takes under 4 bits per bucket",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func latencySliceIsCompact() {
        for seed in UInt64(1)...5 {
            let histogram = Self.minuteOfLatencies(seed: seed)
            let compact = CompactHistogram(histogram)
            let buckets = histogram.positive.counts.count
            let overhead = MemoryLayout<CompactHistogram>.stride + CompactHistogram.arrayHeaderBytes + 40
            #expect(
                compact.allocatedBytes - overhead < buckets / 2, "seed \(seed): \(compact.allocatedBytes) B")
            #expect(compact.histogram == histogram)
        }
    }

    @Test("each block's Rice parameter is the cheapest for its values")
    func blockParameter() {
        let block: ArraySlice<UInt64> = [900, 1_100, 1_000, 950, 1_020]
        let k = RiceCoding.bestParameter(block)
        for other in 0...20 { #expect(RiceCoding.cost(block, k: k) <= RiceCoding.cost(block, k: other)) }
        #expect(RiceCoding.bestParameter([0, 0, 0]) == 0)
        #expect(RiceCoding.bestParameter([UInt64.max, 1]) <= 63)
    }

    @Test("the one-pass block choices equal the cheapest of each candidate measured alone")
    func blockChoicesMatchTheirReference() {
        var random = SplitMix64(seed: 77)
        for round in 0..<2_000 {
            let length = Int.random(in: 0...32, using: &random)
            let scale = UInt64(1) << UInt64.random(in: 0...40, using: &random)
            let block = ArraySlice(
                (0..<length).map { _ -> UInt64 in
                    Bool.random(using: &random) && round % 3 == 0
                        ? 0 : UInt64.random(in: 0...scale, using: &random)
                })
            // Rice: the lowest-cost parameter among the three around ⌊log2(mean)⌋, the lowest on a tie.
            let total = block.reduce(0.0) { $0 + Double($1) }
            let mean = block.isEmpty ? 0 : UInt64(min(total / Double(block.count), 0x1p62))
            let estimate = mean == 0 ? 0 : 63 - mean.leadingZeroBitCount
            let expected =
                block.isEmpty
                ? (0, 0)
                : (max(0, estimate - 1)...min(63, estimate + 1)).map { ($0, RiceCoding.cost(block, k: $0)) }
                    .min { $0.1 < $1.1 } ?? (0, 0)
            let rice = RiceCoding.best(block)
            #expect(
                rice.parameter == expected.0 && rice.bits == expected.1, "round \(round): \(Array(block))")
            // Runs: the lowest-cost of the four run parameters, the lowest on a tie.
            let reference =
                (0...3).map { ($0, BucketCountCoding.runBits(block, parameter: $0)) }
                .min { $0.1 < $1.1 } ?? (0, 0)
            let runs = BucketCountCoding.bestRunParameter(block)
            #expect(
                runs.parameter == reference.0 && runs.bits == reference.1, "round \(round): \(Array(block))")
        }
    }
}
