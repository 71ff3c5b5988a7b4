/// Backfilling a new counter from its metric's history: the time before the SLO existed.
///
/// **What.** Every history slice that ends before the counter's start slice (the finest slice holding
/// ``BudgetCounter/exactSince``) is counted into each tier of the counter whose slices are at least as
/// long and that keeps it: its total exactly, its good samples by
/// ``ExponentialHistogram/goodCount(threshold:direction:)`` (the bucket holding the threshold counts as
/// bad unless the threshold is that bucket's edge on the good side, so a backfilled budget never looks
/// better than it is; a threshold on a bucket boundary, such as a power of two, backfills exactly). A
/// history slice coarser than a tier's slices cannot be split, so that tier does not get it; since
/// history keeps each sample in the finest tier that still keeps its time, as the counter does, each
/// tier still covers its whole retention. For a `Timeslices` spec, each SLO slice that ends before the
/// start and that the finest tier keeps whole is then judged from the backfilled counts.
///
/// **Exactness.** From ``BudgetCounter/exactSince`` on, counts are exact, as without backfill: the
/// registry backfills under the metric's lock, in the same hold that attaches the counter, so each
/// sample is either in history then or counted at ingest after. Samples recorded before the start into
/// the start slice or a later one are in neither (they are in history only).
extension BudgetCounter {
    /// What a backfill added.
    struct Backfill: Sendable, Equatable {
        /// History samples counted.
        var total: UInt64 = 0
        /// Of them, counted good.
        var good: UInt64 = 0
        /// Whether every good count was exact (no sample in the bucket holding the threshold).
        var exact = true
    }

    /// Counts `history`'s slices before the start into a counter that has counted nothing yet; does
    /// nothing when the counter has begun or history holds nothing before the start that a tier keeps
    /// (the counter then begins at its first sample, as without history). Once it has backfilled, the
    /// counter's tiers are counted back from the start slice.
    /// - Returns: what was counted.
    @discardableResult
    func backfill(from history: MetricHistory) -> Backfill {
        var result = Backfill()
        let finest = tiers[0].sliceMilliseconds
        let start = Self.floorDivide(exactSince, finest)
        guard current == .min, history.newestMilliseconds.isFinite else { return result }
        var slices: [(first: Int64, ratio: Int64, histogram: ExponentialHistogram)] = []
        for (position, level) in history.levels.enumerated() {
            let ratio = history.tiers.tiers[position].sliceMilliseconds / finest
            for (slice, index) in level.indices.enumerated() where (index + 1) &* ratio <= start {
                slices.append((index &* ratio, ratio, level.histogram(atPosition: slice)))
            }
        }
        for (index, histogram) in zip(history.dense.indices, history.dense.histograms) where index < start {
            slices.append((index, 1, histogram))
        }
        if history.openIndex < start, !history.open.isEmpty {
            slices.append((history.openIndex, 1, history.open))
        }
        // Only slices some tier keeps, counted back from the start slice (as `keeps` will, once begun).
        slices.removeAll { slice in
            !tiers.contains { tier in
                tier.ratio >= slice.ratio
                    && Self.floorDivide(slice.first, tier.ratio) > Self.floorDivide(start, tier.ratio)
                        - tier.count
            }
        }
        guard !slices.isEmpty else { return result }
        begin(at: start)
        for slice in slices {
            let (good, exact) = slice.histogram.goodCount(
                threshold: spec.threshold, direction: spec.direction)
            result.total &+= slice.histogram.count
            result.good &+= good
            result.exact = result.exact && exact
            for tier in tiers.indices where tiers[tier].ratio >= slice.ratio {
                let coarse = Self.floorDivide(slice.first, tiers[tier].ratio)
                guard keeps(tier, coarse) else { continue }
                let cell = 2 * self.slot(tier, coarse)
                cells[cell] &+= good
                cells[cell + 1] &+= slice.histogram.count
            }
        }
        judgeBackfilledSlices(before: start)
        return result
    }

    /// Judges, for a `Timeslices` spec, every SLO slice that ends before finest slice `start` and that
    /// the finest tier keeps whole, from the counts backfilled into it.
    private func judgeBackfilledSlices(before start: Int64) {
        guard sloRatio > 0 else { return }
        let oldest = newest[0] - tiers[0].count + 1
        var sloSlice = Self.floorDivide(oldest + sloRatio - 1, sloRatio)
        while (sloSlice + 1) &* sloRatio <= start {
            apply(verdict(of: sloSlice), to: sloSlice, sign: 1)
            sloSlice += 1
        }
    }
}
