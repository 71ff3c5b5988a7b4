/// A snapshot's bounded copy of one metric: a cut of its counters under one hold of its lock, then its
/// samples in chunks, one hold each, while ingest goes on.
extension MetricsRegistry {
    /// One metric's state at the moment a snapshot copies it: the numbers under one hold of its lock,
    /// so they agree.
    package struct SnapshotCut: Sendable, Equatable {
        /// The definition.
        package var definition: MetricDefinition
        /// The LSN of the newest journal record applied to it (0 for none).
        package var appliedSequence: UInt64
        /// Samples accepted since registration (C). Samples are numbered in this order: the ring holds
        /// numbers `recorded - sampleCount ..< recorded`.
        package var recorded: UInt64
        /// Samples overwritten by newer ones since registration.
        package var overflow: UInt64
        /// Samples the ring held (at most the capacity).
        package var sampleCount: UInt64

        /// The number of the oldest sample held (O = C − count).
        package var oldest: UInt64 { recorded - sampleCount }
    }

    /// What ``copyForSnapshot(of:chunkSamples:betweenChunks:_:)`` hands its body, in order: the cut
    /// once, the history once, then `samples` and `skipped` pieces that together account for the cut's samples, oldest
    /// first.
    package enum SnapshotPiece {
        /// The cut, before any sample.
        case cut(SnapshotCut)
        /// The history and budget counters at the cut (taken in the same hold of the lock), after the
        /// cut and before any sample.
        case history(SnapshotHistory)
        /// The next samples of the cut, oldest first; valid only during the call.
        case samples(UnsafeBufferPointer<RecentSample>)
        /// The next this many samples of the cut were overwritten by newer samples (or the metric was
        /// unregistered) before they could be copied.
        case skipped(UInt64)
    }

    /// A metric's history and the state of its budget counters at a snapshot's cut.
    package struct SnapshotHistory: Sendable {
        /// A copy of the history (sharing its slices): save it (``MetricHistory/saved``) outside the lock.
        package var history: MetricHistory
        /// The budget counters attached to the metric.
        package var counters: [SavedBudgetCounter]
    }

    /// The default most samples copied per hold of a metric's lock: 65,536 (1 MiB of copy buffer).
    package static let snapshotChunkSamples = 1 << 16

    /// Copies `name` for a snapshot with a bounded buffer: takes a cut (``SnapshotCut``) and its history
    /// and budget counters (``SnapshotHistory``) under one hold of its lock, then copies the samples numbered `oldest..<recorded` in chunks of at most
    /// `chunkSamples`, one hold each, handing each piece to `body` with the lock released.
    ///
    /// Ingest goes on between chunks. A sample of the cut that was overwritten before its chunk was
    /// copied is reported as `.skipped`, not copied: it was overwritten by a newer sample, which the
    /// journal holds past the cut's `appliedSequence`, so replaying the journal on top of the copy
    /// evicts it again. Restoring the copied samples, the cut's `recorded`, and the cut's `overflow`
    /// plus the skipped count, then replaying, gives exactly the ring (and counters) that a copy of the
    /// whole ring at the cut would give.
    ///
    /// A replacement (`upsert`) of any metric waits while this runs, and this waits for one in
    /// progress: the registry's replacement lock is held throughout, so no resize changes the ring's
    /// capacity mid-copy (that would make a shrink's drops look like overwrites). In the service, edits
    /// and snapshots take turns on the durable lane anyway.
    ///
    /// Extra memory: one buffer of `min(chunkSamples, count)` × 16 bytes, whatever the ring's size; the
    /// counters' non-zero slots (at most 32 bytes per slot); and, while `body` holds the history copy,
    /// the history's arrays that ingest changes meanwhile (copy on write).
    /// - Parameters:
    ///   - name: the metric.
    ///   - chunkSamples: the most samples per lock hold and per `.samples` piece (at least 1).
    ///   - betweenChunks: called with no metric lock held after each chunk but the last; for tests.
    ///   - body: receives the pieces; what it throws stops the copy and is rethrown.
    /// - Returns: the cut, or nil (calling `body` never) when `name` is unknown or being removed.
    @discardableResult
    package func copyForSnapshot<Failure: Error>(
        of name: String, chunkSamples: Int = snapshotChunkSamples, betweenChunks: () -> Void = {},
        _ body: (SnapshotPiece) throws(Failure) -> Void
    ) throws(Failure) -> SnapshotCut? {
        try replacements.withLock { _ throws(Failure) in
            guard let storage = lookup(name) else { return nil }
            let taken: (SnapshotCut, SnapshotHistory)? = storage.withLock { state in
                guard !state.isRemoved else { return nil }
                let cut = SnapshotCut(
                    definition: state.definition, appliedSequence: state.appliedSequence,
                    recorded: state.recorded, overflow: state.buffer.overflow,
                    sampleCount: UInt64(state.buffer.count))
                let counters = state.counters?.counters.map { $0.saved() } ?? []
                return (cut, SnapshotHistory(history: state.history, counters: counters))
            }
            guard let (cut, history) = taken else { return nil }
            try body(.cut(cut))
            try body(.history(history))
            guard cut.sampleCount > 0 else { return cut }
            let room = Int(min(UInt64(max(1, chunkSamples)), cut.sampleCount))
            let scratch = UnsafeMutablePointer<RecentSample>.allocate(capacity: room)
            defer { scratch.deallocate() }
            var next = cut.oldest
            while next < cut.recorded {
                let (skipped, copied) = Self.copyChunk(
                    storage, of: cut, from: next, room: room, into: scratch)
                if skipped > 0 { try body(.skipped(skipped)) }
                if copied > 0 { try body(.samples(UnsafeBufferPointer(start: scratch, count: copied))) }
                next += skipped + UInt64(copied)
                if next < cut.recorded { betweenChunks() }
            }
            return cut
        }
    }

    /// Under one hold of `storage`'s lock, copies the samples of `cut` numbered from `next` that are
    /// still held, at most `room` of them, into `scratch`.
    /// - Returns: how many samples from `next` on are gone (skipped) and how many were copied after them.
    private static func copyChunk(
        _ storage: MetricStorage, of cut: SnapshotCut, from next: UInt64, room: Int,
        into scratch: UnsafeMutablePointer<RecentSample>
    ) -> (skipped: UInt64, copied: Int) {
        storage.withLock { state in
            guard !state.isRemoved else { return (cut.recorded - next, 0) }
            // Numbers only grow: the ring holds `oldest..<state.recorded`, and `state.recorded` ≥ the cut's.
            let oldest = state.recorded - UInt64(state.buffer.count)
            let from = max(next, oldest)
            guard from < cut.recorded else { return (cut.recorded - next, 0) }
            let take = Int(min(cut.recorded - from, UInt64(room)))
            let age = Int(from - oldest)
            let copied = state.buffer.copySamples(ages: age..<(age + take), into: scratch)
            return (from - next, copied)
        }
    }
}
