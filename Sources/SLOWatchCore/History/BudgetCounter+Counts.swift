/// Reading a counter: the exact counts over a span, from the finest tier that still keeps its start.
extension BudgetCounter {
    /// The largest distance from the epoch, in ms, that slice arithmetic uses (about 250,000 years):
    /// times beyond it are clamped to it, so no conversion to `Int64` can trap.
    static let timeLimitMilliseconds = 8.0e15

    /// `time` clamped to ±``timeLimitMilliseconds``; NaN becomes `ifNaN`.
    @inline(__always)
    static func clamped(_ time: Double, ifNaN: Double) -> Double {
        time.isNaN ? ifNaN : min(max(time, -timeLimitMilliseconds), timeLimitMilliseconds)
    }

    /// The counts over [from, to), in ms since the epoch.
    ///
    /// The tier read is the finest one that still keeps the slice holding `from`, counted back from the
    /// newest sample's slice (the coarsest one when none does); `from` is rounded down and `to` up to
    /// its slice boundaries, and `from` is raised to the tier's oldest kept slice. The span read is
    /// reported in the result. The open finest slice, not yet rolled up into the coarser tiers, is added
    /// when the tier read is coarser. For a `Timeslices` spec, slices judged good and bad are those
    /// whose last millisecond falls in the span, plus the open SLO slice, judged on the fly when `to` is
    /// at or past its end. Cost: one pass over the span's slices, each part read from the
    /// coarsest tier that covers it exactly (see ``add(tier:from:upTo:into:)``): a few hundred slices.
    func counts(fromMilliseconds: Double, toMilliseconds: Double) -> BudgetCounts {
        let limit = Self.timeLimitMilliseconds
        let from = Int64(Self.clamped(fromMilliseconds, ifNaN: -limit).rounded(.down))
        let to = max(from, Int64(Self.clamped(toMilliseconds, ifNaN: limit).rounded(.up)))
        guard current != .min else {
            let slice = tiers[0].sliceMilliseconds
            let first = Self.floorDivide(from, slice)
            let end = Self.ceilingDivide(to, slice)
            return BudgetCounts(
                goodEvents: 0, totalEvents: 0, fromMilliseconds: first &* slice,
                toMilliseconds: end &* slice, exactSinceMilliseconds: exactSince, lateEvents: late)
        }
        let tier = tierKeeping(from)
        let geometry = tiers[tier]
        let first = max(Self.floorDivide(from, geometry.sliceMilliseconds), newest[tier] - geometry.count + 1)
        let end = max(first, Self.ceilingDivide(to, geometry.sliceMilliseconds))
        var totals = SliceTotals()
        add(tier: tier, from: first, upTo: min(end, newest[tier] + 1), into: &totals)
        var result = BudgetCounts(
            goodEvents: totals.good, totalEvents: totals.total, goodSlices: totals.goodSlices,
            badSlices: totals.badSlices, fromMilliseconds: 0, toMilliseconds: 0,
            exactSinceMilliseconds: exactSince, lateEvents: late)
        if tier > 0 {
            let open = Self.floorDivide(current, geometry.ratio)
            if open >= first && open < end {
                let cell = 2 * slot(0, current)
                result.goodEvents &+= cells[cell]
                result.totalEvents &+= cells[cell + 1]
            }
        }
        if sloRatio > 0 {
            let open = Self.floorDivide(current, sloRatio)
            let openEnd = (open + 1) &* sloRatio
            let holder = Self.floorDivide(openEnd - 1, geometry.ratio)
            if openEnd &* tiers[0].sliceMilliseconds <= to, holder >= first, holder < end,
                let verdict = verdict(of: open)
            {
                if verdict { result.goodSlices &+= 1 } else { result.badSlices &+= 1 }
            }
        }
        result.fromMilliseconds = first &* geometry.sliceMilliseconds
        result.toMilliseconds = end &* geometry.sliceMilliseconds
        return result
    }

    /// ⌈a / b⌉ for b > 0.
    @inline(__always)
    static func ceilingDivide(_ a: Int64, _ b: Int64) -> Int64 {
        -floorDivide(-a, b)
    }

    /// The finest tier that keeps the slice holding `time` (ms), or the coarsest.
    func tierKeeping(_ time: Int64) -> Int {
        let finest = Self.floorDivide(time, tiers[0].sliceMilliseconds)
        for tier in tiers.indices
        where Self.floorDivide(finest, tiers[tier].ratio) > newest[tier] - tiers[tier].count {
            return tier
        }
        return tiers.count - 1
    }

    /// The stored good and total of every slice tier `tier` keeps, oldest first, with each slice's index;
    /// the open finest slice is not yet in the coarser tiers. For tests.
    func storedSlices(tier: Int) -> [(index: Int64, good: UInt64, total: UInt64)] {
        guard current != .min else { return [] }
        let oldest = newest[tier] - tiers[tier].count + 1
        return (oldest...newest[tier]).map { index in
            let cell = 2 * slot(tier, index)
            return (index, cells[cell], cells[cell + 1])
        }
    }
}
