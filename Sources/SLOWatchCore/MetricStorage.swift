/// One registered metric: its definition, its ring buffer and its cached percentiles, behind its own
/// lock, so writers to different metrics never contend.
typealias MetricStorage = MetricLock<MetricState>

/// What a metric's lock guards.
struct MetricState: Sendable {
    /// The current definition (replaced in place by `upsert`).
    var definition: MetricDefinition
    /// Changes on every registration or replacement; never reused.
    var registrationID: UInt64
    /// The samples.
    var buffer: RingBuffer
    /// Samples accepted since registration.
    var recorded: UInt64 = 0
    /// Bumped on every change to the samples, so a cached summary knows when it went stale.
    var version: UInt64 = 0
    /// The default summary (no window, no extra quantiles) and the `version` it was computed at.
    var cached: (version: UInt64, summary: PercentileSummary)?
    /// Set when the metric is unregistered; handles then stop recording into it.
    var isRemoved = false
}

extension MetricLock where State == MetricState {
    /// Creates a metric with no sample storage yet.
    /// - Throws: `MetricsError.invalidCapacity` for a capacity below 1.
    convenience init(definition: MetricDefinition, registrationID: UInt64) throws(MetricsError) {
        let buffer = try RingBuffer(capacity: definition.capacity, metric: definition.name)
        self.init(MetricState(definition: definition, registrationID: registrationID, buffer: buffer))
    }

    /// Appends one sample; the caller has checked that both numbers are finite.
    /// - Returns: false, recording nothing, when the metric has been unregistered.
    @inline(__always)
    func append(value: Double, timestamp: Double) -> Bool {
        withLock { state in
            guard !state.isRemoved else { return false }
            state.buffer.append(value: value, timestamp: timestamp)
            state.recorded &+= 1
            state.version &+= 1
            return true
        }
    }

    /// Replaces the definition in place, keeping the newest samples that fit the new capacity.
    /// - Throws: `MetricsError.invalidCapacity`.
    func replace(_ definition: MetricDefinition, registrationID: UInt64) throws(MetricsError) {
        try withLock { state throws(MetricsError) in
            try state.buffer.resize(to: definition.capacity, metric: definition.name)
            state.definition = definition
            state.registrationID = registrationID
            state.version &+= 1
            state.cached = nil
        }
    }

    /// Marks the metric unregistered and frees its samples.
    /// - Returns: its final recorded and overflow counts.
    func markRemoved() -> (recorded: UInt64, overflow: UInt64) {
        withLock { state in
            state.isRemoved = true
            let counts = (state.recorded, state.buffer.overflow)
            state.buffer.removeAll()
            state.cached = nil
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
