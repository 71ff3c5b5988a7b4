/// An error-budget SLO's good and bad events since its counter started, never decreasing, although the
/// count source keeps only the retention's worth of slices.
///
/// The total is `base` plus the counts over [anchor, now). Once the anchor is older than half the
/// history's retention, the counts over [anchor, newAnchor) are added to `base` and the anchor moves to
/// `newAnchor`, a boundary of the coarsest tier's slices at least two such slices in the past, so both
/// spans end on slice boundaries and nothing is counted twice or lost. Not thread-safe: kept in a tracker.
struct EventTotals: Sendable, Equatable {
    /// Where the live span starts, in ms since the epoch.
    var anchorMilliseconds: Int64
    /// Good events before the anchor.
    var baseGood: UInt64 = 0
    /// Bad events before the anchor.
    var baseBad: UInt64 = 0
    /// The good events at the last update.
    var good: UInt64 = 0
    /// The bad events at the last update.
    var bad: UInt64 = 0

    init(anchorMilliseconds: Int64) { self.anchorMilliseconds = anchorMilliseconds }

    /// Reads the counts of `sloID` up to `now` (wall-clock ms) and updates ``good`` and ``bad``; a
    /// reading that would make either go down (the source restarted the counter) is ignored.
    mutating func update(sloID: String, source: any BudgetCountSource, now: Double, history: HistoryTiers) {
        let coarse = history.tiers[history.tiers.count - 1].sliceMilliseconds
        if now - Double(anchorMilliseconds) > Double(history.retentionMilliseconds) / 2 {
            let boundary = Int64((now / Double(coarse)).rounded(.down)) * coarse - 2 * coarse
            if boundary > anchorMilliseconds,
                let rolled = source.budgetCounts(
                    sloID: sloID, fromMilliseconds: Double(anchorMilliseconds),
                    toMilliseconds: Double(boundary))
            {
                baseGood &+= rolled.goodEvents
                baseBad &+= rolled.badEvents
                anchorMilliseconds = boundary
            }
        }
        guard
            let live = source.budgetCounts(
                sloID: sloID, fromMilliseconds: Double(anchorMilliseconds), toMilliseconds: now)
        else { return }
        good = max(good, baseGood &+ live.goodEvents)
        bad = max(bad, baseBad &+ live.badEvents)
    }
}
