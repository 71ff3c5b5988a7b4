/// The summary pyramid of one history tier: for each of a few lengths coarser than the tier's slice,
/// the exact merge (``CompactHistogram``) of the tier's closed slices that start in each aligned
/// group of that length, so that a long span merges a few summaries instead of thousands of slices.
///
/// **Lengths** (``lengths(forTier:of:)``): built from the slice lengths of the coarser tiers and
/// ``coarsestFactor`` times the coarsest slice, so that each level merges between
/// ``minimumPieces`` and ``maximumPieces`` pieces of the level below (or slices), and none is longer
/// than the tier's retention. At the default tiers: the 10 s tier keeps 10-minute and 1-hour merges
/// (1-minute ones would merge only 6 slices each, for most of the summaries' bytes), the 1-minute
/// tier 1-hour and 1-day merges, the 1-hour tier 1-day merges. Each length is a whole multiple of the
/// previous one, and groups are aligned to the epoch, like slices.
///
/// **Invariant.** For every level and every group index `g` with `validFrom[level] ≤ g <
/// openGroups[level]`, `levels[level]` holds a summary at `g` exactly when the tier holds a slice
/// starting in `[g·L, (g+1)·L)`, and that summary's buckets, count, zero count, minimum and maximum
/// equal the merge of those slices (its sum too, up to the order of the floating-point additions).
/// Groups below `validFrom` lost a slice (it rolled up to the coarser tier, aged out, or was dropped
/// for memory: always the oldest ones), so they hold no summary and are never summarised again; a
/// span covers them slice by slice.
///
/// **The open group is not summarised.** `openGroups[level]` is the group of the tier's newest slice:
/// slices still arrive in it (each closed 10 s slice, each roll-up), so it holds no summary and a span
/// covers it with the narrower level or slice by slice (at most ``maximumPieces`` pieces). When a
/// slice arrives in a newer group, the open group is summarised once, from the narrower level's
/// summaries (or the slices), and coded once: not decoded, merged and coded again per slice.
///
/// Summaries only ever grow by exact merges (``add(_:sliceStart:slices:sliceMilliseconds:)``), never
/// by subtraction: a sum, minimum or maximum cannot be taken back out of a merge.
package struct TierSummaries: Sendable {
    /// The multiple of the coarsest tier's slice the coarsest tier is summarised at: 24 (1-hour slices
    /// make 1-day summaries).
    package static let coarsestFactor: Int64 = 24

    /// The summary lengths, in ms, ascending; each a whole multiple of the previous and of the tier's
    /// slice.
    package let lengths: [Int64]
    /// For each length, the summaries by group index (a group's start divided by the length).
    package private(set) var levels: [TierSlices]
    /// For each length, the lowest group index that may hold a summary; lower groups lost slices.
    package private(set) var validFrom: [Int64]
    /// For each length, the group of the tier's newest slice, which holds no summary yet (`Int64.min`
    /// before the first slice).
    package private(set) var openGroups: [Int64]

    /// No summaries yet, for the tier at `position` of `tiers`.
    package init(forTier position: Int, of tiers: HistoryTiers) {
        lengths = Self.lengths(forTier: position, of: tiers)
        levels = Array(repeating: TierSlices(), count: lengths.count)
        validFrom = Array(repeating: Int64.min, count: lengths.count)
        openGroups = Array(repeating: Int64.min, count: lengths.count)
    }

    /// The fewest pieces of the level below a summary level merges: 10 (fewer saves little work and
    /// takes about as many bytes as the pieces themselves).
    package static let minimumPieces: Int64 = 10
    /// The most pieces of the level below a summary level merges before a level of this many pieces
    /// is put between them (when it divides): 60, so a span's edge merges at most 59 pieces per level.
    package static let maximumPieces: Int64 = 60

    /// The summary lengths (ms) of the tier at `position`: each candidate (the coarser tiers' slices,
    /// then ``coarsestFactor`` times the coarsest slice) that merges at least ``minimumPieces`` of the
    /// previous length kept (the tier's slice at first), preceded by ``maximumPieces`` of that length
    /// when it merges more than that and the step divides; none longer than the tier's retention.
    package static func lengths(forTier position: Int, of tiers: HistoryTiers) -> [Int64] {
        guard tiers.tiers.indices.contains(position) else { return [] }
        let tier = tiers.tiers[position]
        let coarsest = tiers.tiers[tiers.tiers.count - 1].sliceMilliseconds
        let (top, overflow) = coarsest.multipliedReportingOverflow(by: coarsestFactor)
        var candidates = tiers.tiers[(position + 1)...].map(\.sliceMilliseconds)
        if !overflow { candidates.append(top) }
        var lengths: [Int64] = []
        for length in candidates where length <= tier.retentionMilliseconds {
            let previous = lengths.last ?? tier.sliceMilliseconds
            let pieces = length / previous
            guard pieces >= minimumPieces else { continue }
            if pieces > maximumPieces, pieces % maximumPieces == 0 {
                lengths.append(previous * maximumPieces)
            }
            lengths.append(length)
        }
        return lengths
    }

    /// The bytes the summaries take (their ``CompactHistogram/allocatedBytes``).
    package var bytes: Int { levels.reduce(0) { $0 + $1.bytes } }

    /// How many summaries are held, over every length.
    package var count: Int { levels.reduce(0) { $0 + $1.count } }

    /// Adds `histogram`, just added to the tier's slice starting at `sliceStart` (ms since the epoch),
    /// to the summary of each length whose group holds that start (exactly: decoded, merged, compacted
    /// again) when that group is closed; a slice in a newer group than the open one closes it
    /// (``close(level:slices:sliceMilliseconds:)``). Groups below ``validFrom`` are left alone.
    /// - Parameters:
    ///   - slices: the tier's slices, `histogram` already added.
    ///   - sliceMilliseconds: the tier's slice length, in ms.
    package mutating func add(
        _ histogram: ExponentialHistogram, sliceStart: Int64, slices: TierSlices, sliceMilliseconds: Int64
    ) {
        guard !histogram.isEmpty else { return }
        // Ascending: a level's open group closes from the narrower level's summaries, closed first.
        for level in lengths.indices {
            let group = MetricHistory.floorDivide(sliceStart, lengths[level])
            guard group >= validFrom[level] else { continue }
            if group < openGroups[level] {
                levels[level].add(histogram, at: group)
            } else if group > openGroups[level] {
                close(level: level, slices: slices, sliceMilliseconds: sliceMilliseconds)
                openGroups[level] = group
            }
        }
    }

    /// Summarises the open group of `level`, when it is still valid: the merge of the narrower
    /// level's summaries in it (all closed, since a level closes its group only after the narrower
    /// one did), or of the tier's slices in it for the narrowest level or when the narrower level
    /// lost some of the group (a restored `validFrom`); no summary when it is empty.
    private mutating func close(level: Int, slices: TierSlices, sliceMilliseconds: Int64) {
        let group = openGroups[level]
        guard group != Int64.min, group >= validFrom[level] else { return }
        let length = lengths[level]
        let start = group &* length
        var merged = ExponentialHistogram(scale: 0)
        var empty = true
        func take(_ piece: ExponentialHistogram) {
            if empty { merged = piece } else { merged.merge(piece) }
            empty = false
        }
        let ratio = level > 0 ? length / lengths[level - 1] : 0
        if level > 0, validFrom[level - 1] <= group &* ratio, openGroups[level - 1] >= (group &+ 1) &* ratio {
            let narrower = levels[level - 1]
            var position = narrower.position(of: group &* ratio)
            while position < narrower.count, narrower.indices[position] < (group &+ 1) &* ratio {
                take(narrower.histogram(atPosition: position))
                position += 1
            }
        } else {
            var position = slices.position(of: MetricHistory.ceilingDivide(start, sliceMilliseconds))
            let end = MetricHistory.ceilingDivide(start &+ length, sliceMilliseconds)
            while position < slices.count, slices.indices[position] < end {
                take(slices.histogram(atPosition: position))
                position += 1
            }
        }
        if !empty, !merged.isEmpty { levels[level].store(CompactHistogram(merged), at: group) }
    }

    /// The tier lost its slices starting at or before `sliceStart` (ms since the epoch): drops the
    /// summaries of every group up to the one holding that start, and never summarises them again.
    /// Their bytes are garbage until the next rebuild of each length's arena, or freed now when
    /// `reclaiming` (the history-memory limit's path).
    /// - Returns: the bytes freed.
    package mutating func invalidate(through sliceStart: Int64, reclaiming: Bool = false) -> Int {
        var freed = 0
        for level in lengths.indices {
            let group = MetricHistory.floorDivide(sliceStart, lengths[level])
            guard group >= validFrom[level] else { continue }
            let before = levels[level].bytes
            levels[level].discardThrough(group)
            if reclaiming { levels[level].shrink() }
            freed += before - levels[level].bytes
            validFrom[level] = group &+ 1
        }
        return freed
    }

    /// Sets what a saved history held (``MetricHistory/init(restoring:like:)``): the lowest valid group
    /// of each length, then the summaries, each level's in ascending group order.
    /// - Returns: false, changing nothing more, when `validFrom` has not one entry per length.
    mutating func restoreValidFrom(_ validFrom: [Int64]) -> Bool {
        guard validFrom.count == lengths.count else { return false }
        self.validFrom = validFrom
        return true
    }

    /// Opens, for each length, the group of the tier's newest slice (index `newest`, nil when the
    /// tier is empty) after a restore, dropping any summary of it or of a newer group (a snapshot from
    /// before the open groups holds the open group's summary, which would not see the slices still
    /// to come).
    mutating func restoreOpenGroups(newest: Int64?, sliceMilliseconds: Int64) {
        for level in lengths.indices {
            guard let newest else {
                openGroups[level] = Int64.min
                continue
            }
            let group = MetricHistory.floorDivide(newest &* sliceMilliseconds, lengths[level])
            openGroups[level] = group
            levels[level].discardFrom(group)
        }
    }

    /// Stores a saved summary of the length at `level` for group `group`.
    /// - Returns: false, storing nothing, when there is no such level, the group is below the level's
    ///   ``validFrom`` or not above the level's newest group.
    mutating func restore(_ summary: CompactHistogram, level: Int, group: Int64) -> Bool {
        guard levels.indices.contains(level), group >= validFrom[level],
            levels[level].indices.last.map({ $0 < group }) ?? true
        else { return false }
        levels[level].store(summary, at: group)
        return true
    }

    /// The widest summary that covers the tier's slice starting at `sliceStart` and lies wholly in
    /// [`cursor`, `end`) (ms since the epoch): so it holds no slice before `cursor` (already merged by
    /// the caller) and none at or after `end`.
    /// - Returns: the summary and the end of its group (ms); nil when no length fits.
    package func widest(
        covering sliceStart: Int64, from cursor: Int64, to end: Double
    ) -> (summary: CompactHistogram, end: Int64)? {
        for level in lengths.indices.reversed() {
            let length = lengths[level]
            let group = MetricHistory.floorDivide(sliceStart, length)
            let groupStart = group &* length
            guard group >= validFrom[level], groupStart >= cursor, Double(groupStart &+ length) <= end
            else { continue }
            if let summary = levels[level].slice(at: group) { return (summary, groupStart &+ length) }
        }
        return nil
    }
}
