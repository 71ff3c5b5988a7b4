/// One metric's history: for each ``HistoryTiers`` tier, slices of time, each an exponential histogram
/// (``ExponentialHistogram``) of the samples in it.
///
/// **Every sample is counted exactly once.** A sample goes into the finest tier that still keeps its
/// time: the newest slice of the finest tier is open (dense counts, a few ns to record into); when a
/// newer slice starts, the open one is compacted (``CompactHistogram``) into the finest tier at once.
/// A late sample for a closed finest slice that starts within ``denseMilliseconds`` of the newest
/// time (above ``compactedThrough``) goes into a small dense *delta* for that slice (``dense``), a
/// plain increment; the delta is merged into the compacted slice and its summaries once it ages past
/// ``denseMilliseconds``. So in-order traffic holds no dense slice but the open one, and a compacted
/// slice and a delta at the same index together hold that slice's samples: queries, the budget
/// backfill and snapshots take both. A late sample older than that decodes, merges and re-encodes
/// its one slice: rare, and bounded by the slice's bucket count (at most
/// ``ExponentialHistogram/maximumBuckets`` per sign). When a slice
/// ages past its tier's retention it is merged (exactly, same buckets) into the slice of the next tier
/// that contains it, and the coarsest tier drops it. So a coarser slice is the exact merge of the finer
/// slices that made it, a range is answered by merging the slices whose start lies in it, across tiers,
/// and nothing is counted twice.
///
/// **Summaries.** Each tier also keeps exact merges of its closed slices over coarser aligned lengths
/// (``summaries``, a ``TierSummaries`` per tier), updated wherever a slice of the tier is added to
/// (compaction, roll-up, a late sample) and dropped when the tier loses a slice. A span then merges
/// the widest summaries wholly inside it and single slices only at its edges (``span(from:to:)``).
///
/// **Time.** Slices are aligned to the epoch. "Now" for ageing is ``newestMilliseconds``, the newest
/// sample time seen; the record path never reads a clock, and queries pass their own "now".
/// - A sample older than the coarsest tier keeps is not recorded: ``late`` counts it.
/// - A sample more than ``futureLimitMilliseconds`` ahead of the newest time is not recorded:
///   ``future`` counts it.
/// - A sample beyond ±``timeLimitMilliseconds`` from the epoch is counted as late (before) or future
///   (after).
///
/// Not thread-safe: a metric's lock guards it (``MetricState``).
package struct MetricHistory: Sendable {
    /// How far ahead of the newest time a sample may be, in ms, by default: 5 minutes.
    package static let defaultFutureLimitMilliseconds: Double = 300_000
    /// How long a closed finest slice takes late samples into a dense delta, in ms, by default: 5
    /// minutes, the registry's skew.
    package static let defaultDenseMilliseconds: Double = 300_000

    /// The tiers, finest first.
    package let tiers: HistoryTiers
    /// The layout of the configured scale.
    package let layout: ExponentialBucketLayout
    /// How far ahead of ``newestMilliseconds`` a sample may be, in ms (+∞: no limit).
    package let futureLimitMilliseconds: Double
    /// The finest tier's slice length, in ms, as a `Double` for the record path.
    let finestSliceMilliseconds: Double
    /// The index (in the finest tier) of the open slice; `Int64.min` before the first sample.
    package internal(set) var openIndex = Int64.min
    /// The open slice.
    package internal(set) var open: ExponentialHistogram
    /// The closed slices of each tier.
    package internal(set) var levels: [TierSlices]
    /// The summaries of each tier's closed slices (``TierSummaries``), in the order of ``levels``.
    package internal(set) var summaries: [TierSummaries]
    /// How long late samples into a closed slice of the finest tier are kept in a dense delta, in ms:
    /// while the slice's start is within this of ``newestMilliseconds``.
    package let denseMilliseconds: Double
    /// The deltas: late samples into recently closed finest slices, not yet merged into the compacted
    /// slice at the same index in `levels[0]` (which may or may not exist). Every index in it is above
    /// ``compactedThrough`` and below ``openIndex``.
    package internal(set) var dense = DenseSlices()
    /// The highest finest-tier slice index whose delta may have been merged (`Int64.min` before any):
    /// only ever grows, and a late sample above it (and below ``openIndex``) belongs in ``dense``.
    package internal(set) var compactedThrough = Int64.min
    /// The newest sample time recorded, in ms since the epoch; −∞ before the first.
    package internal(set) var newestMilliseconds = -Double.infinity
    /// Samples too old for any tier, kept out of history.
    package internal(set) var late: UInt64 = 0
    /// Samples too far ahead of the newest time, kept out of history.
    package internal(set) var future: UInt64 = 0
    /// Slices dropped to keep the history-memory limit (not those aged out by retention).
    package internal(set) var droppedSlices: UInt64 = 0
    /// Every sample recorded outside the open slice since registration (``MetricHistory+Total``); nil
    /// until first needed (a restored history rebuilds it from its slices).
    package internal(set) var closedTotal: ExponentialHistogram?

    /// What ``record(_:at:)`` did with a sample.
    package enum Outcome: Sendable, Equatable {
        /// Counted in a slice.
        case recorded
        /// Older than the retention: not counted (``MetricHistory/late``).
        case late
        /// Too far ahead: not counted (``MetricHistory/future``).
        case future
    }

    /// An empty history.
    /// - Parameters:
    ///   - tiers: the slicing.
    ///   - scale: the bucket scale, clamped to 0 ... ``ExponentialBucketLayout/maximumScale``.
    ///   - futureLimitMilliseconds: see ``futureLimitMilliseconds``.
    ///   - denseMilliseconds: see ``denseMilliseconds`` (negative or NaN reads as 0).
    package init(
        tiers: HistoryTiers, scale: Int = ExponentialBucketLayout.defaultScale,
        futureLimitMilliseconds: Double = defaultFutureLimitMilliseconds,
        denseMilliseconds: Double = defaultDenseMilliseconds
    ) {
        self.tiers = tiers
        self.denseMilliseconds = denseMilliseconds >= 0 ? denseMilliseconds : 0
        layout = ExponentialBucketLayout.at(scale: scale)
        self.futureLimitMilliseconds = futureLimitMilliseconds
        finestSliceMilliseconds = Double(tiers.finest.sliceMilliseconds)
        open = ExponentialHistogram(scale: layout.scale)
        levels = Array(repeating: TierSlices(), count: tiers.tiers.count)
        summaries = tiers.tiers.indices.map { TierSummaries(forTier: $0, of: tiers) }
    }

    /// Counts a finite sample at its time (ms since the epoch, finite).
    @inline(__always)
    @discardableResult
    package mutating func record(_ value: Double, at time: Double) -> Outcome {
        guard time > -Self.timeLimitMilliseconds, time < Self.timeLimitMilliseconds else {
            return recordOutOfRange(time)
        }
        let index = Int64((time / finestSliceMilliseconds).rounded(.down))
        if index == openIndex, time <= newestMilliseconds + futureLimitMilliseconds {
            open.record(value, layout: layout)
            if time > newestMilliseconds { newestMilliseconds = time }
            return .recorded
        }
        return recordOutsideOpenSlice(value, at: time, index: index)
    }

    /// The farthest time from the epoch history slices, in ms: 2^52 (about 142,000 years), so that
    /// every slice index and start fits an `Int64`.
    package static let timeLimitMilliseconds: Double = 0x1p52

    /// A time beyond ±``timeLimitMilliseconds``: late when before the epoch, future after it.
    @inline(never)
    private mutating func recordOutOfRange(_ time: Double) -> Outcome {
        if time < 0 {
            late &+= 1
            return .late
        }
        future &+= 1
        return .future
    }

    @inline(never)
    private mutating func recordOutsideOpenSlice(_ value: Double, at time: Double, index: Int64) -> Outcome {
        if newestMilliseconds.isFinite, time > newestMilliseconds + futureLimitMilliseconds {
            future &+= 1
            return .future
        }
        if index > openIndex {
            advance(to: time, index: index)
            open.record(value, layout: layout)
            return .recorded
        }
        // Older than the open slice. Above compactedThrough the finest tier keeps it (compactedThrough
        // is at least the finest tier's newest expired slice after every advance): into its delta.
        if index > compactedThrough {
            dense.record(value, at: index, layout: layout)
            return .recorded
        }
        // Else into the finest tier that still keeps it.
        guard let tier = tierKeeping(time) else {
            late &+= 1
            return .late
        }
        addToClosedTotal(value)
        var single = ExponentialHistogram(scale: layout.scale)
        single.record(value, layout: layout)
        addToTier(tier, single, at: tiers.tiers[tier].sliceIndex(containing: time))
        return .recorded
    }

    /// The position of the finest tier whose retention (counted back from the newest time) keeps
    /// `time`; nil when none does.
    package func tierKeeping(_ time: Double) -> Int? {
        tiers.tiers.indices.first { position in
            let tier = tiers.tiers[position]
            return tier.sliceIndex(containing: time) > oldestExpired(tier)
        }
    }

    /// The newest slice index a tier no longer keeps: its newest slice minus its slice count.
    private func oldestExpired(_ tier: HistoryTiers.Tier) -> Int64 {
        guard newestMilliseconds.isFinite else { return Int64.min }
        return tier.sliceIndex(containing: newestMilliseconds) &- Int64(tier.sliceCount)
    }

    /// Closes the open slice (compacted into the finest tier), opens slice `index` at `time`, merges
    /// the deltas that have aged past ``denseMilliseconds`` and ages every tier.
    mutating func advance(to time: Double, index: Int64) {
        mergeIntoClosedTotal(open)
        if !open.isEmpty { addToTier(0, open, at: openIndex) }
        open = ExponentialHistogram(scale: layout.scale)
        openIndex = index
        newestMilliseconds = time
        compactAgedDenseSlices()
        for position in tiers.tiers.indices {
            let tier = tiers.tiers[position]
            let expired = levels[position].removeThrough(oldestExpired(tier))
            guard let newestExpired = expired.last?.index else { continue }
            _ = summaries[position].invalidate(through: tier.sliceStart(newestExpired))
            guard position + 1 < tiers.tiers.count else { continue }
            let coarser = tiers.tiers[position + 1]
            var pending: (index: Int64, histogram: ExponentialHistogram)?
            for (sliceIndex, histogram) in expired {
                let target = Self.floorDivide(sliceIndex &* tier.sliceMilliseconds, coarser.sliceMilliseconds)
                if let current = pending, current.index != target {
                    addToTier(position + 1, current.histogram, at: current.index)
                    pending = nil
                }
                var merged = pending?.histogram ?? ExponentialHistogram(scale: layout.scale)
                merged.merge(histogram)
                pending = (target, merged)
            }
            if let pending { addToTier(position + 1, pending.histogram, at: pending.index) }
        }
    }

    /// Adds `histogram` to the slice `index` of the tier at `position`, and to that tier's summaries.
    mutating func addToTier(_ position: Int, _ histogram: ExponentialHistogram, at index: Int64) {
        levels[position].add(histogram, at: index)
        let tier = tiers.tiers[position]
        summaries[position].add(
            histogram, sliceStart: tier.sliceStart(index), slices: levels[position],
            sliceMilliseconds: tier.sliceMilliseconds)
    }

    /// ⌊a / b⌋ for b > 0.
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && a < 0) ? quotient - 1 : quotient
    }

    /// The bytes the history holds: the compacted slices' arenas and indices (``TierSlices/bytes``),
    /// their summaries, the deltas, the open slice and the closed total.
    package var bytes: Int {
        let slices = levels.reduce(open.allocatedBytes + dense.bytes + closedTotalBytes) { $0 + $1.bytes }
        return summaries.reduce(slices) { $0 + $1.bytes }
    }

    /// Drops the oldest slice of the coarsest tier that holds any, with the summaries that hold it, to
    /// free memory; counted in ``droppedSlices``.
    /// - Returns: the bytes freed; 0 when only the open slice is left.
    package mutating func dropOldestSlice() -> Int {
        for position in levels.indices.reversed() {
            guard let oldest = levels[position].indices.first else { continue }
            droppedSlices &+= 1
            let freed = levels[position].removeOldest()
            let summaryStart = tiers.tiers[position].sliceStart(oldest)
            return freed + summaries[position].invalidate(through: summaryStart, reclaiming: true)
        }
        // A dropped delta's samples stay in the cumulative total, which never shrinks.
        if let oldest = dense.histograms.first { mergeIntoClosedTotal(oldest) }
        let freed = dense.removeOldest()
        if freed > 0 { droppedSlices &+= 1 }
        return freed
    }
}
