/// One non-zero slot of a saved counter.
package struct SavedBudgetSlot: Sendable, Equatable {
    /// The slot's position over all tiers (0 ..< the counter's slot count).
    package var slot: Int
    /// Good events.
    package var good: UInt64
    /// All events.
    package var total: UInt64
    /// For a `Timeslices` counter, slices judged good; 0 otherwise.
    package var goodSlices: UInt32
    /// For a `Timeslices` counter, slices judged bad; 0 otherwise.
    package var badSlices: UInt32

    /// Creates a slot.
    package init(slot: Int, good: UInt64, total: UInt64, goodSlices: UInt32, badSlices: UInt32) {
        self.slot = slot
        self.good = good
        self.total = total
        self.goodSlices = goodSlices
        self.badSlices = badSlices
    }
}

/// Everything a budget counter holds but its geometry, as a snapshot saves it.
package struct SavedBudgetCounter: Sendable, Equatable {
    /// What it counts: a restore applies only to a counter of an equal spec.
    package var spec: BudgetCounterSpec
    /// The newest slice index of each tier.
    package var newest: [Int64]
    /// The finest slice of the newest sample counted; `Int64.min` before any.
    package var current: Int64
    /// Samples older than every tier's retention, not counted.
    package var late: UInt64
    /// Since when the counts are exact, in ms since the epoch.
    package var exactSince: Int64
    /// For a `Timeslices` counter, every SLO slice before this index has been judged.
    package var judgedThrough: Int64
    /// The slots with any count, ascending.
    package var slots: [SavedBudgetSlot]

    /// Creates a saved counter from its parts (as a snapshot reads them).
    package init(
        spec: BudgetCounterSpec, newest: [Int64], current: Int64, late: UInt64, exactSince: Int64,
        judgedThrough: Int64, slots: [SavedBudgetSlot]
    ) {
        self.spec = spec
        self.newest = newest
        self.current = current
        self.late = late
        self.exactSince = exactSince
        self.judgedThrough = judgedThrough
        self.slots = slots
    }
}

/// A budget counter as a snapshot saves it (``saved()``) and restores it (``restore(_:)``): every
/// non-zero slot and the counter's position, so that a restart keeps the counts exact.
extension BudgetCounter {
    /// The counter's state: O(slots). Call under the lock that guards it.
    func saved() -> SavedBudgetCounter {
        var slots: [SavedBudgetSlot] = []
        for slot in 0..<slotCount {
            let good = cells[2 * slot]
            let total = cells[2 * slot + 1]
            let goodSlices = judgements?[2 * slot] ?? 0
            let badSlices = judgements?[2 * slot + 1] ?? 0
            guard good | total != 0 || goodSlices | badSlices != 0 else { continue }
            slots.append(
                SavedBudgetSlot(
                    slot: slot, good: good, total: total, goodSlices: goodSlices, badSlices: badSlices))
        }
        return SavedBudgetCounter(
            spec: spec, newest: Array(UnsafeBufferPointer(start: newest, count: tiers.count)),
            current: current, late: late, exactSince: exactSince, judgedThrough: judgedThrough, slots: slots)
    }

    /// Replaces the counter's state with `saved`. Call under the lock that guards it.
    /// - Returns: false, changing nothing, when `saved` is of another spec, has another number of tiers,
    ///   an index no time gives, a slot out of range or out of order, slice counts on an `Occurrences` counter, or more good
    ///   events than events in a slot.
    func restore(_ saved: SavedBudgetCounter) -> Bool {
        // Indices this far from 0 never come from a time; the tier arithmetic could overflow on them.
        let bound = UInt64(Int64.max / 4)
        guard saved.spec == spec, saved.newest.count == tiers.count,
            saved.newest.allSatisfy({ $0.magnitude < bound }),
            saved.current == .min || saved.current.magnitude < bound,
            saved.judgedThrough == .min || saved.judgedThrough.magnitude < bound
        else { return false }
        var previous = -1
        for slot in saved.slots {
            guard slot.slot > previous, slot.slot < slotCount, slot.good <= slot.total,
                judgements != nil || slot.goodSlices | slot.badSlices == 0
            else { return false }
            previous = slot.slot
        }
        cells.update(repeating: 0, count: 2 * slotCount)
        judgements?.update(repeating: 0, count: 2 * slotCount)
        for slot in saved.slots {
            cells[2 * slot.slot] = slot.good
            cells[2 * slot.slot + 1] = slot.total
            judgements?[2 * slot.slot] = slot.goodSlices
            judgements?[2 * slot.slot + 1] = slot.badSlices
        }
        for tier in tiers.indices { newest[tier] = saved.newest[tier] }
        current = saved.current
        late = saved.late
        exactSince = saved.exactSince
        judgedThrough = saved.judgedThrough
        fastIndex = current
        fastCell = current == .min ? 0 : 2 * slot(0, current)
        return true
    }
}
