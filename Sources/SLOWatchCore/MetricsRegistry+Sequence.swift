/// The entry points of a write-ahead journal: each change is applied with the journal sequence (LSN)
/// of its record, which the metric keeps as its `appliedSequence`, so a snapshot taken while changes
/// go on says, per metric, which records it already holds.
extension MetricsRegistry {
    /// Records `samples` into `handle`'s metric, as `record(_:samples:)` does, and marks the metric as
    /// holding journal record `sequence`, both under one hold of its lock: a snapshot's cut (see
    /// ``copyForSnapshot(of:chunkSamples:betweenChunks:_:)``) sees both or neither, so replay never
    /// doubles them.
    /// - Throws: as `record(_:samples:)`.
    package func record(_ handle: MetricHandle, samples: UnsafeBufferPointer<RecentSample>, sequence: UInt64)
        throws(MetricsError)
    {
        try record(handle, samples: samples, applying: sequence)
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
