/// The entry points of a write-ahead journal: each change is applied with the journal sequence (LSN)
/// of its record, which the metric keeps as its `appliedSequence`, so a snapshot taken while changes
/// go on says, per metric, which records it already holds.
extension MetricsRegistry {
    /// One metric's state copied under its lock: what a snapshot stores for it.
    package struct SequencedCopy: Sendable {
        /// The definition.
        package var definition: MetricDefinition
        /// The LSN of the newest journal record applied to it (0 for none).
        package var appliedSequence: UInt64
        /// Samples accepted since registration.
        package var recorded: UInt64
        /// Samples overwritten by newer ones since registration.
        package var overflow: UInt64
        /// The samples held, oldest first.
        package var samples: [RecentSample]
    }

    /// Records `samples` into `handle`'s metric, as `record(_:samples:)` does, and marks the metric as
    /// holding journal record `sequence`.
    /// - Throws: as `record(_:samples:)`.
    package func record(_ handle: MetricHandle, samples: UnsafeBufferPointer<RecentSample>, sequence: UInt64)
        throws(MetricsError)
    {
        try record(handle, samples: samples)
        handle.storage.withLock { state in
            if !state.isRemoved { state.appliedSequence = max(state.appliedSequence, sequence) }
        }
    }

    /// Registers or replaces `definition`, as `upsert(_:)` does, and marks the metric as holding journal
    /// record `sequence`.
    /// - Throws: as `upsert(_:)`.
    @discardableResult
    package func upsert(_ definition: MetricDefinition, sequence: UInt64) throws(MetricsError)
        -> UpsertOutcome
    {
        let outcome = try upsert(definition)
        lookup(definition.name)?.withLock { state in
            state.appliedSequence = max(state.appliedSequence, sequence)
        }
        return outcome
    }

    /// The LSN of the newest journal record applied to `name`, or nil when it is unknown.
    package func appliedSequence(for name: String) -> UInt64? {
        lookup(name)?.withLock { $0.appliedSequence }
    }

    /// A copy of `name`'s definition, counters, applied LSN and samples, taken under one acquisition of
    /// its lock (so they agree); nil when unknown. Copies the whole ring: at most the metric's capacity
    /// × 16 bytes.
    package func sequencedCopy(of name: String) -> SequencedCopy? {
        lookup(name)?.withLock { state in
            guard !state.isRemoved else { return nil }
            return SequencedCopy(
                definition: state.definition, appliedSequence: state.appliedSequence,
                recorded: state.recorded, overflow: state.buffer.overflow,
                samples: state.buffer.newest(limit: .max).reversed())
        }
    }

    /// Sets `name`'s counters and applied LSN to what a snapshot stored (after its samples were
    /// recorded again), so they read as before the restart.
    package func restoreCounters(of name: String, recorded: UInt64, overflow: UInt64, appliedSequence: UInt64)
    {
        lookup(name)?.withLock { state in
            state.recorded = recorded
            state.buffer.carryOverflow(overflow)
            state.appliedSequence = appliedSequence
        }
    }
}
