import Testing

@testable import LoadGeneratorKit

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    @Test("values below 2,048 ns are counted exactly")
    func exactRange() {
        var histogram = LatencyHistogram()
        for value in 0..<2_048 as Range<UInt64> { histogram.record(value) }
        #expect(histogram.value(atPercentile: 50) == 1_023)
        #expect(histogram.value(atPercentile: 100) == 2_047)
        #expect(histogram.minimum == 0)
        #expect(histogram.totalCount == 2_048)
    }

    @Test("a reported value is never below the recorded one and within 0.1 % above it")
    func relativeError() {
        var value: UInt64 = 2_048
        while value < LatencyHistogram.highestTrackable {
            let index = LatencyHistogram.index(of: value)
            let reported = LatencyHistogram.highestValue(at: index)
            #expect(reported >= value)
            #expect(Double(reported - value) <= Double(value) / 1_000)
            #expect(LatencyHistogram.index(of: reported) == index)
            value = value * 13 / 10 + 7
        }
    }

    @Test("percentiles of 1 … 10,000 µs land on the right ranks, and the maximum is exact")
    func percentiles() {
        var histogram = LatencyHistogram()
        for micros in (1...10_000 as ClosedRange<UInt64>).reversed() { histogram.record(micros * 1_000 + 1) }
        for (percentile, rank) in [(50.0, 5_000.0), (90, 9_000), (99, 9_900), (99.9, 9_990)] {
            let reported = Double(histogram.value(atPercentile: percentile))
            #expect(reported >= rank * 1_000 && reported <= rank * 1_000 * 1.001 + 1)
        }
        #expect(histogram.maximum == 10_000_001)
        #expect(histogram.value(atPercentile: 100) == 10_000_001)
        #expect(histogram.minimum == 1_001)
    }

    @Test("adding merges counts, minimum and maximum")
    func add() {
        var left = LatencyHistogram()
        var right = LatencyHistogram()
        left.record(5_000)
        right.record(3)
        right.record(9_000_000_000)
        left.add(right)
        #expect(left.totalCount == 3)
        #expect(left.minimum == 3)
        #expect(left.maximum == 9_000_000_000)
        #expect(left.value(atPercentile: 50) >= 5_000)
        #expect(LatencyHistogram().value(atPercentile: 99) == 0)
    }
}
