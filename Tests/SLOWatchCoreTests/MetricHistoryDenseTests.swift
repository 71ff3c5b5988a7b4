import Testing

@testable import SLOWatchCore

@Suite("Metric history: the newest finest slices stay dense for late samples")
struct MetricHistoryDenseTests {
    @Test("a late sample within 5 minutes lands in a dense slice; the slice is compacted once older")
    func lateSamplesStayDenseThenCompact() {
        var history = MetricHistory(tiers: .default)
        let start = 1_000_000_000.0  // a multiple of 10 s
        for second in 0..<120 { history.record(Double(second + 1), at: start + Double(second) * 1_000) }
        // 12 slices of 10 s: the open one (11) and 11 closed ones, all within 5 minutes: dense.
        let first = Int64(start / 10_000)
        #expect(history.dense.indices == Array(first..<(first + 11)))
        #expect(history.levels[0].count == 0)
        // Late samples into a dense slice and into a slice that had none are plain increments.
        #expect(history.record(500, at: start + 5_000) == .recorded)
        #expect(history.record(600, at: start - 60_000) == .recorded)
        #expect(history.dense.indices.first == first - 6)
        #expect(history.dense.histograms[1].count == 11)
        // Minutes later (in steps within the future limit), those slices are older than 5 minutes:
        // compacted into the finest tier.
        history.record(1, at: start + 400_000)
        history.record(1, at: start + 480_000)
        #expect(history.levels[0].slice(at: first)?.count == 11)
        #expect(history.levels[0].slice(at: first - 6)?.count == 1)
        #expect(history.dense.indices.allSatisfy { $0 > history.compactedThrough })
        #expect(history.compactedThrough < history.openIndex)
        // A late sample into a compacted slice still counts, exactly once.
        #expect(history.record(700, at: start + 1_000) == .recorded)
        #expect(history.levels[0].slice(at: first)?.count == 12)
        #expect(history.span(from: 0, to: .infinity).histogram.count == 120 + 2 + 2 + 1)
    }

    @Test("dense slices count in the history's bytes and can be dropped for memory")
    func denseBytesAndDrop() {
        var history = MetricHistory(tiers: .default)
        for second in 0..<60 {
            history.record(Double(second + 1), at: 1_000_000_000 + Double(second) * 1_000)
        }
        let before = history.bytes
        #expect(before > history.open.allocatedBytes)
        #expect(history.dropOldestSlice() > 0)
        #expect(history.bytes < before)
        #expect(history.droppedSlices == 1)
    }
}
