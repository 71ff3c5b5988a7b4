import SLOWatchCore

extension SLOWatchService {
    /// Registers metric `definition`, or replaces the one with its name. With a data directory the
    /// change is journaled first, under ``sloEdits``, and applied once written, so the edit is durable
    /// when acknowledged. Blocks on the journal: with one, call it from the durable lane.
    /// - Returns: `.created` or `.replaced`.
    /// - Throws: 422 `metric_limit_reached`, 400 for an invalid definition, 503 `storage_failed`.
    func upsertMetric(_ definition: MetricDefinition) throws(APIError) -> UpsertOutcome {
        guard let journal else {
            return try Self.apiResult { () throws(MetricsError) in try registry.upsert(definition) }
        }
        return try sloEdits.withLock { _ throws(APIError) in
            let limit = registry.configuration.maxMetrics
            if registry.definition(for: definition.name) == nil, registry.metricCount >= limit {
                throw APIError(MetricsError.metricLimitReached(definition.name, limit: limit))
            }
            let registry = self.registry
            let applied = journal.submitAndWait(JournalRecord.metricUpsert(definition).encode()) { sequence in
                Result { () throws(MetricsError) in try registry.upsert(definition, sequence: sequence) }
            }
            guard let applied else { throw .notSaved(journal.health) }
            do throws(MetricsError) {
                return try applied.get()
            } catch {
                // Samples of new names took the last places meanwhile; replay refuses it the same way.
                throw APIError(error)
            }
        }
    }

    /// Removes metric `name` and its samples; with a data directory, journaled first (see
    /// ``upsertMetric(_:)``).
    /// - Throws: 404 `metric_not_found`, 503 `storage_failed`.
    func removeMetric(_ name: String) throws(APIError) {
        guard let journal else {
            return try Self.apiResult { () throws(MetricsError) in try registry.unregister(name) }
        }
        try sloEdits.withLock { _ throws(APIError) in
            guard registry.definition(for: name) != nil else {
                throw APIError(MetricsError.unknownMetric(name))
            }
            let registry = self.registry
            let applied = journal.submitAndWait(JournalRecord.metricDelete(name).encode()) { _ in
                Result { () throws(MetricsError) in try registry.unregister(name) }
            }
            guard let applied else { throw .notSaved(journal.health) }
            do throws(MetricsError) {
                try applied.get()
            } catch {
                throw APIError(error)
            }
        }
    }

    /// `body`'s result, its ``MetricsError`` mapped to the API's.
    private static func apiResult<T>(_ body: () throws(MetricsError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }
}
