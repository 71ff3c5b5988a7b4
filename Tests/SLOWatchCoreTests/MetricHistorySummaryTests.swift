import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite(
    "Metric history: summaries make long spans cheap and stay exact",
    .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
struct MetricHistorySummaryTests {
    /// 1 s slices for 400 s, 10 s for 2,000 s, 100 s for 10,000 s: the 1 s tier keeps 10 s and 100 s
    /// summaries, the 10 s tier 100 s ones, the 100 s tier 2,400 s (24 × 100 s) ones.
    static let tiers: HistoryTiers = {
        do {
            return try HistoryTiers([
                .init(sliceMilliseconds: 1_000, retentionMilliseconds: 400_000),
                .init(sliceMilliseconds: 10_000, retentionMilliseconds: 2_000_000),
                .init(sliceMilliseconds: 100_000, retentionMilliseconds: 10_000_000),
            ])
        } catch {
            return .default
        }
    }()

    @Test(
        "the default tiers summarise 10 s slices by 10 minutes and hour, minutes by hour and day, hours by day"
    )
    func defaultLengths() {
        let lengths = HistoryTiers.default.tiers.indices.map {
            TierSummaries.lengths(forTier: $0, of: .default)
        }
        #expect(lengths == [[600_000, 3_600_000], [3_600_000, 86_400_000], [86_400_000]])
        let small = Self.tiers.tiers.indices.map { TierSummaries.lengths(forTier: $0, of: Self.tiers) }
        #expect(small == [[10_000, 100_000], [100_000], [2_400_000]])
    }

    /// The span of [from, to) merged slice by slice, the reference.
    static func reference(_ history: MetricHistory, from: Double, to: Double) -> ExponentialHistogram {
        var merged = ExponentialHistogram(scale: history.layout.scale)
        history.forEachSlice(from: history.alignedStart(from), to: to, usingSummaries: false) {
            merged.merge($0)
        }
        return merged
    }

    /// Records whether `actual` equals `expected` bucket for bucket, with the same totals (the sum up
    /// to the order of the floating-point additions).
    static func expectSame(
        _ actual: ExponentialHistogram, _ expected: ExponentialHistogram, _ context: String
    ) {
        #expect(actual.scale == expected.scale, "\(context)")
        #expect(actual.count == expected.count, "\(context)")
        #expect(actual.zeroCount == expected.zeroCount, "\(context)")
        #expect(actual.positive == expected.positive, "\(context)")
        #expect(actual.negative == expected.negative, "\(context)")
        #expect(actual.minimum == expected.minimum, "\(context)")
        #expect(actual.maximum == expected.maximum, "\(context)")
        let tolerance = 1e-9 * max(1, abs(expected.sum))
        #expect(abs(actual.sum - expected.sum) <= tolerance, "\(context): sum \(actual.sum) \(expected.sum)")
    }

    /// Checks the summary invariant of every tier: each group from `validFrom` on and before the open
    /// group holds a summary exactly when the tier holds a slice in it, equal to the merge of those
    /// slices; the open group (that of the tier's newest slice) and newer ones hold none.
    static func expectSummariesMatchSlices(_ history: MetricHistory, _ context: String) {
        for position in history.levels.indices {
            let tier = history.tiers.tiers[position]
            let slices = history.levels[position]
            let summaries = history.summaries[position]
            for level in summaries.lengths.indices {
                let length = summaries.lengths[level]
                var groups: [Int64: ExponentialHistogram] = [:]
                for (index, slice) in zip(slices.indices, slices.slices) {
                    let group = MetricHistory.floorDivide(tier.sliceStart(index), length)
                    guard group >= summaries.validFrom[level], group < summaries.openGroups[level] else {
                        continue
                    }
                    groups[group, default: ExponentialHistogram(scale: history.layout.scale)]
                        .merge(slice.histogram)
                }
                let held = summaries.levels[level]
                #expect(
                    Array(held.indices) == groups.keys.sorted(), "\(context) tier \(position) level \(level)")
                for (group, expected) in groups {
                    guard let summary = held.slice(at: group) else { continue }
                    expectSame(summary.histogram, expected, "\(context) tier \(position) group \(group)")
                }
            }
        }
    }

    /// A random value: mostly log-uniform over three decades, some zeros and negatives, and rarely one
    /// so extreme that a slice must downscale.
    static func value(_ random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<200, using: &random) {
        case 0: return 0
        case 1..<4: return -exp(Double.random(in: 0..<7, using: &random))
        case 4: return Bool.random(using: &random) ? 1e-250 : 1e250
        default: return exp(Double.random(in: 0..<7, using: &random))
        }
    }

    @Test(
        "every random span equals the slice-by-slice merge, through late samples, ageing and drops",
        arguments: [1 as UInt64, 2, 3, 4])
    func randomSpansEqualSliceMerges(seed: UInt64) {
        var random = SplitMix64(seed: 0x5_1ACE_0000 &+ seed)
        let dense = [0.0, 3_000, 300_000][Int(seed % 3)]
        var history = MetricHistory(
            tiers: Self.tiers, futureLimitMilliseconds: .infinity, denseMilliseconds: dense)
        var now = 1_000_000_000.0
        var recorded: [(time: Double, value: Double)] = []
        var dropped = false
        for step in 0..<6_000 {
            // Mostly forward by up to 0.7 s; now and then a jump that ages whole tiers.
            now +=
                Int.random(in: 0..<150, using: &random) == 0
                ? Double.random(in: 0..<5_000_000, using: &random)
                : Double.random(in: 0..<3_000, using: &random)
            let lateness: Double =
                switch Int.random(in: 0..<10, using: &random) {
                case 0: Double.random(in: 0..<11_000_000, using: &random)  // any tier, or too late
                case 1: Double.random(in: 0..<300_000, using: &random)  // into a closed slice
                default: 0
                }
            let value = Self.value(&random)
            if history.record(value, at: now - lateness) == .recorded {
                recorded.append((now - lateness, value))
            }
            if Int.random(in: 0..<400, using: &random) == 0 {
                let before = history.bytes
                let freed = history.dropOldestSlice()
                #expect(history.bytes == before - freed, "seed \(seed) step \(step): drop")
                dropped = dropped || freed > 0
            }
            guard step % 25 == 0 else { continue }
            let newest = history.newestMilliseconds
            let from = newest - Double.random(in: 0..<11_000_000, using: &random)
            let to =
                Bool.random(using: &random)
                ? .infinity : Double.random(in: from...(newest + 1), using: &random)
            let context = "seed \(seed) step \(step) from \(from) to \(to)"
            let span = history.span(from: from, to: to)
            Self.expectSame(span.histogram, Self.reference(history, from: from, to: to), context)
            if !dropped, to == .infinity {
                // Nothing dropped for memory yet: a span to the end holds exactly the recorded samples
                // still kept from its start on (an end inside a slice would take the whole slice).
                let kept = recorded.filter {
                    $0.time >= Double(span.fromMilliseconds) && history.tierKeeping($0.time) != nil
                }
                #expect(span.histogram.count == UInt64(kept.count), "\(context)")
            }
        }
        Self.expectSummariesMatchSlices(history, "seed \(seed)")
        #expect(history.summaries.contains { $0.count > 0 })
    }

    @Test("a long span merges summaries: far fewer pieces than slices, same histogram")
    func longSpanTouchesFewPieces() {
        var random = SplitMix64(seed: 77)
        var history = MetricHistory(tiers: Self.tiers, denseMilliseconds: 0)
        // 10,000 s at 2 samples/s: every tier full.
        let start = 1_000_000_000.0
        for step in 0..<20_000 {
            history.record(exp(Double.random(in: 0..<7, using: &random)), at: start + Double(step) * 500)
        }
        let from = Double(history.alignedStart(start))
        var pieces = 0
        var merged = ExponentialHistogram(scale: history.layout.scale)
        history.forEachSlice(from: Int64(from), to: .infinity) {
            pieces += 1
            merged.merge($0)
        }
        var slices = 0
        history.forEachSlice(from: Int64(from), to: .infinity, usingSummaries: false) { _ in slices += 1 }
        Self.expectSame(merged, Self.reference(history, from: from, to: .infinity), "whole history")
        #expect(slices > 100)
        #expect(pieces * 3 < slices, "\(pieces) pieces for \(slices) slices")
        Self.expectSummariesMatchSlices(history, "whole history")
    }

    @Test("summaries count in the history's bytes and are freed with the slices they hold")
    func summariesCountInBytes() {
        var history = MetricHistory(tiers: Self.tiers, denseMilliseconds: 0)
        for second in 0..<4_000 {
            history.record(Double(second % 97 + 1), at: 1_000_000_000 + Double(second) * 1_000)
        }
        let summaryBytes = history.summaries.reduce(0) { $0 + $1.bytes }
        let sliceBytes = history.levels.reduce(0) { $0 + $1.bytes }
        #expect(summaryBytes > 0)
        #expect(
            history.bytes
                == summaryBytes + sliceBytes + history.open.allocatedBytes + history.dense.bytes
                + history.closedTotalBytes)
        // Dropping the oldest 100 s slice drops the 2,400 s summary holding it, which is not rebuilt.
        let coarsest = history.summaries[2]
        let oldestBytes = history.levels[2].slices.first?.allocatedBytes ?? 0
        let freed = history.dropOldestSlice()
        #expect(oldestBytes > 0 && freed > oldestBytes)
        #expect(history.summaries[2].count == coarsest.count - 1)
        #expect(history.summaries[2].validFrom[0] > coarsest.validFrom[0])
    }

    @Test("a snapshot holding the open group's summary (as before open groups) restores, and stays exact")
    func restoredOpenGroupSummaryIsDropped() throws {
        var history = MetricHistory(tiers: Self.tiers, denseMilliseconds: 0)
        var random = SplitMix64(seed: 16)
        let start = 1_000_000_000.0
        for step in 0..<1_500 {
            history.record(exp(Double.random(in: 0..<7, using: &random)), at: start + Double(step) * 1_000)
        }
        // As the old code saved it: a summary of every group with slices, the open ones included.
        var saved = history.saved
        let tier = Self.tiers.tiers[0]
        let slices = history.levels[0]
        let openGroup = history.summaries[0].openGroups[0]
        var open = ExponentialHistogram(scale: history.layout.scale)
        for (index, slice) in zip(slices.indices, slices.slices)
        where MetricHistory.floorDivide(tier.sliceStart(index), 10_000) == openGroup {
            open.merge(slice.histogram)
        }
        #expect(!open.isEmpty)
        #expect(history.summaries[0].levels[0].slice(at: openGroup) == nil)
        let position = saved.pieces.lastIndex { $0.tier == 0 && $0.level == 1 } ?? 0
        saved.pieces.insert(
            MetricHistory.SavedPiece(tier: 0, level: 1, index: openGroup, slice: CompactHistogram(open)),
            at: position + 1)
        var restored = try MetricHistory(
            restoring: saved, like: MetricHistory(tiers: Self.tiers, denseMilliseconds: 0))
        #expect(restored.summaries[0].levels[0].slice(at: openGroup) == nil)
        // More slices into the open group, then past it: its summary holds them all.
        for step in 1_500..<1_530 {
            restored.record(exp(Double.random(in: 0..<7, using: &random)), at: start + Double(step) * 1_000)
        }
        Self.expectSummariesMatchSlices(restored, "restored")
        let from = start + 1_000_000
        Self.expectSame(
            restored.span(from: from, to: .infinity).histogram,
            Self.reference(restored, from: from, to: .infinity), "restored span")
    }
}
