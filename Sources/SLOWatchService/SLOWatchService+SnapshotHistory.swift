import SLOWatchCore

/// A metric's history and budget counters in a snapshot: written after its ``SnapshotRecord/metric(_:)``
/// record and before its samples, read back into ``SnapshotHistoryReading`` and restored before them.
extension SLOWatchService {
    /// Writes `snapshot`'s history (head, then its slices and summaries in records of about
    /// ``SnapshotRecord/historyPieceBytes``) and each budget counter (head, then its slots in records of
    /// at most ``SnapshotRecord/budgetSlotsPerRecord``).
    /// - Throws: ``DataDirectoryError`` when writing fails.
    static func writeHistory(_ snapshot: MetricsRegistry.SnapshotHistory, to writer: inout SnapshotWriter)
        throws(DataDirectoryError)
    {
        var saved = snapshot.history.saved
        let pieces = saved.pieces
        saved.pieces = []
        try writer.append(.history(saved, pieces: UInt64(pieces.count)))
        var batch: [MetricHistory.SavedPiece] = []
        var batchBytes = 0
        for piece in pieces {
            batch.append(piece)
            batchBytes += piece.slice.codedBytes.count
            if batchBytes >= SnapshotRecord.historyPieceBytes {
                try writer.append(.historyPieces(batch))
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
        }
        if !batch.isEmpty { try writer.append(.historyPieces(batch)) }
        let history = snapshot.history
        try writer.append(.historyTotal(CompactHistogram(history.closedTotal ?? history.rebuiltClosedTotal)))
        for var counter in snapshot.counters {
            let slots = counter.slots
            counter.slots = []
            try writer.append(.budgetCounter(counter, slots: UInt64(slots.count)))
            for start in stride(from: 0, to: slots.count, by: SnapshotRecord.budgetSlotsPerRecord) {
                let end = min(start + SnapshotRecord.budgetSlotsPerRecord, slots.count)
                try writer.append(.budgetSlots(Array(slots[start..<end])))
            }
        }
    }
}

/// A snapshot metric's history and counters as they are read, record by record, until its first
/// sample (or its end) restores them.
struct SnapshotHistoryReading {
    /// The history read so far; nil before its head (or in a file without one).
    var history: MetricHistory.Saved?
    /// How many pieces its head announced.
    var expectedPieces: UInt64 = 0
    /// The counters read so far.
    var counters: [SavedBudgetCounter] = []
    /// How many slots the last counter's head announced.
    var expectedSlots: UInt64 = 0
    /// Whether it was handed to the registry (which happens once, before the metric's first sample).
    var isRestored = false
    /// Whether the registry took the history: the metric's samples then go into its ring only.
    var historyTaken = false
    /// The history's closed cumulative total, when the file has one (kind 10 or 13).
    var total: CompactHistogram?

    /// Takes `record` when it is one of the history's (kinds 6 to 10) and ignores any other.
    /// - Returns: what is wrong with it, when it is one of the history's and out of place; nil otherwise.
    mutating func take(_ record: SnapshotRecord) -> String? {
        switch record {
        case .history(let saved, let pieces):
            guard history == nil, counters.isEmpty, !isRestored else { return "a history out of place" }
            history = saved
            expectedPieces = pieces
        case .historyPieces(let pieces):
            guard var saved = history, !isRestored,
                UInt64(saved.pieces.count) + UInt64(pieces.count) <= expectedPieces
            else { return "history slices belong to no history" }
            saved.pieces += pieces
            history = saved
        case .budgetCounter(let counter, let slots):
            guard !isRestored, slotsComplete else { return "a budget counter out of place" }
            counters.append(counter)
            expectedSlots = slots
        case .budgetSlots(let slots):
            guard !isRestored, let last = counters.indices.last,
                UInt64(counters[last].slots.count) + UInt64(slots.count) <= expectedSlots
            else { return "budget slots belong to no counter" }
            counters[last].slots += slots
        case .historyTotal(let saved):
            guard let history, !isRestored, total == nil, counters.isEmpty,
                UInt64(history.pieces.count) == expectedPieces
            else { return "a cumulative total out of place" }
            total = saved
        default:
            return nil
        }
        return nil
    }

    /// Whether every piece and slot announced was read.
    var isComplete: Bool {
        slotsComplete && (history.map { UInt64($0.pieces.count) == expectedPieces } ?? true)
    }

    private var slotsComplete: Bool {
        counters.last.map { UInt64($0.slots.count) == expectedSlots } ?? true
    }

    /// Hands the history and counters to `registry` for metric `name`, once.
    /// - Returns: what the registry could not restore, for the log.
    mutating func restore(into registry: MetricsRegistry, metric name: String) -> [String] {
        guard !isRestored else { return [] }
        isRestored = true
        guard let history else { return [] }
        let outcome = registry.restoreHistory(of: name, saved: history, counters: counters)
        historyTaken = outcome.historyRestored
        if historyTaken, let total {
            registry.restoreCumulativeTotal(of: name, closedTotal: total.histogram)
        }
        return outcome.problems
    }
}
