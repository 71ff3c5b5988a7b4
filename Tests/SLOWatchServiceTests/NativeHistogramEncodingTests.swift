import Foundation
import SLOWatchCore
import SLOWatchProtobuf
import SeededRandom
import Testing

@testable import SLOWatchService

/// The native-histogram encoder: spans, deltas, index mapping, negative values, zeros, downscaling.
@Suite("Native histogram encoding (spans and deltas)")
struct NativeHistogramEncodingTests {
    static func histogram(_ values: [Double], scale: Int) -> ExponentialHistogram {
        var histogram = ExponentialHistogram(scale: scale)
        let layout = ExponentialBucketLayout.at(scale: scale)
        for value in values { histogram.record(value, layout: layout) }
        return histogram
    }

    /// (Prometheus index, count) of every bucket the spans and deltas describe, as Prometheus decodes
    /// them (empty buckets inside a span included).
    static func decoded(
        _ spans: [Io_Prometheus_Client_BucketSpan], _ deltas: [Int64]
    ) -> [(index: Int, count: Int64)] {
        var buckets: [(Int, Int64)] = []
        var index = 0
        var count: Int64 = 0
        var delta = deltas.makeIterator()
        // The first offset is the first index; every later one the gap after the previous span.
        for span in spans {
            index += Int(span.offset)
            for _ in 0..<span.length {
                count += delta.next() ?? 0
                buckets.append((index, count))
                index += 1
            }
        }
        return buckets
    }

    @Test("a hand-computed example at scale 0: spans split past two empty buckets, deltas between counts")
    func handComputed() {
        // Scale 0 (base 2). Prometheus bucket k holds (2^(k-1), 2^k]: 1 → 0, 2 → 1, 3 and 4 → 2,
        // 100 → 7 (64, 128]. Buckets 3 to 6 are empty (four): a new span.
        let message = NativeHistogramEncoding.histogram(Self.histogram([1, 2, 3, 4, 100, 100], scale: 0))
        #expect(message.schema == 0)
        #expect(message.sampleCount == 6)
        #expect(message.sampleSum == 210)
        #expect(message.zeroThreshold == 0)
        #expect(message.positiveSpan.map { [$0.offset, Int32($0.length)] } == [[0, 3], [4, 1]])
        #expect(message.positiveDelta == [1, 0, 1, 0])
        #expect(message.negativeSpan.isEmpty && message.negativeDelta.isEmpty)
        // A gap of two empty buckets stays inside the span: 1 → 0, 8 → 3.
        let gap = NativeHistogramEncoding.histogram(Self.histogram([1, 8], scale: 0))
        #expect(gap.positiveSpan.map { [$0.offset, Int32($0.length)] } == [[0, 4]])
        #expect(gap.positiveDelta == [1, -1, 0, 1])
        // A first bucket below index 0: 0.3 is in (0.25, 0.5], bucket −1.
        let small = NativeHistogramEncoding.histogram(Self.histogram([0.3], scale: 0))
        #expect(small.positiveSpan.map { [$0.offset, Int32($0.length)] } == [[-1, 1]])
    }

    @Test("a value on a bucket boundary is in the bucket whose upper bound it is (k = i + 1)")
    func boundary() {
        for scale in [0, 3, 6, 8] {
            // 2 = base^(2^scale): the upper bound of Prometheus bucket 2^scale.
            let message = NativeHistogramEncoding.histogram(Self.histogram([2.0], scale: scale))
            let buckets = Self.decoded(message.positiveSpan, message.positiveDelta)
            #expect(buckets.map(\.index) == [1 << scale], "scale \(scale)")
            #expect(buckets.map(\.count) == [1])
        }
    }

    @Test("every value lies in its decoded bucket's bounds (base^(k-1), base^k], negatives by magnitude")
    func valuesInDecodedBuckets() {
        var random = SplitMix64(seed: 5)
        for scale in [3, 6] {
            let base = exp2(exp2(-Double(scale)))
            for _ in 0..<200 {
                let magnitude = exp(Double.random(in: -20..<20, using: &random))
                let negative = Bool.random(using: &random)
                let message = NativeHistogramEncoding.histogram(
                    Self.histogram([negative ? -magnitude : magnitude], scale: scale))
                let spans = negative ? message.negativeSpan : message.positiveSpan
                let deltas = negative ? message.negativeDelta : message.positiveDelta
                let buckets = Self.decoded(spans, deltas)
                let index = Double(buckets[0].index)
                #expect(buckets.count == 1)
                // Within an ulp of the irrational boundaries (see ExponentialBucketLayout).
                #expect(magnitude > pow(base, index - 1) * (1 - 1e-15))
                #expect(magnitude <= pow(base, index) * (1 + 1e-15))
            }
        }
    }

    @Test("negative values go in the negative spans, zeros in the zero bucket")
    func negativesAndZeros() {
        let message = NativeHistogramEncoding.histogram(Self.histogram([-3, -3, -100, 0, 0, 5], scale: 0))
        #expect(message.zeroCount == 2)
        #expect(message.zeroThreshold == 0)
        #expect(message.sampleCount == 6)
        #expect(message.negativeSpan.map { [$0.offset, Int32($0.length)] } == [[2, 1], [4, 1]])
        #expect(message.negativeDelta == [2, -1])
        #expect(message.positiveSpan.map { [$0.offset, Int32($0.length)] } == [[3, 1]])
        #expect(message.positiveDelta == [1])
        // Only zeros: no span, but the zero count marks it native.
        let zeros = NativeHistogramEncoding.histogram(Self.histogram([0, 0, 0], scale: 6))
        #expect(zeros.zeroCount == 3 && zeros.positiveSpan.isEmpty && zeros.negativeSpan.isEmpty)
    }

    @Test("a downscaled histogram encodes at its own schema, as one recorded at that scale")
    func downscaled() throws {
        var random = SplitMix64(seed: 11)
        let values = (0..<2_000).map { _ in exp(Double.random(in: 0..<9, using: &random)) }
        var fine = Self.histogram(values, scale: 6)
        fine.downscale(by: 3)
        let coarse = Self.histogram(values, scale: 3)
        let message = NativeHistogramEncoding.histogram(fine)
        #expect(message.schema == 3)
        #expect(message == NativeHistogramEncoding.histogram(coarse))
        // Round trip through the wire: decoded with the generated type, the same message.
        let bytes: [UInt8] = try message.serializedBytes()
        #expect(try Io_Prometheus_Client_Histogram(serializedBytes: bytes) == message)
        // The counts add up to the sample count.
        let total = Self.decoded(message.positiveSpan, message.positiveDelta).reduce(0) { $0 + $1.count }
        #expect(UInt64(total) == message.sampleCount)
    }
}
