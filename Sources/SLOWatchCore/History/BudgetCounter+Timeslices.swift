/// `Timeslices` judgement: each SLO slice (``BudgetCounter/sloRatio`` finest slices, aligned to the
/// epoch) is judged with ``TimesliceRule/judge(good:total:direction:)`` from its exact good and total
/// counts once it closes, and the verdict is added to the good or bad slice count of the slice holding
/// the SLO slice's last millisecond, in every tier that keeps it.
///
/// **When.** An SLO slice closes when a sample arrives in a later SLO slice; the verdict is then stored.
/// A query whose end is at or past the end of the open SLO slice judges it on the fly, without storing
/// anything (the record path alone moves time).
///
/// **Late samples.** A sample into an already judged SLO slice re-judges it exactly (the old verdict is
/// taken back, the new one applied) while the finest tier still keeps the slice's start. Past that the
/// verdict stands: the sample is counted in the good/total of the tiers that keep its slice, but no
/// slice count changes. Likewise an SLO slice is judged only while the finest tier keeps all of it, so
/// an SLO slice longer than the finest tier's retention (6 h by default) is never judged.
extension BudgetCounter {
    /// The verdict on SLO slice `sloSlice` from the finest tier's counts: true good, false bad, nil when
    /// it does not count (too few samples) or the finest tier no longer keeps all of it.
    func verdict(of sloSlice: Int64) -> Bool? {
        guard let rule = spec.timeslice else { return nil }
        let first = sloSlice &* sloRatio
        guard keeps(0, first) else { return nil }
        let last = min(first + sloRatio - 1, current)
        var good: UInt64 = 0
        var total: UInt64 = 0
        var index = first
        while index <= last {
            let cell = 2 * slot(0, index)
            good &+= cells[cell]
            total &+= cells[cell + 1]
            index += 1
        }
        return rule.judge(good: good, total: total, direction: spec.direction)
    }

    /// Adds (`sign` 1) or takes back (`sign` −1) `verdict` on SLO slice `sloSlice`, in every tier that
    /// keeps the slice holding its last millisecond; nil changes nothing.
    func apply(_ verdict: Bool?, to sloSlice: Int64, sign: Int) {
        guard let verdict, let judgements else { return }
        let end = (sloSlice + 1) &* sloRatio - 1
        for tier in tiers.indices {
            let coarse = Self.floorDivide(end, tiers[tier].ratio)
            guard keeps(tier, coarse) else { continue }
            let cell = 2 * slot(tier, coarse) + (verdict ? 0 : 1)
            judgements[cell] = sign > 0 ? judgements[cell] &+ 1 : judgements[cell] &- 1
        }
    }

    /// The verdict stored for a judged SLO slice, read from the finest slice holding its end (which
    /// holds at most that one verdict); nil when none is stored or the finest tier dropped it.
    func storedVerdict(of sloSlice: Int64) -> Bool? {
        guard let judgements else { return nil }
        let end = (sloSlice + 1) &* sloRatio - 1
        guard keeps(0, end) else { return nil }
        let cell = 2 * slot(0, end)
        if judgements[cell] > 0 { return true }
        if judgements[cell + 1] > 0 { return false }
        return nil
    }

    /// Re-judges a judged SLO slice after a late sample, while the finest tier keeps its start.
    func rejudge(_ sloSlice: Int64) {
        guard keeps(0, sloSlice &* sloRatio) else { return }
        let old = storedVerdict(of: sloSlice)
        let new = verdict(of: sloSlice)
        guard old != new else { return }
        apply(old, to: sloSlice, sign: -1)
        apply(new, to: sloSlice, sign: 1)
    }
}
