import Testing

@testable import SLOWatchCore

@Suite("Metric history: closed slices compact at once; late samples go to dense deltas")
struct MetricHistoryDenseTests {
    @Test("a late sample within 5 minutes lands in a delta beside its compacted slice; merged once older")
    func lateSamplesGoToDeltasThenMerge() {
        var history = MetricHistory(tiers: .default)
        let start = 1_000_000_000.0  // a multiple of 10 s
        for second in 0..<120 { history.record(Double(second + 1), at: start + Double(second) * 1_000) }
        // 12 slices of 10 s: the open one (11) and 11 closed ones, compacted as they closed; no delta.
        let first = Int64(start / 10_000)
        #expect(history.dense.indices.isEmpty)
        #expect(Array(history.levels[0].indices) == Array(first..<(first + 11)))
        // Late samples into a compacted slice and into a slice that had none are plain increments
        // into deltas; the compacted twin is left as it was.
        #expect(history.record(500, at: start + 5_000) == .recorded)
        #expect(history.record(600, at: start - 60_000) == .recorded)
        #expect(history.dense.indices == [first - 6, first])
        #expect(history.dense.histograms[1].count == 1)
        #expect(history.levels[0].slice(at: first)?.count == 10)
        // Queries see the slice and its delta together, once.
        #expect(history.span(from: start, to: start + 10_000).histogram.count == 11)
        // Minutes later (in steps within the future limit), those deltas are older than 5 minutes:
        // merged into the finest tier.
        history.record(1, at: start + 400_000)
        history.record(1, at: start + 480_000)
        #expect(history.levels[0].slice(at: first)?.count == 11)
        #expect(history.levels[0].slice(at: first - 6)?.count == 1)
        #expect(history.dense.indices.allSatisfy { $0 > history.compactedThrough })
        #expect(history.compactedThrough < history.openIndex)
        // A late sample into a slice whose delta was merged still counts, exactly once.
        #expect(history.record(700, at: start + 1_000) == .recorded)
        #expect(history.levels[0].slice(at: first)?.count == 12)
        #expect(history.span(from: 0, to: .infinity).histogram.count == 120 + 2 + 2 + 1)
    }

    @Test("deltas and compacted slices count in the history's bytes and can be dropped for memory")
    func denseBytesAndDrop() {
        var history = MetricHistory(tiers: .default)
        for second in 0..<60 {
            history.record(Double(second + 1), at: 1_000_000_000 + Double(second) * 1_000)
        }
        history.record(7, at: 1_000_000_000)
        #expect(history.dense.bytes > 0)
        let before = history.bytes
        #expect(before > history.open.allocatedBytes + history.dense.bytes)
        #expect(history.dropOldestSlice() > 0)
        #expect(history.bytes < before)
        #expect(history.droppedSlices == 1)
    }
}
