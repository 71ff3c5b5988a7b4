import SLOWatchSync
import Synchronization

/// Registration: explicit (`register`, `upsert`), automatic on a metric's first sample, and removal.
/// Each reserves or gives back its ring's memory in ``MetricsRegistry/memory``.
extension MetricsRegistry {
    /// Registers `name` with the auto-registration defaults (the first sample of an unknown metric).
    /// - Throws: as ``autoDefinition(_:)``, or `metricLimitReached`/`memoryLimitReached`.
    func autoRegister(_ name: String) throws(MetricsError) -> MetricStorage {
        try insert(autoDefinition(name), replacing: false).storage
    }

    /// The definition an unknown name is auto-registered with, checked.
    /// - Throws: `unknownMetric` when auto-registration is off; `invalidName` or `invalidCapacity`.
    func autoDefinition(_ name: String) throws(MetricsError) -> MetricDefinition {
        guard configuration.autoRegister else { throw .unknownMetric(name) }
        let definition = MetricDefinition(
            name: name, type: configuration.autoRegisterType, unit: configuration.autoRegisterUnit,
            capacity: configuration.defaultCapacity)
        try definition.validate()
        return definition
    }

    // MARK: Registration

    /// Registers a metric, reserving its capacity in the memory budget.
    /// - Throws: `invalidName`, `invalidCapacity`, `alreadyRegistered`, `metricLimitReached` or
    ///   `memoryLimitReached`.
    public func register(_ definition: MetricDefinition) throws(MetricsError) {
        try definition.validate()
        let (_, outcome, _) = try insert(definition, replacing: false)
        guard outcome == .created else { throw .alreadyRegistered(definition.name) }
    }

    /// Registers a metric, or replaces the definition of an existing one in place.
    ///
    /// Replacing keeps the newest `min(count, capacity)` samples, keeps the overflow counter and gives
    /// the metric a new registration id. A new capacity is copied in chunks without holding the
    /// metric's lock for the whole copy, so recording goes on meanwhile and no recorded sample is lost.
    ///
    /// The new capacity is reserved in the memory budget first (a larger one reserves the difference,
    /// a smaller one gives it back); while the copy runs both buffers exist, for one metric at a time.
    /// - Throws: `invalidName`, `invalidCapacity`, `metricLimitReached`, or `memoryLimitReached`
    ///   (nothing changes then).
    @discardableResult
    public func upsert(_ definition: MetricDefinition) throws(MetricsError) -> UpsertOutcome {
        try upsert(definition, chunkSamples: MetricStorage.resizeChunkSamples)
    }

    /// `upsert` with the resize's chunk size (samples per lock hold) and a hook called between chunks,
    /// with no lock held; for tests.
    @discardableResult
    func upsert(
        _ definition: MetricDefinition, chunkSamples: Int, betweenChunks: () -> Void = {}
    ) throws(MetricsError) -> UpsertOutcome {
        try definition.validate()
        return try replacements.withLock { _ throws(MetricsError) in
            let (storage, outcome, registrationID) = try insert(definition, replacing: true)
            if outcome == .replaced {
                try storage.replace(
                    definition, registrationID: registrationID, chunkSamples: chunkSamples,
                    betweenChunks: betweenChunks)
            }
            return outcome
        }
    }

    /// Inserts a new metric, or finds an existing one: untouched (`replacing` false), or with a new
    /// registration id reserved for the caller to `replace` it with (`replacing`), outside this lock.
    func insert(
        _ definition: MetricDefinition, replacing: Bool
    ) throws(MetricsError) -> (storage: MetricStorage, outcome: UpsertOutcome, registrationID: UInt64) {
        let limit = max(0, configuration.maxMetrics)
        return try registration.withLock { state throws(MetricsError) in
            if let existing = state.metrics[definition.name] {
                if replacing {
                    try reserveMemory(for: [(definition.name, definition.capacity)], in: &state)
                    state.lastRegistrationID += 1
                }
                return (existing, .replaced, state.lastRegistrationID)
            }
            guard state.metrics.count < limit else {
                throw .metricLimitReached(definition.name, limit: limit)
            }
            try reserveMemory(for: [(definition.name, definition.capacity)], in: &state)
            state.lastRegistrationID += 1
            let storage = try MetricStorage(
                definition: definition, registrationID: state.lastRegistrationID,
                history: newHistory(), counters: state.countersByMetric[definition.name],
                historyAccount: historyMemory)
            state.metrics[definition.name] = storage
            publish(state.index.adding(definition.name, storage), in: &state)
            return (storage, .created, state.lastRegistrationID)
        }
    }

    /// Removes a metric and its samples, giving back its memory reservation. Handles to it stop
    /// recording.
    /// - Throws: `unknownMetric`.
    public func unregister(_ name: String) throws(MetricsError) {
        try registration.withLock { state throws(MetricsError) in
            guard let removed = state.metrics.removeValue(forKey: name) else { throw .unknownMetric(name) }
            releaseMemory(of: name, in: &state)
            let (recorded, overflow) = removed.markRemoved()
            state.removedRecorded &+= recorded
            state.removedOverflow &+= overflow
            publish(state.index.removing(name), in: &state)
        }
    }
}
