/// Running totals of a span's slices.
struct SliceTotals {
    /// Good events.
    var good: UInt64 = 0
    /// All events.
    var total: UInt64 = 0
    /// Slices judged good.
    var goodSlices: UInt64 = 0
    /// Slices judged bad.
    var badSlices: UInt64 = 0
}

/// Summing a span of slices fast: the monitor reads 8 windows of every budget SLO per check.
extension BudgetCounter {
    /// Adds tier `tier`'s stored slices `first..<end` (all kept by the tier) to `totals`, reading the
    /// whole next-coarser slices inside the span from the next tier, recursively, and only the ragged
    /// ends from this one: a day at the 1-minute tier is then about 24 hour slices and up to 118 minute
    /// slices instead of 1,440.
    ///
    /// Exact, because a coarser slice holds the sum of its finer slices (closed finest slices are rolled
    /// up, late samples and verdicts go into every tier that keeps their slice), except the coarser
    /// slice holding the open finest slice (``current``), which lacks it: that one is always read at
    /// this tier, never from the coarser one.
    func add(tier: Int, from first: Int64, upTo end: Int64, into totals: inout SliceTotals) {
        guard end > first else { return }
        let coarser = tier + 1
        if coarser < tiers.count {
            let ratio = tiers[coarser].ratio / tiers[tier].ratio
            let low = Self.ceilingDivide(first, ratio)
            let high = min(Self.floorDivide(end, ratio), Self.floorDivide(current, tiers[coarser].ratio))
            if high - low >= 2 && keeps(coarser, low) && keeps(coarser, high - 1) {
                addRun(tier: tier, from: first, upTo: low &* ratio, into: &totals)
                add(tier: coarser, from: low, upTo: high, into: &totals)
                addRun(tier: tier, from: high &* ratio, upTo: end, into: &totals)
                return
            }
        }
        addRun(tier: tier, from: first, upTo: end, into: &totals)
    }

    /// Adds tier `tier`'s stored slices `first..<end` one by one, as at most two contiguous runs of
    /// slots (the ring wraps once at most).
    private func addRun(tier: Int, from first: Int64, upTo end: Int64, into totals: inout SliceTotals) {
        guard end > first else { return }
        let geometry = tiers[tier]
        let start = slot(tier, first)
        let length = Int(end - first)
        let untilWrap = geometry.offset + Int(geometry.count) - start
        addSlots(start..<(start + min(length, untilWrap)), into: &totals)
        if length > untilWrap {
            addSlots(geometry.offset..<(geometry.offset + length - untilWrap), into: &totals)
        }
    }

    /// Adds the counts of contiguous slots.
    private func addSlots(_ slots: Range<Int>, into totals: inout SliceTotals) {
        var good: UInt64 = 0
        var total: UInt64 = 0
        for slot in slots {
            good &+= cells[2 * slot]
            total &+= cells[2 * slot + 1]
        }
        totals.good &+= good
        totals.total &+= total
        guard let judgements else { return }
        var goodSlices: UInt64 = 0
        var badSlices: UInt64 = 0
        for slot in slots {
            goodSlices &+= UInt64(judgements[2 * slot])
            badSlices &+= UInt64(judgements[2 * slot + 1])
        }
        totals.goodSlices &+= goodSlices
        totals.badSlices &+= badSlices
    }
}
