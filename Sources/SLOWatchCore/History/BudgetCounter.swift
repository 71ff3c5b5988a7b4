/// One error-budget SLO's exact good/total counts, per slice of every history tier, counted at ingest.
///
/// **Layout.** Each tier is a ring of `sliceCount` slots; slice index `i` (⌊t / slice⌋, see
/// ``HistoryTiers/Tier/sliceIndex(containing:)``) lives in slot `i mod sliceCount`. A slot is two
/// `UInt64` counters (good, total) and, for a `Timeslices` spec, two `UInt32` counters (slices judged
/// good, bad): 16 B (24 B) a slot, 5,880 slots, so 94,080 B (141,120 B) at the default tiers, allocated
/// once at start (see ``bytes(for:tiers:)``).
///
/// **Counting.** A sample goes into the finest slice of its own timestamp. Only the newest finest slice
/// (``current``) is open: the hot path adds to it alone, with one compare and two increments. When a
/// sample arrives in a later finest slice, the open one closes and is rolled up, exactly, into the
/// coarser tiers' slices holding it, and every tier ages out its slices older than its retention,
/// counted back from the newest sample's slice (the record path never reads the clock). A late sample
/// (into a closed slice) is added to every tier that still keeps its slice; one that no tier keeps is
/// not counted, only counted in ``late``. So each closed coarse slice equals the sum of its finer
/// slices, and the open coarse slice lacks only the open finest slice, which a query adds back.
///
/// `@unchecked Sendable`: the mutable state is read and written only under the lock that guards the
/// counter: the lock of the metric it is attached to (through `MetricState.counters`), or, while it is
/// detached (no such metric registered), the registry's registration lock. The registry takes the
/// registration lock first, then the metric's, as everywhere else.
final class BudgetCounter: @unchecked Sendable {
    /// One tier's geometry.
    struct Tier: Sendable {
        /// The tier's slice, in finest slices (1 for the finest tier).
        let ratio: Int64
        /// How many slices the tier keeps.
        let count: Int64
        /// The index of the tier's first slot in the counter's slot arrays.
        let offset: Int
        /// The tier's slice, in ms.
        let sliceMilliseconds: Int64
    }

    /// What is counted.
    let spec: BudgetCounterSpec
    /// The tiers, finest first.
    let tiers: [Tier]
    /// Slots over all tiers.
    let slotCount: Int
    /// Good and total per slot, interleaved: `cells[2·slot]` good, `cells[2·slot + 1]` total.
    let cells: UnsafeMutablePointer<UInt64>
    /// For a `Timeslices` spec, slices judged good and bad per slot, interleaved; nil otherwise.
    let judgements: UnsafeMutablePointer<UInt32>?
    /// For a `Timeslices` spec, the SLO slice in finest slices (at least 1); 0 otherwise.
    let sloRatio: Int64
    /// The newest slice index of each tier (the one holding ``current``); valid once ``current`` is.
    let newest: UnsafeMutablePointer<Int64>
    /// The finest slice of the newest sample counted, the only open slice; `Int64.min` before any.
    var current = Int64.min
    /// ``current`` once there is one; the hot path's one compare.
    var fastIndex = Int64.min
    /// `2·slot` of ``current`` in ``cells``.
    var fastCell = 0
    /// Samples older than every tier's retention, not counted.
    var late: UInt64 = 0
    /// Since when the counts are exact, in ms since the epoch (see ``MetricsRegistry``'s
    /// `startCounting`): the start of the finest slice of the first sample counted, or, before any, of
    /// the slice holding the wall clock's reading at start.
    var exactSince: Int64
    /// For a `Timeslices` spec: every SLO slice before this index has been judged (the one holding
    /// ``current`` is open).
    var judgedThrough = Int64.min

    /// Creates an empty counter.
    /// - Parameters:
    ///   - spec: what to count; its rule's slice, if any, is a whole multiple of the finest slice.
    ///   - tiers: the registry's tiers.
    ///   - startMilliseconds: the wall clock's reading at start, for ``exactSince`` before any sample.
    init(spec: BudgetCounterSpec, tiers: HistoryTiers, startMilliseconds: Int64) {
        self.spec = spec
        let finest = tiers.finest.sliceMilliseconds
        var layout: [Tier] = []
        var offset = 0
        for tier in tiers.tiers {
            layout.append(
                Tier(
                    ratio: tier.sliceMilliseconds / finest, count: Int64(tier.sliceCount), offset: offset,
                    sliceMilliseconds: tier.sliceMilliseconds))
            offset += tier.sliceCount
        }
        self.tiers = layout
        slotCount = offset
        cells = .allocate(capacity: 2 * offset)
        cells.initialize(repeating: 0, count: 2 * offset)
        if let rule = spec.timeslice {
            sloRatio = max(1, rule.sliceMilliseconds / finest)
            let judged = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * offset)
            judged.initialize(repeating: 0, count: 2 * offset)
            judgements = judged
        } else {
            sloRatio = 0
            judgements = nil
        }
        newest = .allocate(capacity: layout.count)
        newest.initialize(repeating: 0, count: layout.count)
        exactSince = BudgetCounter.floorDivide(startMilliseconds, finest) &* finest
    }

    deinit {
        cells.deallocate()
        judgements?.deallocate()
        newest.deallocate()
    }

    /// The bytes one counter of `spec` takes at `tiers`, as reserved in the memory budget: its slots
    /// plus a fixed 512 B for the object, its spec and its tier table.
    static func bytes(for spec: BudgetCounterSpec, tiers: HistoryTiers) -> Int {
        let slots = tiers.tiers.reduce(0) { $0 + $1.sliceCount }
        return slots * (spec.timeslice == nil ? 16 : 24) + 512
    }

    /// ⌊a / b⌋ for b > 0, rounding toward −∞.
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// The slot of slice `index` of tier `tier` in the slot arrays.
    @inline(__always)
    func slot(_ tier: Int, _ index: Int64) -> Int {
        let geometry = tiers[tier]
        var position = index % geometry.count
        if position < 0 { position += geometry.count }
        return geometry.offset + Int(position)
    }

    /// Whether tier `tier` still keeps its slice `index`.
    @inline(__always)
    func keeps(_ tier: Int, _ index: Int64) -> Bool {
        index <= newest[tier] && index > newest[tier] - tiers[tier].count
    }

    /// Counts one sample whose finest slice is `index`: the hot path.
    @inline(__always)
    func count(_ value: Double, at index: Int64) {
        let good: UInt64 = spec.isGood(value) ? 1 : 0
        if index == fastIndex {
            cells[fastCell] &+= good
            cells[fastCell + 1] &+= 1
        } else {
            countSlowly(good: good, at: index)
        }
    }

    /// Counts a sample that is the first, opens a newer slice, or is late.
    @inline(never)
    func countSlowly(good: UInt64, at index: Int64) {
        if current == .min {
            begin(at: index)
        } else if index > current {
            advance(to: index)
        }
        if index == current {
            let cell = 2 * slot(0, index)
            cells[cell] &+= good
            cells[cell + 1] &+= 1
            return
        }
        // Late: every closed slice was rolled up, so it goes straight into each tier that keeps it.
        var counted = false
        for tier in tiers.indices {
            let coarse = Self.floorDivide(index, tiers[tier].ratio)
            guard keeps(tier, coarse) else { continue }
            let cell = 2 * slot(tier, coarse)
            cells[cell] &+= good
            cells[cell + 1] &+= 1
            counted = true
        }
        guard counted else {
            late &+= 1
            return
        }
        if sloRatio > 0 {
            let sloSlice = Self.floorDivide(index, sloRatio)
            if sloSlice < judgedThrough { rejudge(sloSlice) }
        }
    }

    /// Opens the counter at its first sample's finest slice (or, for a backfill, at its start slice).
    func begin(at index: Int64) {
        for tier in tiers.indices { newest[tier] = Self.floorDivide(index, tiers[tier].ratio) }
        current = index
        exactSince = index &* tiers[0].sliceMilliseconds
        if sloRatio > 0 { judgedThrough = Self.floorDivide(index, sloRatio) }
        fastIndex = index
        fastCell = 2 * slot(0, index)
    }

    /// Closes the open slice and opens `index`, a later one: judges the open SLO slice if it closes,
    /// rolls the open finest slice up into the coarser tiers, and ages out each tier's slices that fall
    /// out of its retention counted back from `index`.
    private func advance(to index: Int64) {
        var closing: (slice: Int64, verdict: Bool?)?
        if sloRatio > 0 {
            let open = Self.floorDivide(current, sloRatio)
            if Self.floorDivide(index, sloRatio) > open { closing = (open, verdict(of: open)) }
        }
        let open = 2 * slot(0, current)
        for tier in tiers.indices.dropFirst() {
            let cell = 2 * slot(tier, Self.floorDivide(current, tiers[tier].ratio))
            cells[cell] &+= cells[open]
            cells[cell + 1] &+= cells[open + 1]
        }
        for tier in tiers.indices {
            let target = Self.floorDivide(index, tiers[tier].ratio)
            let fresh = min(target - newest[tier], tiers[tier].count)
            var cleared = target - fresh + 1
            while cleared <= target {
                clear(slot(tier, cleared))
                cleared += 1
            }
            newest[tier] = target
        }
        current = index
        fastIndex = index
        fastCell = 2 * slot(0, index)
        if let closing {
            judgedThrough = Self.floorDivide(index, sloRatio)
            apply(closing.verdict, to: closing.slice, sign: 1)
        }
    }

    /// Zeroes one slot.
    @inline(__always)
    private func clear(_ slot: Int) {
        cells[2 * slot] = 0
        cells[2 * slot + 1] = 0
        judgements?[2 * slot] = 0
        judgements?[2 * slot + 1] = 0
    }
}
