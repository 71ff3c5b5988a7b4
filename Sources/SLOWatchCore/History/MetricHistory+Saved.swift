/// A history as a snapshot saves it (``saved``) and restores it (``init(restoring:like:)``): every
/// slice and summary exactly, with the counters, so that a restart keeps the history whole.
extension MetricHistory {
    /// One compacted piece of a saved history: a closed slice of a tier (`level` 0) or a summary of one
    /// of the tier's summary lengths (`level` n ≥ 1: ``TierSummaries/lengths``[n − 1]).
    package struct SavedPiece: Sendable, Equatable {
        /// The tier's position, finest first.
        package var tier: Int
        /// 0 for the tier's slices, n ≥ 1 for its n-th summary length.
        package var level: Int
        /// The slice index, or the summary's group index.
        package var index: Int64
        /// The piece.
        package var slice: CompactHistogram

        /// Creates a piece.
        package init(tier: Int, level: Int, index: Int64, slice: CompactHistogram) {
            self.tier = tier
            self.level = level
            self.index = index
            self.slice = slice
        }
    }

    /// Everything a history holds, with the dense slices compacted (exactly).
    package struct Saved: Sendable, Equatable {
        /// The tiers it was sliced with.
        package var tiers: HistoryTiers
        /// Its scale.
        package var scale: Int
        /// See ``MetricHistory/openIndex``.
        package var openIndex: Int64
        /// See ``MetricHistory/open``.
        package var open: CompactHistogram
        /// See ``MetricHistory/newestMilliseconds``.
        package var newestMilliseconds: Double
        /// See ``MetricHistory/compactedThrough``.
        package var compactedThrough: Int64
        /// See ``MetricHistory/late``.
        package var late: UInt64
        /// See ``MetricHistory/future``.
        package var future: UInt64
        /// See ``MetricHistory/droppedSlices``.
        package var droppedSlices: UInt64
        /// The deltas (``MetricHistory/dense``), compacted, ascending: pieces of the finest tier
        /// (tier 0, level 0) above ``compactedThrough``, each beside the compacted slice of the same
        /// index in ``pieces`` when there is one (a snapshot from before the deltas holds the whole
        /// recent slices here, with no twin: the same thing).
        package var dense: [SavedPiece]
        /// Per tier, per summary length, the lowest group that may hold a summary
        /// (``TierSummaries/validFrom``).
        package var validFrom: [[Int64]]
        /// The slices and summaries: by tier, then level, then index, ascending.
        package var pieces: [SavedPiece]

        /// Creates a saved history from its parts (as a snapshot reads them).
        package init(
            tiers: HistoryTiers, scale: Int, openIndex: Int64, open: CompactHistogram,
            newestMilliseconds: Double, compactedThrough: Int64, late: UInt64, future: UInt64,
            droppedSlices: UInt64, dense: [SavedPiece], validFrom: [[Int64]],
            pieces: [SavedPiece]
        ) {
            self.tiers = tiers
            self.scale = scale
            self.openIndex = openIndex
            self.open = open
            self.newestMilliseconds = newestMilliseconds
            self.compactedThrough = compactedThrough
            self.late = late
            self.future = future
            self.droppedSlices = droppedSlices
            self.dense = dense
            self.validFrom = validFrom
            self.pieces = pieces
        }
    }

    /// This history, saved: its compacted slices and summaries copied out of their arenas, plus the
    /// deltas and the open slice compacted.
    /// Take it from a copy outside the metric's lock (the copy shares the slices).
    package var saved: Saved {
        var pieces: [SavedPiece] = []
        for tier in levels.indices {
            let slices = levels[tier]
            for (index, slice) in zip(slices.indices, slices.slices) {
                pieces.append(SavedPiece(tier: tier, level: 0, index: index, slice: slice))
            }
            for (level, summaries) in summaries[tier].levels.enumerated() {
                for (group, summary) in zip(summaries.indices, summaries.slices) {
                    pieces.append(SavedPiece(tier: tier, level: level + 1, index: group, slice: summary))
                }
            }
        }
        return Saved(
            tiers: tiers, scale: layout.scale, openIndex: openIndex, open: CompactHistogram(open),
            newestMilliseconds: newestMilliseconds, compactedThrough: compactedThrough, late: late,
            future: future, droppedSlices: droppedSlices,
            dense: zip(dense.indices, dense.histograms).map {
                SavedPiece(tier: 0, level: 0, index: $0, slice: CompactHistogram($1))
            },
            validFrom: summaries.map(\.validFrom), pieces: pieces)
    }

    /// Why a saved history cannot be restored.
    package struct RestoreFailure: Error, Sendable, Equatable {
        /// What is wrong, as a sentence fragment ("its tiers are not the configured ones").
        package var reason: String
    }

    /// The history `saved` holds, with the limits of `template` (a new history as the registry makes
    /// them).
    /// - Throws: ``RestoreFailure`` when `saved` was sliced with other tiers or another scale than
    ///   `template`, or breaks an invariant of the type (pieces out of order or of a finer scale, dense
    ///   slices outside the compacted and open ones, an impossible newest time).
    package init(restoring saved: Saved, like template: MetricHistory) throws(RestoreFailure) {
        self = template
        guard saved.tiers == tiers else {
            throw RestoreFailure(reason: "it was sliced with other tiers than the configured ones")
        }
        guard saved.scale == layout.scale else {
            throw RestoreFailure(reason: "its scale \(saved.scale) is not the configured \(layout.scale)")
        }
        let started = saved.openIndex != Int64.min
        guard started ? saved.newestMilliseconds.isFinite : saved.newestMilliseconds == -.infinity,
            started || (saved.open.count == 0 && saved.dense.isEmpty && saved.pieces.isEmpty)
        else { throw RestoreFailure(reason: "its newest time and its open slice disagree") }
        openIndex = saved.openIndex
        open = saved.open.histogram
        newestMilliseconds = saved.newestMilliseconds
        compactedThrough = saved.compactedThrough
        late = saved.late
        future = saved.future
        droppedSlices = saved.droppedSlices
        for piece in saved.dense {
            let index = piece.index
            guard piece.tier == 0, piece.level == 0, index > compactedThrough, index < openIndex,
                dense.indices.last.map({ $0 < index }) ?? true
            else { throw RestoreFailure(reason: "its dense slice \(index) is out of place") }
            dense.append(piece.slice.histogram, at: index)
        }
        guard saved.validFrom.count == summaries.count else {
            throw RestoreFailure(reason: "its summaries are not those of its tiers")
        }
        for tier in summaries.indices where !summaries[tier].restoreValidFrom(saved.validFrom[tier]) {
            throw RestoreFailure(reason: "the summaries of tier \(tier) are not those of its lengths")
        }
        try restorePieces(saved.pieces)
        for tier in summaries.indices {
            summaries[tier].restoreOpenGroups(
                newest: levels[tier].indices.last, sliceMilliseconds: tiers.tiers[tier].sliceMilliseconds)
        }
        guard open.scale <= layout.scale, dense.histograms.allSatisfy({ $0.scale <= layout.scale }) else {
            throw RestoreFailure(reason: "a slice is finer than its scale")
        }
    }

    /// Stores the saved slices and summaries, checking their order and scale.
    private mutating func restorePieces(_ pieces: [SavedPiece]) throws(RestoreFailure) {
        for piece in pieces {
            guard levels.indices.contains(piece.tier), piece.slice.scale <= layout.scale else {
                throw RestoreFailure(reason: "a slice of tier \(piece.tier) is out of place")
            }
            if piece.level == 0 {
                // A finest slice may sit above compactedThrough (compacted when it closed, a delta
                // beside it), never at or above the open slice.
                guard levels[piece.tier].indices.last.map({ $0 < piece.index }) ?? true,
                    piece.tier > 0 || piece.index < openIndex
                else {
                    throw RestoreFailure(reason: "slice \(piece.index) of tier \(piece.tier) is out of order")
                }
                levels[piece.tier].store(piece.slice, at: piece.index)
            } else if !summaries[piece.tier].restore(piece.slice, level: piece.level - 1, group: piece.index)
            {
                throw RestoreFailure(
                    reason:
                        "summary \(piece.index) of tier \(piece.tier), level \(piece.level), is out of order")
            }
        }
    }
}
