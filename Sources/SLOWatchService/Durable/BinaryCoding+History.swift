import SLOWatchCore

/// The binary coding of a metric's saved history and budget counters in a snapshot
/// (``SnapshotRecord/history(_:)``, ``SnapshotRecord/historyPieces(_:)``,
/// ``SnapshotRecord/budgetCounter(_:)``). Slices are written as the bytes a ``CompactHistogram``
/// codes them in, and read back only when they code back to the same bytes.
extension BinaryWriter {
    /// Appends the byte count, then the bytes.
    mutating func byteArray(_ value: [UInt8]) {
        integer(UInt64(value.count))
        raw(value)
    }

    /// Appends a signed integer by its two's complement bits.
    mutating func signed(_ value: Int64) { integer(UInt64(bitPattern: value)) }

    /// Appends a saved history's head: everything but its pieces, which follow in
    /// ``SnapshotRecord/historyPieces(_:)`` records, `pieceCount` of them in all.
    mutating func historyHead(_ saved: MetricHistory.Saved, pieceCount: UInt64) {
        integer(UInt64(saved.tiers.tiers.count))
        for tier in saved.tiers.tiers {
            signed(tier.sliceMilliseconds)
            signed(tier.retentionMilliseconds)
        }
        signed(Int64(saved.scale))
        signed(saved.openIndex)
        byteArray(saved.open.codedBytes)
        double(saved.newestMilliseconds)
        signed(saved.compactedThrough)
        integer(saved.late)
        integer(saved.future)
        integer(saved.droppedSlices)
        integer(UInt64(saved.dense.count))
        for piece in saved.dense {
            signed(piece.index)
            byteArray(piece.slice.codedBytes)
        }
        integer(UInt64(saved.validFrom.count))
        for tier in saved.validFrom {
            integer(UInt64(tier.count))
            for group in tier { signed(group) }
        }
        integer(pieceCount)
    }

    /// Appends one slice or summary.
    mutating func historyPiece(_ piece: MetricHistory.SavedPiece) {
        integer(UInt64(piece.tier))
        integer(UInt64(piece.level))
        signed(piece.index)
        byteArray(piece.slice.codedBytes)
    }

    /// Appends one non-zero slot of a budget counter: 32 bytes.
    mutating func budgetSlot(_ slot: SavedBudgetSlot) {
        integer(UInt64(slot.slot))
        integer(slot.good)
        integer(slot.total)
        integer(UInt64(slot.goodSlices) | UInt64(slot.badSlices) << 32)
    }

    /// Appends a budget counter's spec and state, without its slots (see ``budgetSlot(_:)``).
    mutating func budgetCounter(_ saved: SavedBudgetCounter) {
        string(saved.spec.sloID)
        string(saved.spec.metric)
        double(saved.spec.threshold)
        string(saved.spec.direction.rawValue)
        if let rule = saved.spec.timeslice {
            byte(1)
            double(rule.quantile)
            signed(rule.sliceMilliseconds)
            signed(Int64(rule.minSamples))
        } else {
            byte(0)
        }
        integer(UInt64(saved.newest.count))
        for index in saved.newest { signed(index) }
        signed(saved.current)
        integer(saved.late)
        signed(saved.exactSince)
        signed(saved.judgedThrough)
    }
}

extension BinaryReader {
    /// A byte array written by ``BinaryWriter/byteArray(_:)``.
    mutating func byteArray(_ what: String) throws(Failure) -> [UInt8] {
        try raw(try count(what, itemBytes: 1), what)
    }

    /// A signed integer written by ``BinaryWriter/signed(_:)``.
    mutating func signed(_ what: String) throws(Failure) -> Int64 {
        Int64(bitPattern: try integer(what))
    }

    /// A compacted slice coded in `version`, refused unless it codes back to the same bytes.
    mutating func compactHistogram(_ what: String, version: SliceCoding) throws(Failure) -> CompactHistogram {
        guard let slice = CompactHistogram(validating: try byteArray(what), version: version) else {
            throw Failure(what: what)
        }
        return slice
    }

    /// A history head written by ``BinaryWriter/historyHead(_:pieceCount:)``, its slices coded in
    /// `version`: the saved history without its pieces, and how many pieces follow.
    mutating func historyHead(version: SliceCoding) throws(Failure) -> (
        saved: MetricHistory.Saved, pieceCount: UInt64
    ) {
        var tiers: [HistoryTiers.Tier] = []
        for _ in 0..<(try count("the history's tier count", itemBytes: 16)) {
            tiers.append(
                HistoryTiers.Tier(
                    sliceMilliseconds: try signed("a history tier's slice"),
                    retentionMilliseconds: try signed("a history tier's retention")))
        }
        guard let checked = try? HistoryTiers(tiers) else { throw Failure(what: "the history's tiers") }
        let scale = try signed("the history's scale")
        guard (0...Int64(ExponentialBucketLayout.maximumScale)).contains(scale) else {
            throw Failure(what: "the history's scale")
        }
        let openIndex = try signed("the history's open slice index")
        let open = try compactHistogram("the history's open slice", version: version)
        let newest = try double("the history's newest time")
        let compactedThrough = try signed("the history's compacted slice index")
        let late = try integer("the history's late count")
        let future = try integer("the history's future count")
        let dropped = try integer("the history's dropped slice count")
        var dense: [MetricHistory.SavedPiece] = []
        for _ in 0..<(try count("the history's dense slice count", itemBytes: 16)) {
            dense.append(
                MetricHistory.SavedPiece(
                    tier: 0, level: 0, index: try signed("a dense slice index"),
                    slice: try compactHistogram("a dense slice", version: version)))
        }
        var validFrom: [[Int64]] = []
        for _ in 0..<(try count("the history's summary tier count", itemBytes: 8)) {
            var groups: [Int64] = []
            for _ in 0..<(try count("a tier's summary length count", itemBytes: 8)) {
                groups.append(try signed("a summary's lowest group"))
            }
            validFrom.append(groups)
        }
        let saved = MetricHistory.Saved(
            tiers: checked, scale: Int(scale), openIndex: openIndex, open: open, newestMilliseconds: newest,
            compactedThrough: compactedThrough, late: late, future: future, droppedSlices: dropped,
            dense: dense, validFrom: validFrom, pieces: [])
        return (saved, try integer("the history's piece count"))
    }

    /// A slice or summary written by ``BinaryWriter/historyPiece(_:)``, coded in `version`.
    mutating func historyPiece(version: SliceCoding) throws(Failure) -> MetricHistory.SavedPiece {
        let tier = try integer("a history piece's tier")
        let level = try integer("a history piece's level")
        guard tier < 64, level < 64 else { throw Failure(what: "a history piece's tier or level") }
        return MetricHistory.SavedPiece(
            tier: Int(tier), level: Int(level), index: try signed("a history piece's index"),
            slice: try compactHistogram("a history piece", version: version))
    }

    /// A budget counter written by ``BinaryWriter/budgetCounter(_:)``.
    mutating func budgetCounter() throws(Failure) -> SavedBudgetCounter {
        let sloID = try string("a budget counter's SLO")
        let metric = try string("a budget counter's metric")
        let threshold = try double("a budget counter's threshold")
        guard let direction = SLODirection(rawValue: try string("a budget counter's direction")),
            threshold.isFinite
        else { throw Failure(what: "a budget counter's rule") }
        var rule: TimesliceRule?
        if try byte("a budget counter's kind") == 1 {
            let quantile = try double("a budget counter's quantile")
            let slice = try signed("a budget counter's slice")
            let minSamples = try signed("a budget counter's minimum samples")
            guard quantile > 0, quantile <= 1, slice > 0, minSamples >= 1, minSamples <= Int64(Int32.max)
            else {
                throw Failure(what: "a budget counter's time slice rule")
            }
            rule = TimesliceRule(quantile: quantile, sliceMilliseconds: slice, minSamples: Int(minSamples))
        }
        let spec = BudgetCounterSpec(
            sloID: sloID, metric: metric, threshold: threshold, direction: direction, timeslice: rule)
        var newest: [Int64] = []
        for _ in 0..<(try count("a budget counter's tier count", itemBytes: 8)) {
            newest.append(try signed("a budget counter's newest slice"))
        }
        let current = try signed("a budget counter's open slice")
        let late = try integer("a budget counter's late count")
        let exactSince = try signed("a budget counter's start")
        let judgedThrough = try signed("a budget counter's judged slice")
        return SavedBudgetCounter(
            spec: spec, newest: newest, current: current, late: late, exactSince: exactSince,
            judgedThrough: judgedThrough, slots: [])
    }

    /// A slot written by ``BinaryWriter/budgetSlot(_:)``.
    mutating func budgetSlot() throws(Failure) -> SavedBudgetSlot {
        let slot = try integer("a budget counter's slot")
        let good = try integer("a slot's good count")
        let total = try integer("a slot's total count")
        let judged = try integer("a slot's judged slices")
        guard slot < UInt64(Int32.max) else { throw Failure(what: "a budget counter's slot") }
        return SavedBudgetSlot(
            slot: Int(slot), good: good, total: total, goodSlices: UInt32(truncatingIfNeeded: judged),
            badSlices: UInt32(truncatingIfNeeded: judged >> 32))
    }
}
