extension MetricsRegistry {
    /// One metric's cumulative histogram (``MetricHistory/cumulativeTotal``) with its definition.
    package struct CumulativeTotal: Sendable {
        /// The metric's definition at the time of the read (name, unit).
        package var definition: MetricDefinition
        /// Every sample its history counted since registration (late and future samples excluded).
        package var histogram: ExponentialHistogram
    }

    /// The cumulative histogram of every metric, in name order. Each metric is read under its own
    /// lock, one at a time, as an O(tiers) copy-on-write copy of its history; the merge runs outside
    /// the lock. A metric removed since the list is skipped.
    package func cumulativeTotals() -> [CumulativeTotal] {
        let metrics = registration.withLock { $0.metrics }
        return metrics.sorted { $0.key < $1.key }.compactMap { _, metric in
            let (definition, history, removed) = metric.withLock { ($0.definition, $0.history, $0.isRemoved) }
            guard !removed else { return nil }
            return CumulativeTotal(definition: definition, histogram: history.cumulativeTotal)
        }
    }

    /// The cumulative histogram of `name` (see ``cumulativeTotals()``); nil when unknown.
    package func cumulativeTotal(for name: String) -> ExponentialHistogram? {
        lookup(name)?.withLock { $0.history }.cumulativeTotal
    }
}

extension MetricsRegistry {
    /// Hands `name`'s restored history the closed total a snapshot kept
    /// (``MetricHistory/restoreClosedTotal(_:)``), right after ``restoreHistory(of:saved:counters:)``
    /// took the history and before any sample is recorded; ignored when unknown.
    /// - Returns: whether the saved total was taken (false: rebuilt from the restored slices).
    @discardableResult
    package func restoreCumulativeTotal(of name: String, closedTotal: ExponentialHistogram) -> Bool {
        lookup(name)?.withLock { state in
            let taken = state.history.restoreClosedTotal(closedTotal)
            state.accountHistory()
            return taken
        } ?? false
    }
}
