import SLOWatchCore

extension SLOWatchService {
    /// Registers metric `definition`, or replaces the one with its name. With a data directory the
    /// definitions file is written first, under ``sloEdits``, so the edit is durable when acknowledged.
    /// - Returns: `.created` or `.replaced`.
    /// - Throws: 422 `metric_limit_reached`, 400 for an invalid definition, 503 `storage_failed`.
    func upsertMetric(_ definition: MetricDefinition) throws(APIError) -> UpsertOutcome {
        guard durable != nil else {
            return try Self.apiResult { () throws(MetricsError) in try registry.upsert(definition) }
        }
        return try sloEdits.withLock { _ throws(APIError) in
            var metrics = registry.list().map(\.definition)
            if let index = metrics.firstIndex(where: { $0.name == definition.name }) {
                metrics[index] = definition
            } else {
                let limit = registry.configuration.maxMetrics
                guard metrics.count < limit else {
                    throw APIError(MetricsError.metricLimitReached(definition.name, limit: limit))
                }
                metrics.append(definition)
                metrics.sort { $0.name < $1.name }
            }
            try saveDefinitions(slos: monitor.slos, metrics: metrics)
            do throws(MetricsError) {
                return try registry.upsert(definition)
            } catch {
                // Samples of new names took the last places meanwhile: the file must not keep it either.
                try? saveDefinitions(slos: monitor.slos, metrics: registry.list().map(\.definition))
                throw APIError(error)
            }
        }
    }

    /// Removes metric `name` and its samples; with a data directory, the definitions file is written
    /// without it first.
    /// - Throws: 404 `metric_not_found`, 503 `storage_failed`.
    func removeMetric(_ name: String) throws(APIError) {
        guard durable != nil else {
            return try Self.apiResult { () throws(MetricsError) in try registry.unregister(name) }
        }
        try sloEdits.withLock { _ throws(APIError) in
            let metrics = registry.list().map(\.definition)
            guard metrics.contains(where: { $0.name == name }) else {
                throw APIError(MetricsError.unknownMetric(name))
            }
            try saveDefinitions(slos: monitor.slos, metrics: metrics.filter { $0.name != name })
            try Self.apiResult { () throws(MetricsError) in try registry.unregister(name) }
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
