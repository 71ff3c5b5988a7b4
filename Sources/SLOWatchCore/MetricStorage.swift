/// One registered metric: its definition, its ring buffer and its cached percentiles, behind its own
/// lock, so writers to different metrics never contend.
typealias MetricStorage = MetricLock<MetricState>

/// What a metric's lock guards. The fields `append` touches come first, so they share cache lines.
struct MetricState: Sendable {
    /// Set when the metric is unregistered; handles then stop recording into it.
    var isRemoved = false
    /// The replacement buffer being filled while `upsert` changes the capacity; nil otherwise. Out of
    /// line, so the hot path tests one pointer.
    var resize: MetricResize?
    /// The samples.
    var buffer: RingBuffer
    /// The time-sliced histograms of every sample (``MetricHistory``), beside the ring.
    var history: MetricHistory
    /// The error-budget counters of the SLOs on this metric; nil when there are none, so `append` pays
    /// one branch for them.
    var counters: BudgetCounterSet?
    /// The history-memory account the history's bytes are counted in (``accountHistory()``).
    var historyAccount: HistoryMemoryAccount?
    /// The history bytes last added to ``historyAccount``.
    var historyAccountedBytes = 0
    /// ``HistoryMemoryAccount/stamp()`` at the last new slice: orders metrics by their last write.
    var historyWritten: UInt64 = 0
    /// Samples accepted since registration.
    var recorded: UInt64 = 0
    /// Bumped on every change to the samples, so a cached summary knows when it went stale.
    var version: UInt64 = 0
    /// The current definition (replaced in place by `upsert`).
    var definition: MetricDefinition
    /// Changes on every registration or replacement; never reused.
    var registrationID: UInt64
    /// The journal sequence (LSN) of the newest journal record applied to this metric (samples, upsert);
    /// 0 when none was. Only the service's journal writer sets it, through the `sequence:` entry points.
    var appliedSequence: UInt64 = 0
    /// The default summary (no window, no extra quantiles) and the `version` it was computed at.
    var cached: (version: UInt64, summary: PercentileSummary)?
    /// The default summary as the caller of `renderedPercentiles` rendered it (e.g. its JSON) and the
    /// `version` it was rendered at.
    var rendered: (version: UInt64, bytes: [UInt8])?
    /// The recent answers with extra quantiles or a window, each with the `version` it was computed at
    /// (at most ``PercentileQueryCache/capacity`` of them).
    var queries = PercentileQueryCache()

    /// Creates the state of a metric with no samples.
    init(definition: MetricDefinition, registrationID: UInt64, buffer: RingBuffer, history: MetricHistory) {
        self.definition = definition
        self.registrationID = registrationID
        self.buffer = buffer
        self.history = history
    }
}

extension MetricLock where State == MetricState {
    /// Creates a metric with no sample storage yet, an empty `history`, counting into `counters` (the
    /// running budget counters of SLOs on its name, if any).
    /// - Throws: `MetricsError.invalidCapacity` for a capacity below 1.
    convenience init(
        definition: MetricDefinition, registrationID: UInt64,
        history: MetricHistory = MetricHistory(tiers: .default), counters: BudgetCounterSet? = nil,
        historyAccount: HistoryMemoryAccount? = nil
    ) throws(MetricsError) {
        let buffer = try RingBuffer(capacity: definition.capacity, metric: definition.name)
        var state = MetricState(
            definition: definition, registrationID: registrationID, buffer: buffer, history: history)
        state.counters = counters
        state.historyAccount = historyAccount
        self.init(state)
    }

    /// Appends one sample; the caller has checked that both numbers are finite.
    /// - Returns: false, recording nothing, when the metric has been unregistered.
    @inline(__always)
    func append(value: Double, timestamp: Double) -> Bool {
        withLock { state in
            guard !state.isRemoved else { return false }
            if state.resize != nil { state.moveOldestBeforeOverwrite() }
            state.buffer.append(value: value, timestamp: timestamp)
            let open = state.history.openIndex
            state.history.record(value, at: timestamp)
            if state.history.openIndex != open { state.accountHistory() }
            if let counters = state.counters { counters.count(value, timestamp: timestamp) }
            state.recorded &+= 1
            state.version &+= 1
            return true
        }
    }

    /// Appends samples in order under one acquisition of the lock; the caller has checked that every
    /// number is finite. The lock is held for the whole run: about 10 ns per sample, so up to ~100 µs
    /// for a batch of 10,000, as long as one step of a resize.
    /// - Parameter sequence: the journal LSN of the record holding `samples`, set as the metric's
    ///   `appliedSequence` in the same hold (so a snapshot never sees the samples without it), or nil.
    /// - Parameter intoHistory: false to put the samples into the ring only, not into the history and
    ///   the budget counters (a snapshot's samples, when it restored those whole).
    /// - Returns: false, recording nothing, when the metric has been unregistered.
    func append(
        _ samples: UnsafeBufferPointer<RecentSample>, sequence: UInt64? = nil, intoHistory: Bool = true
    ) -> Bool {
        withLock { state in
            guard !state.isRemoved else { return false }
            let open = state.history.openIndex
            if state.resize == nil {
                // No resize in progress, and none can start while the lock is held: in bulk (a single
                // sample, as a one-sample post sends, is cheaper appended alone).
                if samples.count == 1 {
                    state.buffer.append(value: samples[0].value, timestamp: samples[0].timestamp)
                } else {
                    state.buffer.append(contentsOf: samples)
                }
                state.recorded &+= UInt64(samples.count)
            } else {
                // One by one, with `recorded` counting each sample as it goes in: the move reads it to
                // know which sample the append is about to overwrite.
                for sample in samples {
                    state.moveOldestBeforeOverwrite()
                    state.buffer.append(value: sample.value, timestamp: sample.timestamp)
                    state.recorded &+= 1
                }
            }
            // The whole run at once: the history looks a slice up once per run of samples in it.
            if intoHistory { state.history.record(samples) }
            if state.history.openIndex != open { state.accountHistory() }
            if intoHistory, let counters = state.counters { counters.count(samples) }
            state.version &+= 1
            if let sequence { state.appliedSequence = max(state.appliedSequence, sequence) }
            return true
        }
    }

    /// Marks the metric unregistered, frees its samples and detaches its budget counters (the registry
    /// keeps them).
    /// - Returns: its final recorded and overflow counts.
    func markRemoved() -> (recorded: UInt64, overflow: UInt64) {
        withLock { state in
            state.isRemoved = true
            // Whatever was cached or being rendered is of a metric that no longer exists.
            state.version &+= 1
            let counts = (state.recorded, state.buffer.overflow)
            state.buffer.removeAll()
            state.history = MetricHistory(tiers: state.history.tiers, scale: state.history.layout.scale)
            state.releaseHistory()
            state.resize = nil
            state.counters = nil
            state.cached = nil
            state.rendered = nil
            state.queries.removeAll()
            return counts
        }
    }

    /// A summary of the definition and counters.
    var summary: MetricSummary {
        withLock { state in
            MetricSummary(
                definition: state.definition, count: state.buffer.count, overflow: state.buffer.overflow,
                newestTimestamp: state.buffer.newestTimestamp)
        }
    }
}
